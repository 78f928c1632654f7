/**
 * Webhook commands: manage an org's endpoints, run the dispatcher alone
 * (`worker`) and watch deliveries locally (`listen`).
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openRuntime } from '../runtime.js';
import { deleteEndpointRow } from '../store/webhook-endpoints.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { createEndpoint, listEndpoints } from '../webhooks/endpoints.js';
import { startListener } from '../webhooks/listen.js';
import { requireOrg, withRuntime } from './runtime.js';
import { print } from './output.js';

/** Resolves on the first Ctrl-C or SIGTERM, so a command can clean up. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

function eventList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '');
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run the webhook dispatcher alone, for scale (several workers may ' +
        'share one PostgreSQL database)',
    )
    .action(async () => {
      const runtime = await openRuntime(loadConfig());
      const dispatcher = new WebhookDispatcher(runtime);
      dispatcher.start();
      process.stdout.write('Report Hub webhook worker running\n');
      await untilStopped();
      await dispatcher.stop();
      await runtime.close();
    });
}

export function registerListenCommand(program: Command): void {
  program
    .command('listen')
    .description(
      'a local webhook receiver: verifies each delivery and prints it',
    )
    .requiredOption('--port <port>', 'port to listen on (0 picks a free one)')
    .requiredOption('--secret <secret>', "the endpoint's whsec_ secret")
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (options: { port: string; secret: string; host: string }) => {
      const listener = await startListener({
        port: Number(options.port),
        host: options.host,
        secret: options.secret,
        out: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write(`listening on ${listener.url}\n`);
      await untilStopped();
      await listener.close();
    });
}

export function registerWebhookCommands(program: Command): void {
  const webhook = program
    .command('webhook')
    .description("manage an organization's webhook endpoints");

  webhook
    .command('add')
    .description('add an endpoint and print its secret (shown once)')
    .requiredOption('--org <id>', 'organization ID')
    .requiredOption('--url <url>', 'where to POST events (http or https)')
    .option(
      '--events <types>',
      'comma-separated: report.created,report.updated (default: all)',
    )
    .option('--description <text>', 'what the endpoint is for')
    .option('--json', 'print {"id","secret"}')
    .action(
      async (options: {
        org: string;
        url: string;
        events?: string;
        description?: string;
        json?: boolean;
      }) => {
        const created = await withRuntime(async (rt) => {
          const org = await requireOrg(rt, options.org);
          return createEndpoint(rt, org.id, {
            url: options.url,
            description: options.description,
            eventTypes: eventList(options.events),
          });
        });
        const { id, url } = created.endpoint;
        print(
          !!options.json,
          { id, secret: created.secret },
          `${id}  ${url}\n${created.secret}\n(secret shown once, store it now)`,
        );
      },
    );

  webhook
    .command('list')
    .description("list an organization's endpoints (never the secrets)")
    .requiredOption('--org <id>', 'organization ID')
    .option('--json', 'print JSON')
    .action(async (options: { org: string; json?: boolean }) => {
      const endpoints = await withRuntime(async (rt) =>
        listEndpoints(rt, (await requireOrg(rt, options.org)).id),
      );
      const lines = endpoints.map(
        (e) =>
          `${e.id}  ${e.enabled ? 'enabled ' : 'disabled'}  ` +
          `${e.eventTypes.join(',')}  ${e.url}`,
      );
      print(!!options.json, endpoints, lines.join('\n') || '(no endpoints)');
    });

  webhook
    .command('remove <id>')
    .description('delete an endpoint and its delivery log')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const removed = await withRuntime((rt) => deleteEndpointRow(rt.db, id));
      if (!removed) throw new Error(`no webhook endpoint with ID ${id}`);
      print(!!options.json, { id, removed: true }, `removed ${id}`);
    });
}
