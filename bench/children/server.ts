/**
 * The server under test, in its own process so that its memory can be read
 * and the load generator does not share its event loop. It is `serve`'s
 * app (the same buildApp, runtime and report builder; the webhook
 * dispatcher is left out and benched on its own), plus routes for the
 * baselines, which exist only here:
 *
 * - `PUT /bench/constant/:name` stores a text body; `GET` answers it as
 *   JSON: the framework's ceiling for a response of that size.
 * - `GET /bench/file/:key?size=N` streams one file from the file store.
 *
 * Reports its URL to the parent over IPC; stops on SIGTERM.
 */
import { Type } from '@sinclair/typebox';
import { loadConfig } from '../../src/config.js';
import { buildApp, type App } from '../../src/http/app.js';
import { ReportBuilder } from '../../src/ingest/worker-pool.js';
import { openRuntime } from '../../src/runtime.js';

const constants = new Map<string, string>();

function addBaselineRoutes(app: App): void {
  const { files } = app.services;
  const Name = Type.Object({ name: Type.String() });

  app.put('/bench/constant/:name', { schema: { params: Name } }, (req) => {
    constants.set(req.params.name, String(req.body));
    return { stored: constants.get(req.params.name)!.length };
  });
  app.get('/bench/constant/:name', { schema: { params: Name } }, (req, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .send(constants.get(req.params.name) ?? '{}'),
  );
  app.get(
    '/bench/file/:key',
    {
      schema: {
        params: Type.Object({ key: Type.String() }),
        querystring: Type.Object({ size: Type.Integer() }),
      },
    },
    async (req, reply) => {
      const stream = await files.open(req.params.key);
      reply
        .type('application/octet-stream')
        .header('content-length', req.query.size);
      return reply.send(stream);
    },
  );
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, { port: 0, host: '127.0.0.1' });
  const runtime = await openRuntime(config);
  const builder = new ReportBuilder();
  const app = await buildApp({ ...runtime, builder });
  addBaselineRoutes(app);
  await app.listen({ port: 0, host: '127.0.0.1' });

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ url: `http://127.0.0.1:${port}` });

  process.once('SIGTERM', () => {
    void (async () => {
      await app.close();
      await builder.close();
      await runtime.close();
      process.disconnect?.();
    })();
  });
}

await main();
