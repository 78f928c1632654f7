/**
 * One delivery attempt over HTTP. The SSRF guard runs inside the connection
 * itself: the host is resolved once, every address is checked, and the
 * socket is handed only those addresses, so a DNS answer that changes
 * between the check and the connect (DNS rebinding) cannot slip through.
 */
import type { LookupFunction, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

import { Agent, type Dispatcher, buildConnector, request } from 'undici';

import { HubError } from '../errors.js';
import { parseIp } from './ip.js';
import { parseRetryAfter, retryAfterStatuses } from './retry-after.js';
import {
  type AllowList,
  type LookupAll,
  type ResolvedAddress,
  classifyAddress,
  lookupAll,
  noExemptions,
  parseWebhookUrl,
  refuseForbidden,
} from './ssrf.js';

export interface WebhookAgentOptions {
  /** Ranges exempt from the guard (`WEBHOOK_ALLOWED_CIDRS`). */
  allow: AllowList;
  /** Name resolution; tests replace it to avoid real DNS. */
  lookup?: LookupAll;
  connectTimeoutMs?: number;
  /** Open connections per receiver origin; undici's default is unlimited. */
  connectionsPerOrigin?: number;
}

export interface SendInput {
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string | Uint8Array;
  /** Covers connecting, the response headers and reading the snippet. */
  timeoutMs: number;
  /** A shared agent from createWebhookAgent; its allow-list applies. */
  agent?: Dispatcher;
  /** Without `agent`, a one-off agent guards with this allow-list. */
  allow?: AllowList;
}

export interface SendResult {
  /** The receiver's status, or null when no response arrived. */
  status: number | null;
  /** A 2xx: the only outcome that counts as delivered. */
  delivered: boolean;
  durationMs: number;
  /** The first 1 KiB of the response body, as text. */
  responseSnippet: string;
  /** Why the attempt did not deliver; absent exactly when delivered. */
  error?: string;
  /** A 429 or 503's `Retry-After`, in seconds from when it arrived. */
  retryAfterSeconds?: number;
}

export const snippetBytes = 1024;

const defaultConnectTimeoutMs = 10_000;

/**
 * An undici Agent whose every new connection passes the SSRF guard. Reuse
 * one for all deliveries so connections to a receiver are kept alive.
 */
export function createWebhookAgent(options: WebhookAgentOptions): Agent {
  return new Agent({
    connect: guardedConnector(options),
    ...(options.connectionsPerOrigin === undefined
      ? {}
      : { connections: options.connectionsPerOrigin }),
  });
}

/**
 * POSTs one delivery. Never throws: network failures, refusals and
 * timeouts come back as a result with `status: null` and an `error`.
 * Redirects are not followed; a 3xx is a failed attempt.
 */
export async function sendWebhook(input: SendInput): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  const owned =
    input.agent === undefined
      ? createWebhookAgent({ allow: input.allow ?? noExemptions })
      : undefined;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), input.timeoutMs);

  let status: number | null = null;
  try {
    const url = parseWebhookUrl(input.url);
    const response = await request(url, {
      method: 'POST',
      headers: input.headers,
      body: input.body,
      dispatcher: input.agent ?? owned,
      signal: timeout.signal,
    });
    status = response.statusCode;
    const retryAfter = retryAfterStatuses.has(status)
      ? parseRetryAfter(response.headers['retry-after'], Date.now())
      : undefined;
    const snippet = await readSnippet(response.body);
    const result = outcome(status, snippet, elapsed());
    return retryAfter === undefined
      ? result
      : { ...result, retryAfterSeconds: retryAfter };
  } catch (error) {
    const reason = timeout.signal.aborted
      ? `timed out after ${input.timeoutMs} ms`
      : describeError(error);
    return {
      status,
      delivered: false,
      durationMs: elapsed(),
      responseSnippet: '',
      error: reason,
    };
  } finally {
    clearTimeout(timer);
    await owned?.destroy();
  }
}

function outcome(
  status: number,
  snippet: string,
  durationMs: number,
): SendResult {
  const result = { status, durationMs, responseSnippet: snippet };
  if (status >= 200 && status < 300) return { ...result, delivered: true };

  const error =
    status >= 300 && status < 400
      ? `redirect (${status}) not followed`
      : `receiver answered ${status}`;
  return { ...result, delivered: false, error };
}

/** Reads at most 1 KiB, then destroys the body rather than draining it. */
async function readSnippet(
  body: Dispatcher.ResponseData['body'],
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    // Leaving the loop destroys the stream: a huge or endless response
    // costs us 1 KiB, not its length.
    if (size >= snippetBytes) break;
  }
  const bytes = Buffer.concat(chunks).subarray(0, snippetBytes);
  // stream: true drops a character cut in half by the cap.
  return new TextDecoder().decode(bytes, { stream: true });
}

function guardedConnector(
  options: WebhookAgentOptions,
): buildConnector.connector {
  const { allow } = options;
  const base = buildConnector({
    timeout: options.connectTimeoutMs ?? defaultConnectTimeoutMs,
    lookup: guardedLookup(allow, options.lookup ?? lookupAll),
  });

  return (target, callback) => {
    // net.connect never calls `lookup` for an IP literal, so a URL such as
    // http://127.0.0.1/ must be judged here, before any packet is sent.
    const refusal = literalRefusal(target.hostname, allow);
    if (refusal) {
      process.nextTick(callback, refusal, null);
      return;
    }

    base(target, (...args) => {
      const [error, socket] = args;
      if (error) return callback(error, null);

      // Belt and braces: judge the peer the socket really reached.
      const peerRefusal = connectedRefusal(socket, allow);
      if (peerRefusal) {
        socket.destroy();
        return callback(peerRefusal, null);
      }
      callback(null, socket);
    });
  };
}

function literalRefusal(hostname: string, allow: AllowList): Error | undefined {
  if (parseIp(hostname) === null) return undefined;
  try {
    refuseForbidden(hostname, [hostname], allow);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

function connectedRefusal(socket: Socket, allow: AllowList): Error | undefined {
  const peer = socket.remoteAddress ?? '';
  const verdict = classifyAddress(peer, allow);
  if (verdict.allowed) return undefined;
  return new HubError(
    'webhook_url_not_allowed',
    `The webhook URL is not allowed: connected to ${verdict.reason}.`,
  );
}

/**
 * The `lookup` net.connect uses: resolve once, refuse if any address is
 * forbidden, and hand net exactly the addresses that were checked. With
 * autoSelectFamily (Node's default) net asks for all of them.
 */
function guardedLookup(allow: AllowList, lookup: LookupAll): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(hostname, options.family, allow, lookup).then(
      (addresses) => {
        if (options.all) return callback(null, addresses);
        const [first] = addresses as [ResolvedAddress];
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

async function resolveChecked(
  hostname: string,
  family: number | string | undefined,
  allow: AllowList,
  lookup: LookupAll,
): Promise<ResolvedAddress[]> {
  const wanted = familyNumber(family);
  const addresses = (await lookup(hostname)).filter(
    (entry) => wanted === 0 || entry.family === wanted,
  );
  if (addresses.length === 0) {
    throw Object.assign(new Error(`${hostname} has no address`), {
      code: 'ENOTFOUND',
    });
  }

  refuseForbidden(
    hostname,
    addresses.map((entry) => entry.address),
    allow,
  );
  return addresses;
}

function familyNumber(family: number | string | undefined): number {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

const messagesByCode: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the receiver',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed for now',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connecting timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_SOCKET: 'connection closed by the receiver',
};

function describeError(error: unknown): string {
  const root = rootError(error);
  if (root instanceof HubError) return root.message;

  const code = (root as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in messagesByCode) {
    return messagesByCode[code]!;
  }
  return root instanceof Error ? root.message : String(root);
}

/**
 * The error that explains the failure. With several addresses Node reports
 * an AggregateError of one error per address tried; undici sometimes keeps
 * the socket's error as `cause`.
 */
function rootError(error: unknown): unknown {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return rootError(error.errors[0]);
  }
  if (error instanceof Error && error.cause instanceof Error) {
    if (!(error instanceof HubError)) return rootError(error.cause);
  }
  return error;
}
