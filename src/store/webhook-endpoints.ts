/**
 * Webhook endpoint rows. Every read and write names the org, so one org's
 * administrator can never see or change another org's endpoint; only the
 * operator's `reporthub webhook remove` deletes by ID alone.
 */
import type { Db } from './db.js';
import type { WebhookEndpointsTable } from './schema.js';

export type EndpointRow = WebhookEndpointsTable;

export type EndpointChanges = Partial<
  Omit<EndpointRow, 'id' | 'org_id' | 'created_at_us'>
>;

export async function insertEndpoint(db: Db, row: EndpointRow): Promise<void> {
  await db.kysely.insertInto('webhook_endpoints').values(row).execute();
}

export async function listEndpointRows(
  db: Db,
  orgId: string,
): Promise<EndpointRow[]> {
  return db.kysely
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('created_at_us')
    .orderBy('id')
    .execute();
}

export async function findEndpointRow(
  db: Db,
  orgId: string,
  id: string,
): Promise<EndpointRow | undefined> {
  return db.kysely
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Applies the changes; false when the org has no such endpoint. */
export async function updateEndpointRow(
  db: Db,
  orgId: string,
  id: string,
  changes: EndpointChanges,
): Promise<boolean> {
  const result = await db.kysely
    .updateTable('webhook_endpoints')
    .set(changes)
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Deletes an endpoint with its deliveries and attempts (the foreign keys
 * cascade). Without `orgId` (the operator's CLI), any org's endpoint.
 */
export async function deleteEndpointRow(
  db: Db,
  id: string,
  orgId?: string,
): Promise<boolean> {
  let query = db.kysely.deleteFrom('webhook_endpoints').where('id', '=', id);
  if (orgId !== undefined) query = query.where('org_id', '=', orgId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
