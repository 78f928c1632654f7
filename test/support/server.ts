/**
 * A real Report Hub for tests: the same `buildApp` as `serve`, listening on
 * 127.0.0.1 port 0, over SQLite in a fresh folder, or over a fresh
 * PostgreSQL database when DATABASE_URL is set (as CI's second run does).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { buildApp, type App } from '../../src/http/app.js';
import { ReportBuilder } from '../../src/ingest/worker-pool.js';
import { closeApp } from '../../src/server.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { createOrganization } from '../../src/store/orgs.js';
import { createToken } from '../../src/store/tokens.js';

export interface TestServer {
  url: string;
  app: App;
  runtime: Runtime;
  config: Config;
  /** Every log line the server wrote, for tests that search it. */
  logs: string[];
  createOrg(name?: string): Promise<{ id: string; name: string }>;
  createToken(orgId: string, kind?: 'ingest' | 'admin'): Promise<string>;
  close(): Promise<void>;
}

/** A fresh PostgreSQL database next to DATABASE_URL's; dropped on close. */
export async function freshPostgres(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rh_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Configuration for a test: a temp data folder, a fresh database. */
export async function testConfig(
  overrides: Partial<Config> = {},
): Promise<{ config: Config; cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reporthub-test-'));
  const baseUrl = process.env.DATABASE_URL;
  const database = baseUrl ? await freshPostgres(baseUrl) : undefined;
  const config = loadConfig(
    { WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128' },
    {
      dataDir,
      databaseUrl: database?.url,
      port: 0,
      host: '127.0.0.1',
      ...overrides,
    },
  );
  return {
    config,
    async cleanup() {
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestServer(
  overrides: Partial<Config> = {},
): Promise<TestServer> {
  const { config, cleanup } = await testConfig(overrides);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const runtime = await openRuntime(config, createLogger('debug', sink));
  const builder = new ReportBuilder(1);
  const app = await buildApp({ ...runtime, builder });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    app,
    runtime,
    config,
    logs,
    createOrg: (name = 'Test org') => createOrganization(runtime.db, name),
    async createToken(orgId, kind = 'ingest') {
      const issued = await createToken(runtime.db, {
        orgId,
        name: 'test',
        kind,
      });
      return issued.token;
    },
    async close() {
      // As `serve` does on shutdown, with a shorter grace: connections still
      // busy after it (a test's abandoned download) are cut, not waited for.
      await closeApp(app, 500);
      await builder.close();
      await runtime.close();
      await cleanup();
    },
  };
}
