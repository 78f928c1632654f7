/**
 * `reporthub serve`: the HTTP API and the background work around it, with a
 * clean shutdown on SIGINT and SIGTERM.
 */
import type { Config } from './config.js';
import { buildApp, type App } from './http/app.js';
import { ReportBuilder } from './ingest/worker-pool.js';
import { openRuntime, type Runtime } from './runtime.js';
import { scheduleMaintenance } from './maintenance.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';

export interface RunningServer {
  app: App;
  runtime: Runtime;
  /** The address it listens on, e.g. `http://127.0.0.1:8080`. */
  url: string;
  close(): Promise<void>;
}

/**
 * How long shutdown waits for requests under way (an ingest finishing its
 * write) before it drops their connections: a download whose client stopped
 * reading would otherwise keep the process alive.
 */
const SHUTDOWN_GRACE_MS = 10_000;

export interface ServeOptions {
  shutdownGraceMs?: number;
}

/** Closes the app, cutting connections still busy after the grace period. */
export async function closeApp(app: App, graceMs: number): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}

/** Opens the runtime, listens, and starts the dispatcher and maintenance. */
export async function startServer(
  config: Config,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const runtime = await openRuntime(config);
  const builder = new ReportBuilder();
  const app = await buildApp({ ...runtime, builder });
  const dispatcher = new WebhookDispatcher(runtime);
  // A successful POST (an ingest, a test event, a redelivery) may have
  // queued deliveries: look at once instead of at the next poll.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'POST' && reply.statusCode < 300) dispatcher.nudge();
  });
  await app.listen({ port: config.port, host: config.host });

  const address = app.server.address();
  const port =
    typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  runtime.log.info({ port, dataDir: config.dataDir }, 'server listening');
  dispatcher.start();
  const stopMaintenance = scheduleMaintenance(
    runtime,
    config.maintenanceIntervalSeconds,
  );

  return {
    app,
    runtime,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    async close() {
      stopMaintenance();
      await closeApp(app, options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
      await dispatcher.stop();
      await builder.close();
      await runtime.close();
    },
  };
}
