/**
 * The embedded database: SQLite through better-sqlite3, tuned for Report
 * Hub's use. Three decisions live here:
 *
 * - Durability: WAL with `synchronous=FULL`, so a commit survives power
 *   loss, and a busy timeout so admin commands can write while `serve` runs.
 * - Write transactions begin IMMEDIATE. A deferred transaction that reads
 *   and then writes fails at once with SQLITE_BUSY_SNAPSHOT when another
 *   process (the CLI, a worker) committed in between; busy_timeout does not
 *   help there. Taking the write lock up front makes it wait instead.
 * - Prepared statements are cached. Kysely prepares every query anew, which
 *   cost about 8% of the list endpoint's CPU in the benchmark.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';

const statementCacheSize = 200;

class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ReportHubSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver(this.settings);
  }
}

/** better-sqlite3 behind a small least-recently-used statement cache. */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = database.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= statementCacheSize) {
          cache.delete(cache.keys().next().value!);
        }
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/** Opens `reporthub.sqlite` in the data folder. */
export function openSqliteDialect(dataDir: string): SqliteDialect {
  mkdirSync(dataDir, { recursive: true });
  const database = new SQLite(join(dataDir, 'reporthub.sqlite'));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new ReportHubSqliteDialect({
    database: withStatementCache(database),
  });
}
