/**
 * The receivers in docs/examples verify real deliveries: the documentation
 * a user copies from is tested like code.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { runCli, startServe } from '../support/cli.js';
import { testConfig } from '../support/server.js';
import { ingest, waitFor } from '../support/webhook-receiver.js';

let env: Record<string, string | undefined>;
let cleanup: () => Promise<void>;
let serve: { url: string; child: ChildProcess };
let orgId: string;
let token: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function cli(args: string[]): Promise<any> {
  const result = await runCli([...args, '--json'], env);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

before(async () => {
  const made = await testConfig();
  cleanup = made.cleanup;
  env = {
    DATA_DIR: made.config.dataDir,
    DATABASE_URL: made.config.databaseUrl,
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
    LOG_LEVEL: 'warn',
  };
  serve = await startServe(env);
  orgId = (await cli(['org', 'create', '--name', 'Docs'])).id;
  token = (await cli(['token', 'create', '--org', orgId])).token;
});

after(async () => {
  serve.child.kill('SIGTERM');
  await new Promise((resolve) => serve.child.once('exit', resolve));
  await cleanup();
});

async function receiveWith(command: string, file: string, version: string) {
  const port = await freePort();
  const { id, secret } = await cli([
    'webhook',
    'add',
    '--org',
    orgId,
    '--url',
    `http://127.0.0.1:${port}/`,
  ]);
  const receiver = spawn(command, [file], {
    env: { ...process.env, PORT: String(port), WEBHOOK_SECRET: secret },
  });
  let output = '';
  receiver.stdout.on('data', (chunk: Buffer) => (output += chunk));
  try {
    await waitFor(
      async () => {
        const probe = await fetch(`http://127.0.0.1:${port}/`, {
          method: 'POST',
          body: '{}',
        }).catch(() => undefined);
        return probe?.status === 401;
      },
      10_000,
      'the example receiver to start',
    );
    await ingest(serve.url, token, version);
    await waitFor(() => output.split('\n').length > 2, 10_000, 'deliveries');
  } finally {
    receiver.kill();
    await cli(['webhook', 'remove', id]);
  }
  return output.trim().split('\n').sort();
}

test('the Node.js example receiver verifies and prints deliveries', async () => {
  const lines = await receiveWith(
    process.execPath,
    'docs/examples/receiver.mjs',
    '1.0.0',
  );
  assert.deepEqual(lines, [
    'report.created Acme 1.0.0 CWE Top 25 2024 A',
    'report.created Acme 1.0.0 OWASP Top 10 2021 A',
  ]);
});

const python = spawnSync('python3', ['--version']).status === 0;

test(
  'the Python example receiver verifies and prints deliveries',
  { skip: python ? false : 'python3 is not installed' },
  async () => {
    const lines = await receiveWith(
      'python3',
      'docs/examples/receiver.py',
      '2.0.0',
    );
    assert.deepEqual(lines, [
      'report.created Acme 2.0.0 CWE Top 25 2024 A',
      'report.created Acme 2.0.0 OWASP Top 10 2021 A',
    ]);
  },
);
