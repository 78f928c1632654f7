/**
 * Admin commands that work on the configured database directly: they read
 * the same configuration as `serve` and work while it runs.
 */
import type { Command } from 'commander';
import { createOrganization, listOrganizations } from '../store/orgs.js';
import { createToken, listTokens, revokeToken } from '../store/tokens.js';
import { print } from './output.js';
import { requireOrg, withRuntime } from './runtime.js';

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('manage organizations');
  org
    .command('create')
    .description('create an organization and print its ID')
    .requiredOption('--name <name>', 'display name')
    .option('--json', 'print {"id","name"}')
    .action(async (options: { name: string; json?: boolean }) => {
      const created = await withRuntime((rt) =>
        createOrganization(rt.db, options.name),
      );
      print(!!options.json, created, `${created.id}  ${created.name}`);
    });
  registerOrgList(org);
}

function registerOrgList(org: Command): void {
  org
    .command('list')
    .description('list every organization with its ID')
    .option('--json', 'print [{"id","name"}]')
    .action(async (options: { json?: boolean }) => {
      const orgs = await withRuntime((rt) => listOrganizations(rt.db));
      const lines = orgs.map((o) => `${o.id}  ${o.name}`);
      print(!!options.json, orgs, lines.join('\n') || '(no organizations)');
    });
}

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('make an ingest token (or --admin) and print it once')
    .requiredOption('--org <id>', 'organization ID')
    .option('--name <name>', 'what the token is for', 'ingest')
    .option('--admin', 'an admin token: manages webhooks and tokens')
    .option('--json', 'print {"id","name","token"}')
    .action(
      async (options: {
        org: string;
        name: string;
        admin?: boolean;
        json?: boolean;
      }) => {
        const issued = await withRuntime(async (rt) => {
          const org = await requireOrg(rt, options.org);
          return createToken(rt.db, {
            orgId: org.id,
            name: options.name,
            kind: options.admin ? 'admin' : 'ingest',
          });
        });
        print(
          !!options.json,
          issued,
          `${issued.token}\n(token ${issued.id}; shown once, store it now)`,
        );
      },
    );

  token
    .command('list')
    .description("list an organization's tokens (never the secrets)")
    .requiredOption('--org <id>', 'organization ID')
    .option('--json', 'print JSON')
    .action(async (options: { org: string; json?: boolean }) => {
      const tokens = await withRuntime(async (rt) =>
        listTokens(rt.db, (await requireOrg(rt, options.org)).id),
      );
      const lines = tokens.map(
        (t) => `${t.id}  ${t.kind}  ${t.name}${t.revoked ? '  (revoked)' : ''}`,
      );
      print(!!options.json, tokens, lines.join('\n') || '(no tokens)');
    });

  token
    .command('revoke <id>')
    .description('revoke a token; it stops working at once')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const revoked = await withRuntime((rt) => revokeToken(rt.db, id));
      if (!revoked) throw new Error(`no active token with ID ${id}`);
      print(!!options.json, { id, revoked: true }, `revoked ${id}`);
    });
}
