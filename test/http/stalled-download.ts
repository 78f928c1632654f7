/**
 * A download whose client stops reading: a real server over a report large
 * enough to fill the socket buffers, and a client that never reads.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp, type App, type AppOptions } from '../../src/http/app.js';
import { ReportBuilder } from '../../src/ingest/worker-pool.js';
import { createLogger } from '../../src/log.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { createOrganization } from '../../src/store/orgs.js';
import { seedReport } from '../support/reports.js';
import { testConfig, type TestServer } from '../support/server.js';

/** How many of this process's open fds point under `dir` ('' for all). */
export function openFilesUnder(dir: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)) count += 1;
    } catch {
      // The fd readdir itself used, closed by now.
    }
  }
  return count;
}

/** Lets streams opened or destroyed just now reach their fd. */
export const settle = () => sleep(200);

export async function untilTrue(
  check: () => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
}

/** More than loopback's socket buffers hold, so the server must wait. */
const bigReportBytes = 24 * 1024 * 1024;

/** Seeds a big report on `host` and starts a download nobody reads. */
export async function stallDownload(
  host: { url: string; runtime: Runtime },
  orgId: string,
): Promise<Socket> {
  const report = await seedReport(host as unknown as TestServer, orgId, {
    projectVersion: '1.0.0',
    files: [
      {
        name: 'report.html',
        contentType: 'text/html',
        text: 'x'.repeat(bigReportBytes),
      },
    ],
  });
  const { hostname, port } = new URL(host.url);
  const client = connect({ host: hostname, port: Number(port) });
  client.pause();
  client.on('error', () => {});
  client.write(
    `GET /security/report/files?org=${orgId}&reports=${report.id} ` +
      'HTTP/1.1\r\nHost: x\r\n\r\n',
  );
  return client;
}

export interface StalledDownload {
  app: App;
  client: Socket;
  /** The file store's folder, to count the files held open. */
  store: string;
  close(): Promise<void>;
}

/** A server built with `options`, with a download in progress. */
export async function startStalledDownload(
  options: AppOptions,
): Promise<StalledDownload> {
  const { config, cleanup } = await testConfig();
  const runtime = await openRuntime(config, createLogger('silent'));
  const builder = new ReportBuilder(1);
  const app = await buildApp({ ...runtime, builder }, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  const org = await createOrganization(runtime.db, 'Stalled');
  const store = join(config.dataDir, 'files');
  const client = await stallDownload({ url, runtime }, org.id);
  await untilTrue(() => openFilesUnder(store) > 0, 5_000);
  return {
    app,
    client,
    store,
    async close() {
      await app.close();
      await builder.close();
      await runtime.close();
      await cleanup();
    },
  };
}
