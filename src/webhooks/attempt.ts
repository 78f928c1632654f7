/**
 * One attempt at one claimed delivery: sign the body read for it with
 * every live secret, send it through the guarded agent and decide what
 * comes next. Recording it is the dispatcher's next round's job.
 */
import type { Dispatcher as HttpDispatcher } from 'undici';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type {
  AttemptOutcome,
  AttemptToRecord,
  DeliveryWork,
} from '../store/deliveries.js';
import { nowMicros } from '../store/ids.js';
import type { Micros } from '../store/schema.js';
import type { SecretBox } from '../store/secret-box.js';
import type { ClaimedWork } from './round.js';
import { sendWebhook, type SendResult } from './send.js';
import { webhookHeaders } from './sign.js';

export interface AttemptContext {
  config: Config;
  secretBox: SecretBox;
  agent: HttpDispatcher;
  /** 0..1; tests pin it to make retry times exact. */
  random?: () => number;
}

/** An attempt made, waiting to be recorded, then logged. */
export interface FinishedAttempt {
  record: AttemptToRecord;
  work: DeliveryWork;
  result: SendResult;
}

const goneReason = 'The receiver answered 410 Gone.';

/** Sends one claimed delivery; the caller records the result. */
export async function attemptDelivery(
  ctx: AttemptContext,
  { claim, work, body }: ClaimedWork,
): Promise<FinishedAttempt> {
  const result =
    work.enabled === 1
      ? await send(ctx, work, body)
      : notSent('the endpoint is disabled');
  const now = nowMicros();
  const attempt = {
    at: now - result.durationMs * 1000,
    status: result.status,
    durationMs: result.durationMs,
    error: result.error,
    responseSnippet: result.responseSnippet,
  };
  const outcome = decide(ctx, work, result, now);
  return { record: { claim, attempt, outcome }, work, result };
}

async function send(
  ctx: AttemptContext,
  work: DeliveryWork,
  body: string,
): Promise<SendResult> {
  const now = nowMicros();
  const headers = webhookHeaders({
    id: work.id,
    timestampSeconds: Math.floor(now / 1_000_000),
    body,
    secrets: liveSecrets(ctx.secretBox, work, now),
    eventType: work.eventType,
    // Attempts recorded so far, plus this one. An attempt cut short by a
    // crash was never recorded, so its resend carries the same number.
    attempt: work.attempts + 1,
  });
  return sendWebhook({
    url: work.url,
    headers,
    body,
    timeoutMs: ctx.config.webhookTimeoutMs,
    agent: ctx.agent,
  });
}

/** The current secret, and the previous one during its overlap. */
function liveSecrets(box: SecretBox, work: DeliveryWork, now: Micros) {
  const secrets = [box.open(work.secretEncrypted, work.endpointId)];
  const expires = work.previousSecretExpiresAt;
  if (work.previousSecretEncrypted && expires !== null && expires > now) {
    secrets.push(box.open(work.previousSecretEncrypted, work.endpointId));
  }
  return secrets;
}

function notSent(error: string): SendResult {
  return {
    status: null,
    delivered: false,
    durationMs: 0,
    responseSnippet: '',
    error,
  };
}

/**
 * 2xx delivers; 410 fails and disables the endpoint; a disabled endpoint
 * fails the delivery; anything else is tried again one interval later
 * (±10%, so that the retries of a burst spread out), or later still when a
 * 429 or 503 says so in `Retry-After`, unless that would fall outside the
 * retry window.
 */
function decide(
  ctx: AttemptContext,
  work: DeliveryWork,
  result: SendResult,
  now: Micros,
): AttemptOutcome {
  if (result.delivered) return { kind: 'delivered' };
  // Retrying cannot help until an administrator enables it again; then
  // the delivery can be redelivered by hand.
  if (work.enabled !== 1) return { kind: 'failed' };
  if (result.status === 410) {
    return {
      kind: 'failed',
      disableEndpoint: { id: work.endpointId, reason: goneReason },
    };
  }
  const { webhookRetryIntervalSeconds, webhookMaxAgeHours } = ctx.config;
  const jitter = 0.9 + 0.2 * (ctx.random ?? Math.random)();
  const interval = Math.round(webhookRetryIntervalSeconds * 1_000_000 * jitter);
  const asked = (result.retryAfterSeconds ?? 0) * 1_000_000;
  const next = now + Math.max(interval, asked);
  const windowEnd = work.windowStart + webhookMaxAgeHours * 3600 * 1_000_000;
  if (next > windowEnd) return { kind: 'failed' };
  return { kind: 'retry', nextAttemptAt: next };
}

/** Logs a recorded attempt: fixed messages, data in fields, no secrets. */
export function logOutcome(
  log: Logger,
  { work, result, record }: FinishedAttempt,
): void {
  const { outcome } = record;
  const fields = {
    endpointId: work.endpointId,
    deliveryId: work.id,
    orgId: work.orgId,
    status: result.status,
    durationMs: result.durationMs,
    error: result.error,
  };
  if (outcome.kind === 'delivered') log.info(fields, 'webhook delivered');
  else if (outcome.kind === 'retry') log.info(fields, 'webhook attempt failed');
  else if (outcome.disableEndpoint)
    log.warn(fields, 'webhook endpoint disabled');
  else log.warn(fields, 'webhook delivery given up');
}
