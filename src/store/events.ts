/**
 * The outbox: every change that subscribers hear about is written as an
 * event in the same transaction as the change itself, together with one
 * delivery per subscribed endpoint. The webhook dispatcher works through the
 * deliveries; nothing is lost if the process dies right after the commit.
 */
import type { Transaction } from 'kysely';
import { enqueueDeliveries } from './deliveries.js';
import { newId, nowMicros } from './ids.js';
import type { Database } from './schema.js';

export type EventType = 'report.created' | 'report.updated';

export const eventTypes: readonly EventType[] = [
  'report.created',
  'report.updated',
];

/** Sent only by the admin API's "send a test event", to one endpoint. */
export const testEventType = 'report.test';

export interface NewEvent {
  orgId: string;
  type: EventType;
  reportIds: string[];
}

/** Writes the event row alone; returns its ID. */
export async function insertEvent(
  trx: Transaction<Database>,
  event: { orgId: string; type: string; reportIds: string[] },
): Promise<string> {
  const id = newId('evt');
  await trx
    .insertInto('events')
    .values({
      id,
      org_id: event.orgId,
      type: event.type,
      report_ids: JSON.stringify(event.reportIds),
      created_at_us: nowMicros(),
    })
    .execute();
  return id;
}

/**
 * Writes one event and its deliveries, to every enabled endpoint of the org
 * subscribed to its type, inside the caller's transaction; returns its ID.
 */
export async function recordEvent(
  trx: Transaction<Database>,
  event: NewEvent,
): Promise<string> {
  const id = await insertEvent(trx, event);
  const endpoints = await trx
    .selectFrom('webhook_endpoints')
    .select(['id', 'event_types'])
    .where('org_id', '=', event.orgId)
    .where('enabled', '=', 1)
    .execute();
  const subscribed = endpoints
    .filter((e) => (JSON.parse(e.event_types) as string[]).includes(event.type))
    .map((e) => e.id);
  await enqueueDeliveries(trx, { eventId: id, orgId: event.orgId }, subscribed);
  return id;
}
