/**
 * Webhook deliveries and their attempts. A delivery is claimed with a lease:
 * while `delivering`, its `next_attempt_at_us` is the lease's end, so a
 * delivery whose worker died becomes due again by the same index the
 * claimer already reads. That is what makes delivery at-least-once.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db, Dialect } from './db.js';
import { newId, nowMicros } from './ids.js';
import type { Database, DeliveryStatus, Micros } from './schema.js';

type Query = Kysely<Database>;

const unfinished: DeliveryStatus[] = ['pending', 'delivering'];

/**
 * The condition of the partial index webhook_deliveries_due, written out
 * as literals: SQLite uses a partial index only when the query's terms
 * match its WHERE clause, which bound parameters never do. With parameters
 * every claim scanned and sorted the whole delivery history.
 */
const isUnfinished = sql<boolean>`status in ('pending', 'delivering')`;

/** One pending delivery per endpoint, due at once. */
export async function enqueueDeliveries(
  trx: Transaction<Database>,
  event: { eventId: string; orgId: string },
  endpointIds: string[],
  now: Micros = nowMicros(),
): Promise<string[]> {
  if (endpointIds.length === 0) return [];
  const rows = endpointIds.map((endpointId) => ({
    id: newId('msg'),
    event_id: event.eventId,
    endpoint_id: endpointId,
    org_id: event.orgId,
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at_us: now,
    window_start_us: now,
    created_at_us: now,
  }));
  await trx.insertInto('webhook_deliveries').values(rows).execute();
  return rows.map((row) => row.id);
}

export interface ClaimRequest {
  now: Micros;
  leaseUntil: Micros;
  /** How many deliveries this worker can start now. */
  free: number;
  /** How many more this worker may start for the endpoint. */
  capacity(endpointId: string): number;
}

export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  orgId: string;
  leaseUntil: Micros;
}

/**
 * Claims due deliveries inside the caller's transaction, which holds the
 * rows until it commits. PostgreSQL workers skip rows another worker is
 * claiming (`FOR UPDATE SKIP LOCKED`); SQLite has a single writer, so the
 * update's own due check is enough there to never claim a row twice.
 */
export async function claimDue(
  trx: Transaction<Database>,
  dialect: Dialect,
  request: ClaimRequest,
): Promise<ClaimedDelivery[]> {
  if (request.free <= 0) return [];
  let candidates = trx
    .selectFrom('webhook_deliveries')
    .select(['id', 'endpoint_id'])
    .where(isUnfinished)
    .where('next_attempt_at_us', '<=', request.now)
    .orderBy('next_attempt_at_us')
    .limit(request.free * 4);
  if (dialect === 'postgres') candidates = candidates.forUpdate().skipLocked();

  const picked = pickWithinCapacity(await candidates.execute(), request);
  if (picked.length === 0) return [];

  const rows = await trx
    .updateTable('webhook_deliveries')
    .set({
      status: 'delivering',
      lease_until_us: request.leaseUntil,
      next_attempt_at_us: request.leaseUntil,
    })
    .where('id', 'in', picked)
    .where('status', 'in', unfinished)
    .where('next_attempt_at_us', '<=', request.now)
    .returning(['id', 'endpoint_id', 'org_id'])
    .execute();
  return rows.map((row) => ({
    id: row.id,
    endpointId: row.endpoint_id,
    orgId: row.org_id,
    leaseUntil: request.leaseUntil,
  }));
}

function pickWithinCapacity(
  candidates: Array<{ id: string; endpoint_id: string }>,
  request: ClaimRequest,
): string[] {
  const taken = new Map<string, number>();
  const picked: string[] = [];
  for (const { id, endpoint_id: endpointId } of candidates) {
    if (picked.length >= request.free) break;
    const count = taken.get(endpointId) ?? 0;
    if (count >= request.capacity(endpointId)) continue;
    taken.set(endpointId, count + 1);
    picked.push(id);
  }
  return picked;
}

/**
 * What sending the claimed deliveries needs, in one query. A delivery
 * whose endpoint was deleted meanwhile is missing (its rows cascade).
 */
export async function loadDeliveryWork(db: Query, deliveryIds: string[]) {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .innerJoin('events as ev', 'ev.id', 'd.event_id')
    .select([
      'd.id',
      'd.org_id as orgId',
      'd.endpoint_id as endpointId',
      'd.event_id as eventId',
      'd.window_start_us as windowStart',
      'd.attempts',
      'e.url',
      'e.enabled',
      'e.secret_encrypted as secretEncrypted',
      'e.previous_secret_encrypted as previousSecretEncrypted',
      'e.previous_secret_expires_at_us as previousSecretExpiresAt',
      'ev.type as eventType',
      'ev.report_ids as reportIds',
    ])
    .where('d.id', 'in', deliveryIds)
    .execute();
}

export type DeliveryWork = Awaited<ReturnType<typeof loadDeliveryWork>>[number];

export interface AttemptRecord {
  at: Micros;
  status: number | null;
  durationMs: number;
  error: string | undefined;
  responseSnippet: string;
}

export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; nextAttemptAt: Micros }
  | { kind: 'failed'; disableEndpoint?: { id: string; reason: string } };

/** One finished attempt, with the claim it was made under. */
export interface AttemptToRecord {
  claim: { id: string; leaseUntil: Micros };
  attempt: AttemptRecord;
  outcome: AttemptOutcome;
}

/**
 * Rows per statement: well under both databases' limits on bound
 * parameters (SQLite 32,766; PostgreSQL 65,535) at 8 per row.
 */
const rowsPerStatement = 500;

/**
 * Logs the attempts and moves their deliveries on, inside the caller's
 * transaction, in a statement or two however many there are: on
 * PostgreSQL a statement per delivery was a round trip per delivery. A
 * delivery changes only if this worker still holds its lease: a worker
 * that overran its lease must not overwrite what the next one recorded.
 */
export async function recordAttempts(
  trx: Transaction<Database>,
  records: readonly AttemptToRecord[],
): Promise<void> {
  for (let i = 0; i < records.length; i += rowsPerStatement) {
    const chunk = records.slice(i, i + rowsPerStatement);
    await insertAttempts(trx, chunk);
    await moveOn(trx, chunk);
  }
  for (const { attempt, outcome } of records) {
    if (outcome.kind === 'failed' && outcome.disableEndpoint) {
      await disableEndpoint(trx, outcome.disableEndpoint, attempt.at);
    }
  }
}

async function insertAttempts(
  trx: Transaction<Database>,
  records: readonly AttemptToRecord[],
): Promise<void> {
  await trx
    .insertInto('webhook_attempts')
    .values(
      records.map(({ claim, attempt }) => ({
        id: newId('att'),
        delivery_id: claim.id,
        at_us: attempt.at,
        status: attempt.status,
        duration_ms: attempt.durationMs,
        error: attempt.error ?? null,
        response_snippet: attempt.responseSnippet,
      })),
    )
    .execute();
}

/**
 * One UPDATE ... FROM (VALUES ...) for all the deliveries; both databases
 * name a VALUES list's columns column1, column2, ... The casts give
 * PostgreSQL the types it cannot infer from bare parameters. Columns an
 * outcome leaves alone are null in the list and kept by `coalesce`.
 */
async function moveOn(
  trx: Transaction<Database>,
  records: readonly AttemptToRecord[],
): Promise<void> {
  const rows = records.map(({ claim, attempt, outcome }) => {
    const next = outcome.kind === 'retry' ? outcome.nextAttemptAt : null;
    const deliveredAt = outcome.kind === 'delivered' ? attempt.at : null;
    return sql`(${claim.id}, ${bigint(claim.leaseUntil)},
      cast(${statusAfter[outcome.kind]} as text), ${bigint(next)},
      ${bigint(deliveredAt)}, ${bigint(attempt.at)},
      cast(${attempt.status} as integer),
      cast(${attempt.error ?? null} as text))`;
  });
  await sql`update webhook_deliveries set
      status = v.column3,
      next_attempt_at_us = coalesce(v.column4, next_attempt_at_us),
      delivered_at_us = coalesce(v.column5, delivered_at_us),
      attempts = attempts + 1,
      lease_until_us = null,
      last_attempt_at_us = v.column6,
      last_status = v.column7,
      last_error = v.column8
    from (values ${sql.join(rows)}) as v
    where webhook_deliveries.id = v.column1
      and webhook_deliveries.lease_until_us = v.column2`.execute(trx);
}

function bigint(value: Micros | null) {
  return sql`cast(${value} as bigint)`;
}

const statusAfter: Record<AttemptOutcome['kind'], DeliveryStatus> = {
  delivered: 'delivered',
  retry: 'pending',
  failed: 'failed',
};

async function disableEndpoint(
  trx: Transaction<Database>,
  endpoint: { id: string; reason: string },
  at: Micros,
): Promise<void> {
  await trx
    .updateTable('webhook_endpoints')
    .set({ enabled: 0, disabled_reason: endpoint.reason, updated_at_us: at })
    .where('id', '=', endpoint.id)
    .execute();
}

/** A delivery as the admin API shows it, newest first, with attempts. */
export async function listDeliveries(
  db: Db,
  endpointId: string,
  limit: number,
) {
  const deliveries = await deliveryQuery(db)
    .where('d.endpoint_id', '=', endpointId)
    .orderBy('d.created_at_us', 'desc')
    .orderBy('d.id')
    .limit(limit)
    .execute();
  if (deliveries.length === 0) return [];

  const attempts = await db.kysely
    .selectFrom('webhook_attempts')
    .selectAll()
    .where(
      'delivery_id',
      'in',
      deliveries.map((d) => d.id),
    )
    .orderBy('at_us')
    .execute();
  return deliveries.map((delivery) => ({
    ...delivery,
    attemptLog: attempts.filter((a) => a.delivery_id === delivery.id),
  }));
}

export type DeliveryRow = Awaited<ReturnType<typeof findDelivery>> & {};

export async function findDelivery(db: Db, orgId: string, id: string) {
  return deliveryQuery(db)
    .where('d.id', '=', id)
    .where('d.org_id', '=', orgId)
    .executeTakeFirst();
}

function deliveryQuery(db: Db) {
  return db.kysely
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as ev', 'ev.id', 'd.event_id')
    .select([
      'd.id',
      'd.event_id as eventId',
      'd.endpoint_id as endpointId',
      'ev.type as eventType',
      'd.status',
      'd.attempts',
      'd.next_attempt_at_us as nextAttemptAt',
      'd.lease_until_us as leaseUntil',
      'd.created_at_us as createdAt',
      'd.last_attempt_at_us as lastAttemptAt',
      'd.last_status as lastStatus',
      'd.last_error as lastError',
      'd.delivered_at_us as deliveredAt',
    ]);
}

/**
 * Makes a delivery due now with a fresh retry window, keeping its ID so the
 * receiver can still tell it is the same event. False while it is in flight.
 */
export async function redeliver(
  db: Db,
  id: string,
  now: Micros,
): Promise<boolean> {
  const result = await db.kysely
    .updateTable('webhook_deliveries')
    .set({
      status: 'pending',
      next_attempt_at_us: now,
      window_start_us: now,
      lease_until_us: null,
    })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('status', '!=', 'delivering'),
        eb('lease_until_us', '<=', now),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
