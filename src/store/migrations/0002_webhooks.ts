import { sql, type Kysely } from 'kysely';

/**
 * Webhook endpoints, one delivery per (event, endpoint) and the log of every
 * attempt. A delivery's ID is the `webhook-id` receivers deduplicate on, so
 * it is created once with the event and never changes across retries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) =>
      c.notNull().references('organizations.id'),
    )
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('secret_encrypted', 'text', (c) => c.notNull())
    .addColumn('previous_secret_encrypted', 'text')
    .addColumn('previous_secret_expires_at_us', 'bigint')
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at_us', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_us', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createIndex('webhook_endpoints_org')
    .on('webhook_endpoints')
    .columns(['org_id', 'created_at_us'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('endpoint_id', 'text', (c) =>
      c.notNull().references('webhook_endpoints.id').onDelete('cascade'),
    )
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at_us', 'bigint', (c) => c.notNull())
    .addColumn('lease_until_us', 'bigint')
    .addColumn('window_start_us', 'bigint', (c) => c.notNull())
    .addColumn('created_at_us', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt_at_us', 'bigint')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at_us', 'bigint')
    .execute();

  // Only unfinished deliveries are ever claimed; a partial index keeps the
  // claim query's cost independent of the delivered history.
  await sql`create index webhook_deliveries_due
    on webhook_deliveries (next_attempt_at_us)
    where status in ('pending', 'delivering')`.execute(db);

  await db.schema
    .createIndex('webhook_deliveries_endpoint')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'created_at_us'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) =>
      c.notNull().references('webhook_deliveries.id').onDelete('cascade'),
    )
    .addColumn('at_us', 'bigint', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('response_snippet', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .columns(['delivery_id', 'at_us'])
    .execute();
}
