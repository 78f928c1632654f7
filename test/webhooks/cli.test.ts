// Commands run as child processes on a temp data folder (or a fresh
// PostgreSQL database); `listen` binds 127.0.0.1 port 0.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { generateSecret } from '../../src/webhooks/secret.js';
import { webhookHeaders } from '../../src/webhooks/sign.js';
import { freshPostgres } from '../support/server.js';

const bin = fileURLToPath(
  new URL('../../../bin/reporthub.js', import.meta.url),
);
const exec = promisify(execFile);
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let env: NodeJS.ProcessEnv;

async function reporthub(args: string[], extra: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      env: { ...env, ...extra },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

before(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'reporthub-cli-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  env = { ...process.env, DATA_DIR: dataDir, WEBHOOK_ALLOWED_CIDRS: '::1/128' };
  delete env.DATABASE_URL;
  if (process.env.DATABASE_URL) {
    const database = await freshPostgres(process.env.DATABASE_URL);
    cleanups.push(() => database.drop());
    env.DATABASE_URL = database.url;
  }
});

describe('reporthub webhook', () => {
  it('has help for every webhook command', async () => {
    for (const command of [
      ['webhook', 'add'],
      ['webhook', 'list'],
      ['webhook', 'remove'],
      ['worker'],
      ['listen'],
    ]) {
      const { code, stdout } = await reporthub([...command, '--help']);
      assert.equal(code, 0);
      assert.match(stdout, /^Usage: reporthub /);
    }
  });

  it('adds, lists and removes an endpoint', async () => {
    const org = JSON.parse(
      (await reporthub(['org', 'create', '--name', 'CLI', '--json'])).stdout,
    );
    const added = await reporthub([
      'webhook',
      'add',
      '--org',
      org.id,
      '--url',
      'http://[::1]:9/hook',
      '--events',
      'report.created',
      '--json',
    ]);
    const { id, secret } = JSON.parse(added.stdout);
    assert.deepEqual(Object.keys(JSON.parse(added.stdout)), ['id', 'secret']);
    assert.match(secret, /^whsec_/);

    const listed = await reporthub(['webhook', 'list', '--org', org.id]);
    assert.match(
      listed.stdout,
      new RegExp(`${id}\\s+enabled\\s+report.created`),
    );
    assert.equal(listed.stdout.includes(secret), false);

    assert.equal((await reporthub(['webhook', 'remove', id])).code, 0);
    const again = await reporthub(['webhook', 'remove', id]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, `error: no webhook endpoint with ID ${id}\n`);
  });

  it('refuses a loopback URL that the allow-list does not cover', async () => {
    const org = JSON.parse(
      (await reporthub(['org', 'create', '--name', 'SSRF', '--json'])).stdout,
    );
    const refused = await reporthub([
      'webhook',
      'add',
      '--org',
      org.id,
      '--url',
      'http://127.0.0.1:9/',
    ]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^error: .*loopback.*webhook_url_not_allowed\)\n$/,
    );
  });
});

describe('reporthub listen', () => {
  it('verifies a delivery, prints it and stops on Ctrl-C', async () => {
    const secret = generateSecret();
    const child = spawn(
      process.execPath,
      [bin, 'listen', '--port', '0', '--secret', secret],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(async () => child.exitCode ?? child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const url = await new Promise<string>((resolve) => {
      child.stdout.on('data', () => {
        const match = /listening on (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
    });

    const body = JSON.stringify({ organizationId: 'o', reports: [] });
    const headers = webhookHeaders({
      id: 'msg_cli',
      timestampSeconds: Math.floor(Date.now() / 1000),
      body,
      secrets: [secret],
      eventType: 'report.created',
    });
    const answer = await fetch(url, { method: 'POST', headers, body });
    assert.equal(answer.status, 204);
    const forged = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'webhook-id': 'msg_other' },
      body,
    });
    assert.equal(forged.status, 401);

    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
    assert.match(out, /report\.created msg_cli/);
    assert.match(out, /refused a delivery/);
  });
});
