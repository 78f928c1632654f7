import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let token: string;

const bundle = JSON.stringify({
  projectKey: 'busy',
  projectVersion: '1.0.0',
  sonarqube: { issues: [{ issues: [] }] },
});

before(async () => {
  server = await startTestServer({ maxConcurrentIngests: 1 });
  token = await server.createToken((await server.createOrg()).id);
});

after(() => server.close());

function post(body: string) {
  return fetch(`${server.url}/security/report/analysis`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body,
  });
}

test('an ingest beyond the concurrent limit answers 429 with Retry-After', async () => {
  // The first ingest sends half its body and waits: it holds the only slot.
  const { port } = new URL(server.url);
  const slow = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/security/report/analysis',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(bundle),
    },
  });
  const slowAnswer = new Promise<number>((resolve, reject) => {
    slow.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    slow.on('error', reject);
  });
  slow.write(bundle.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 200));

  const busy = await post(bundle);
  assert.equal(busy.status, 429);
  assert.equal(busy.headers.get('retry-after'), '5');
  const body = (await busy.json()) as { code: string; message: string };
  assert.equal(body.code, 'rate_limited');
  assert.match(body.message, /1 ingests are already being processed/);

  slow.end(bundle.slice(10));
  assert.equal(await slowAnswer, 201);
  assert.equal((await post(bundle)).status, 200, 'the slot is free again');
});

test('a client that gives up frees its slot', async () => {
  const controller = new AbortController();
  const { port } = new URL(server.url);
  const abandoned = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/security/report/analysis',
    signal: controller.signal,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-length': 1000,
    },
  });
  abandoned.on('error', () => {});
  abandoned.write('{');
  await new Promise((resolve) => setTimeout(resolve, 200));
  controller.abort();
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal((await post(bundle)).status, 200);
});
