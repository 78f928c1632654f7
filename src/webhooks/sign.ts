/**
 * Signing and verifying deliveries per the Standard Webhooks specification
 * (https://www.standardwebhooks.com): an HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<body>`, sent as `v1,<base64>`, one per
 * live secret so that receivers keep working through a rotation.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';

import { parseSecret } from './secret.js';

export interface SignInput {
  /** The receiver's idempotency key: the same on every retry. */
  id: string;
  /** Unix seconds of this attempt. */
  timestampSeconds: number;
  /** The exact bytes sent; re-serializing JSON would break the signature. */
  body: string | Uint8Array;
  /** Every live secret; two during the day after a rotation. */
  secrets: readonly string[];
}

export interface HeaderInput extends SignInput {
  /** `report.created`, `report.updated`, ... */
  eventType: string;
  /** For the user agent; defaults to this package's version. */
  version?: string;
  /** 1 for the first attempt; sent as `webhook-attempt` when given. */
  attempt?: number;
}

export interface VerifyInput {
  body: string | Uint8Array;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The receiver's secret, or several while it rotates. */
  secrets: string | readonly string[];
  nowSeconds?: number;
  toleranceSeconds?: number;
}

export type VerifyResult =
  | { ok: true; id: string; timestampSeconds: number }
  | { ok: false; reason: string };

/** Receivers refuse older or newer messages, which bounds replays. */
export const defaultToleranceSeconds = 5 * 60;

/** `v1,<sig>` for each secret, space-separated. */
export function signatureHeader(input: SignInput): string {
  if (input.secrets.length === 0) {
    throw new Error('signing needs at least one secret');
  }
  return input.secrets
    .map(
      (secret) => `v1,${sign(parseSecret(secret), input).toString('base64')}`,
    )
    .join(' ');
}

/** Every header a delivery carries, signature included. */
export function webhookHeaders(input: HeaderInput): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': `ReportHub-Webhooks/${input.version ?? packageVersion()}`,
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestampSeconds),
    'webhook-signature': signatureHeader(input),
    'x-reporthub-event': input.eventType,
    ...(input.attempt === undefined
      ? {}
      : { 'webhook-attempt': String(input.attempt) }),
  };
}

/**
 * Checks a delivery the way a receiver should: the timestamp within the
 * tolerance, and at least one `v1` signature matching one of the secrets,
 * compared in constant time. Throws if a secret itself is malformed, so
 * check it once at start (parseSecret).
 */
export function verifySignature(input: VerifyInput): VerifyResult {
  const id = header(input.headers, 'webhook-id');
  const timestamp = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    return {
      ok: false,
      reason: 'missing webhook-id, -timestamp or -signature',
    };
  }

  const timestampSeconds = readTimestamp(timestamp, input);
  if (typeof timestampSeconds === 'string') {
    return { ok: false, reason: timestampSeconds };
  }

  const secrets =
    typeof input.secrets === 'string' ? [input.secrets] : input.secrets;
  const expected = secrets.map((secret) =>
    sign(parseSecret(secret), { id, timestampSeconds, body: input.body }),
  );
  if (!anySignatureMatches(signatures, expected)) {
    return { ok: false, reason: 'no signature matches the secret' };
  }
  return { ok: true, id, timestampSeconds };
}

let cachedVersion: string | undefined;

/** This package's version, read once from package.json. */
export function packageVersion(): string {
  cachedVersion ??= readPackageVersion();
  return cachedVersion;
}

function sign(
  key: Buffer,
  message: Pick<SignInput, 'id' | 'timestampSeconds' | 'body'>,
): Buffer {
  return createHmac('sha256', key)
    .update(`${message.id}.${message.timestampSeconds}.`)
    .update(message.body)
    .digest();
}

function anySignatureMatches(header: string, expected: Buffer[]): boolean {
  const received = header
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));

  // Check every pair rather than stopping early, so the time taken does not
  // tell an attacker which signature or secret came closest.
  let matched = false;
  for (const candidate of received) {
    for (const digest of expected) {
      if (candidate.length !== digest.length) continue;
      if (timingSafeEqual(candidate, digest)) matched = true;
    }
  }
  return matched;
}

function readTimestamp(text: string, input: VerifyInput): number | string {
  if (!/^\d{1,12}$/.test(text)) return 'webhook-timestamp is not Unix seconds';

  const seconds = Number(text);
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? defaultToleranceSeconds;
  if (Math.abs(now - seconds) > tolerance) {
    return `webhook-timestamp is more than ${tolerance} s from now`;
  }
  return seconds;
}

function header(
  headers: VerifyInput['headers'],
  name: string,
): string | undefined {
  const value =
    headers[name] ??
    Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

function readPackageVersion(): string {
  const require = createRequire(import.meta.url);
  // Sources sit at src/webhooks, compiled files one level deeper in dist/.
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(path) as { name?: unknown; version?: unknown };
      if (pkg.name === 'reporthub' && typeof pkg.version === 'string') {
        return pkg.version;
      }
    } catch {
      // Not at this depth; try the next.
    }
  }
  return '0.0.0';
}
