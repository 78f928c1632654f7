// `serve` runs as a child process and is killed with SIGKILL while it is
// sending; the receiver is ours, on 127.0.0.1 port 0.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { freshPostgres } from '../support/server.js';
import {
  ingest,
  startReceiver,
  waitFor,
  type Receiver,
} from '../support/webhook-receiver.js';

const bin = fileURLToPath(
  new URL('../../../bin/reporthub.js', import.meta.url),
);
const run = promisify(execFile);
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function environment(): Promise<NodeJS.ProcessEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reporthub-crash-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
    WEBHOOK_RETRY_INTERVAL_SECONDS: '1',
    WEBHOOK_TIMEOUT_MS: '2000',
  };
  delete env.DATABASE_URL;
  if (process.env.DATABASE_URL) {
    const database = await freshPostgres(process.env.DATABASE_URL);
    cleanups.push(() => database.drop());
    env.DATABASE_URL = database.url;
  }
  return env;
}

async function cli(env: NodeJS.ProcessEnv, ...args: string[]) {
  const { stdout } = await run(process.execPath, [bin, ...args, '--json'], {
    env,
  });
  return JSON.parse(stdout);
}

/** Starts `serve`; resolves with its URL once it listens. */
async function serve(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  return { child, url };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface Receipt {
  id: string;
  reportIds: string;
  ok: boolean;
}

it('loses no event when the server is killed mid-delivery', async () => {
  const env = await environment();
  const receiver: Receiver = await startReceiver();
  cleanups.push(() => receiver.close());

  const org = await cli(env, 'org', 'create', '--name', 'Crash');
  const token = await cli(env, 'token', 'create', '--org', org.id);
  const endpoint = await cli(
    env,
    'webhook',
    'add',
    '--org',
    org.id,
    '--url',
    receiver.url,
  );
  const webhook = new Webhook(endpoint.secret);

  let first = await serve(env);
  // While reports are ingested, refuse everything: deliveries pile up.
  let accepting = false;
  let answered = 0;
  let cutOff = '';
  const receipts: Receipt[] = [];
  receiver.answer = async (request) => {
    webhook.verify(request.body, request.headers as Record<string, string>);
    const receipt = {
      id: String(request.headers['webhook-id']),
      reportIds: idsOf(request.body),
      ok: accepting,
    };
    receipts.push(receipt);
    if (!accepting) return { status: 503 };
    // The 30th accepted delivery dies with the server before it is
    // recorded: it must come again, under the same webhook-id.
    if (++answered === 30) {
      cutOff = receipt.id;
      first.child.kill('SIGKILL');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { status: 200 };
  };

  const expected: string[] = [];
  for (let i = 0; i < 100; i += 4) {
    const batch = await Promise.all(
      [0, 1, 2, 3].map((j) => ingest(first.url, token.token, `1.0.${i + j}`)),
    );
    for (const answer of batch) {
      assert.equal(answer.reports.length, 2);
      expected.push(
        answer.reports
          .map((r) => r.id)
          .sort()
          .join(','),
      );
    }
  }
  accepting = true;

  await exited(first.child);
  assert.equal(first.child.signalCode, 'SIGKILL');
  first = await serve(env);

  const delivered = await waitFor(
    () => {
      const ok = receipts.filter((r) => r.ok);
      const got = new Set(ok.map((r) => r.reportIds));
      // The cut-off delivery comes again once its lease runs out.
      const again = ok.filter((r) => r.id === cutOff).length > 1;
      return again && expected.every((ids) => got.has(ids)) && got;
    },
    40_000,
    'every event delivered after the restart',
  );
  assert.equal(delivered.size, 100);

  const idsByEvent = new Map<string, Set<string>>();
  for (const receipt of receipts) {
    const ids = idsByEvent.get(receipt.reportIds) ?? new Set<string>();
    idsByEvent.set(receipt.reportIds, ids.add(receipt.id));
  }
  assert.ok([...idsByEvent.values()].every((ids) => ids.size === 1));

  first.child.kill('SIGTERM');
  await exited(first.child);
});

function idsOf(body: string): string {
  const parsed = JSON.parse(body) as { reports: Array<{ id: string }> };
  return parsed.reports
    .map((r) => r.id)
    .sort()
    .join(',');
}
