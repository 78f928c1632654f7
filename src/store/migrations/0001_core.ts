import { sql, type Kysely } from 'kysely';

/**
 * The core tables. Integer columns that hold microseconds are `bigint`;
 * the pre-release key is compared byte by byte, hence `COLLATE "C"` on
 * PostgreSQL (SQLite's default collation already compares bytes).
 */
export async function up(db: Kysely<unknown>, dialect: string): Promise<void> {
  const byteText = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at_us', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at_us', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at_us', 'bigint')
    .addColumn('last_used_at_us', 'bigint')
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) =>
      c.notNull().references('organizations.id'),
    )
    .addColumn('project_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('report_file_name', 'text')
    .addColumn('sonar_url', 'text')
    .addColumn('created_at_us', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('products_org_key', ['org_id', 'project_key'])
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) =>
      c.notNull().references('organizations.id'),
    )
    .addColumn('product_id', 'text', (c) =>
      c.notNull().references('products.id'),
    )
    .addColumn('project_version', 'text', (c) => c.notNull())
    .addColumn('ver_major', 'bigint')
    .addColumn('ver_minor', 'bigint')
    .addColumn('ver_patch', 'bigint')
    .addColumn('ver_pre', byteText)
    .addColumn('report_type', 'text', (c) => c.notNull())
    .addColumn('report_version', 'integer', (c) => c.notNull())
    .addColumn('date_us', 'bigint', (c) => c.notNull())
    .addColumn('upload_date_us', 'bigint', (c) => c.notNull())
    .addColumn('vulnerabilities_count', 'integer', (c) => c.notNull())
    .addColumn('security_rating', 'text', (c) => c.notNull())
    .addColumn('unmapped_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('reports_identity', [
      'org_id',
      'product_id',
      'project_version',
      'report_type',
      'report_version',
    ])
    .execute();

  await db.schema
    .createIndex('reports_org_date')
    .on('reports')
    .columns(['org_id', 'date_us desc', 'id'])
    .execute();

  await db.schema
    .createIndex('reports_org_version')
    .on('reports')
    .columns(['org_id', 'ver_major', 'ver_minor', 'ver_patch', 'ver_pre'])
    .execute();

  await db.schema
    .createTable('report_files')
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_files_pk', ['report_id', 'name'])
    .execute();

  await db.schema
    .createIndex('report_files_storage_key')
    .on('report_files')
    .column('storage_key')
    .execute();

  const seq =
    dialect === 'postgres'
      ? sql`bigserial primary key`
      : sql`integer primary key autoincrement`;
  await db.schema
    .createTable('events')
    .addColumn('seq', seq)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('org_id', 'text', (c) =>
      c.notNull().references('organizations.id'),
    )
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('report_ids', 'text', (c) => c.notNull())
    .addColumn('created_at_us', 'bigint', (c) => c.notNull())
    .execute();
}
