/**
 * Builds the Fastify app from its parts. `serve` and the tests use this one
 * function, so tests exercise what users run.
 */
import { randomBytes } from 'node:crypto';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Config } from '../config.js';
import { HubError } from '../errors.js';
import type { Logger } from '../log.js';
import type { FileStore } from '../store/files/file-store.js';
import type { Db } from '../store/db.js';
import type { SecretBox } from '../store/secret-box.js';
import type { ReportBuilder } from '../ingest/worker-pool.js';
import { clientErrorHandler } from './client-errors.js';
import { sendError } from './errors.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { openApiRoutes } from './routes/openapi.js';
import { DOWNLOAD_IDLE_TIMEOUT_MS, reportRoutes } from './routes/reports.js';
import { webhookRoutes } from './routes/webhooks.js';

/** What the routes need: configuration, storage, logging. */
export interface Services {
  config: Config;
  db: Db;
  files: FileStore;
  log: Logger;
  builder: ReportBuilder;
  secretBox: SecretBox;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  Logger,
  TypeBoxTypeProvider
>;

/**
 * The longest URL we read. Node's default (16 KiB) would answer a request
 * with many report IDs with a bare 431 before our validation could explain
 * what is wrong; at 1 MiB, 10,000 IDs still get a `too_many_reports`.
 */
const maxHeaderBytes = 1024 * 1024;

/**
 * The largest body of a route that does not set its own limit (the admin
 * JSON). Ingest sets `maxBundleBytes` on its own parser; a global limit that
 * high would let any client make the server buffer it before auth.
 */
const maxJsonBodyBytes = 1024 * 1024;

/** Knobs tests turn; `serve` takes the defaults. */
export interface AppOptions {
  /** A download whose client reads nothing for this long is dropped. */
  downloadIdleTimeoutMs?: number;
}

/**
 * Request IDs: a random prefix per process and a counter. Unique enough to
 * find a request in the logs of several servers, and without a call into
 * the random source on every request (3% of a cached list answer's CPU).
 */
const requestIdPrefix = `req_${randomBytes(6).toString('base64url')}`;
let requestCounter = 0;

function newRequestId(): string {
  requestCounter += 1;
  return `${requestIdPrefix}${requestCounter.toString(36)}`;
}

/** The whole HTTP API, for `serve` and tests alike; not yet listening. */
export async function buildApp(
  services: Services,
  options: AppOptions = {},
): Promise<App> {
  const app: App = Fastify({
    loggerInstance: services.log,
    // Our onResponse hook logs each request once, with the fields we want.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: newRequestId,
    http: { maxHeaderSize: maxHeaderBytes },
    bodyLimit: maxJsonBodyBytes,
    ajv: { customOptions: { coerceTypes: 'array', allErrors: false } },
    // A bad URL is rejected before routing, so before our onRequest hook.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id);
      sendError(error, request, reply);
    },
    clientErrorHandler: clientErrorHandler({
      log: services.log,
      newRequestId,
      maxHeaderBytes,
    }),
    // On close, idle keep-alive connections go at once; `serve` cuts busy
    // ones after a grace period (see server.ts).
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('services', services);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    request.log[level](
      {
        method: request.method,
        url: request.routeOptions.url ?? 'unknown',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });
  app.setErrorHandler((error, request, reply) =>
    sendError(error, request, reply),
  );
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new HubError(
        'not_found',
        `No route for ${request.method} ${request.url.split('?')[0]}.`,
      ),
      request,
      reply,
    ),
  );

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Report Hub API',
        version: '1',
        description:
          'SonarQube security reports per organization: list, download, ingest.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(healthRoutes);
  await app.register(reportRoutes, {
    downloadIdleTimeoutMs:
      options.downloadIdleTimeoutMs ?? DOWNLOAD_IDLE_TIMEOUT_MS,
  });
  await app.register(ingestRoutes);
  await app.register(webhookRoutes);
  await app.register(openApiRoutes);
  return app;
}
