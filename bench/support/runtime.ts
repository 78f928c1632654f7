/**
 * Temporary data for one scenario: a folder, and a fresh PostgreSQL
 * database when asked. Both are removed afterwards, even on failure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { freshPostgres } from '../../test/support/server.js';

export interface BenchData {
  dataDir: string;
  /** Unset for the embedded default (SQLite). */
  databaseUrl: string | undefined;
  /** The environment a server child needs to open the same data. */
  env: Record<string, string | undefined>;
  open(): Promise<Runtime>;
}

export async function withBenchData<T>(
  postgresBaseUrl: string | undefined,
  use: (data: BenchData) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reporthub-bench-'));
  const database = postgresBaseUrl
    ? await freshPostgres(postgresBaseUrl)
    : undefined;
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url ?? '',
    S3_BUCKET: '',
  };
  try {
    return await use({
      dataDir,
      databaseUrl: database?.url,
      env,
      open: () => openRuntime(loadConfig(env), createLogger('silent')),
    });
  } finally {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
