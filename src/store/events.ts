/**
 * The outbox: every change that subscribers hear about is written as an
 * event in the same transaction as the change itself. The webhook
 * dispatcher turns events into deliveries; nothing is lost if the process
 * dies right after the commit.
 */
import type { Transaction } from 'kysely';
import { newId, nowMicros } from './ids.js';
import type { Database } from './schema.js';

export type EventType = 'report.created' | 'report.updated';

export const eventTypes: readonly EventType[] = [
  'report.created',
  'report.updated',
];

export interface NewEvent {
  orgId: string;
  type: EventType;
  reportIds: string[];
}

/** Writes one event inside the caller's transaction; returns its ID. */
export async function recordEvent(
  trx: Transaction<Database>,
  event: NewEvent,
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
