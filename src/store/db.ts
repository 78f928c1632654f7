/**
 * Opens the database: SQLite in DATA_DIR by default, PostgreSQL when
 * DATABASE_URL is set. Both run the same migrations and the same queries.
 */
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import * as core from './migrations/0001_core.js';
import * as webhooks from './migrations/0002_webhooks.js';
import * as listCache from './migrations/0003_list_cache.js';
import { ListCache } from './list-cache.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Recently answered list pages of this database. */
  listCache: ListCache;
  close(): Promise<void>;
}

type MigrationModule = {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
};

/** Every migration, in order. New ones are appended here. */
const migrations: Record<string, MigrationModule> = {
  '0001_core': core,
  '0002_webhooks': webhooks,
  '0003_list_cache': listCache,
};

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(migrations).map(([name, module]) => [
        name,
        { up: (db: Kysely<unknown>) => module.up(db, this.dialect) },
      ]),
    );
  }
}

// Each database's driver is loaded only when it is used: a server on
// SQLite does not carry PostgreSQL's client in memory, nor the reverse.

async function openSqlite(dataDir: string): Promise<Kysely<Database>> {
  const { openSqliteDialect } = await import('./sqlite.js');
  return new Kysely<Database>({ dialect: openSqliteDialect(dataDir) });
}

async function openPostgres(
  url: string,
  onIdleError: (error: Error) => void,
): Promise<Kysely<Database>> {
  const { default: pg } = await import('pg');
  // bigint columns hold microsecond timestamps, well inside 2^53.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection that the server closes (a restart, a failover)
  // emits an error on the pool; unhandled, it would end the process. The
  // pool replaces the connection on next use.
  pool.on('error', onIdleError);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Runs every pending migration; throws with the failing one's name. */
export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: new InCodeProvider(db.dialect),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed`, {
      cause: error,
    });
  }
}

/** Opens and migrates the configured database. */
export async function openDb(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
  onIdleError?: (error: Error) => void;
  listCacheReports?: number;
}): Promise<Db> {
  const dialect: Dialect = options.databaseUrl ? 'postgres' : 'sqlite';
  const kysely = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.onIdleError ?? (() => {}))
    : await openSqlite(options.dataDir);
  const db: Db = {
    kysely,
    dialect,
    listCache: new ListCache(options.listCacheReports ?? 100_000),
    close: () => kysely.destroy(),
  };
  await migrate(db);
  await optimize(db);
  return db;
}

/** True for a unique-constraint violation in either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * Without fresh statistics SQLite walked an org's reports by date to answer
 * an exact-version query (153 µs per query against 39 µs with them, in the
 * benchmark). 0x10002 also checks tables this connection has not used yet.
 */
const optimizeSql = CompiledQuery.raw('pragma optimize = 0x10002');

/**
 * Keeps the query planner's statistics fresh. PostgreSQL's autovacuum does
 * this by itself; SQLite needs asking, at start and now and then.
 */
export async function optimize(db: Db): Promise<void> {
  if (db.dialect === 'sqlite') await db.kysely.executeQuery(optimizeSql);
}
