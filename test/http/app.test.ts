import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(() => server.close());

test('healthz answers 200 with a request id', async () => {
  const response = await fetch(`${server.url}/healthz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok' });
  assert.match(response.headers.get('x-request-id')!, /^req_/);
});

test('an unknown route answers 404 not_found in the error shape', async () => {
  const response = await fetch(`${server.url}/security/report/nope`);
  assert.equal(response.status, 404);
  const body = (await response.json()) as { code: string; message: string };
  assert.equal(body.code, 'not_found');
  assert.match(body.message, /\/security\/report\/nope/);
  assert.ok(response.headers.get('x-request-id'));
});

test('the OpenAPI document describes every public route', async () => {
  const response = await fetch(`${server.url}/openapi.json`);
  const doc = (await response.json()) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };
  assert.match(doc.openapi, /^3\./);
  for (const [path, method] of [
    ['/security/report/list', 'get'],
    ['/security/report/files', 'get'],
    ['/security/report/analysis', 'post'],
    ['/security/report/upload', 'post'],
    ['/healthz', 'get'],
  ] as const) {
    assert.ok(doc.paths[path]?.[method], `${method} ${path} documented`);
  }
});

test('a server fault answers 500 internal_error without leaking details', async () => {
  const broken = await startTestServer();
  const org = await broken.createOrg();
  await broken.runtime.db.kysely.schema.dropTable('report_files').execute();
  await broken.runtime.db.kysely.schema.dropTable('reports').execute();
  const response = await fetch(
    `${broken.url}/security/report/list?org=${org.id}&version=1`,
  );
  const text = await response.text();
  await broken.close();

  assert.equal(response.status, 500);
  const body = JSON.parse(text) as Record<string, string>;
  assert.equal(body.code, 'internal_error');
  assert.equal(body.requestId, response.headers.get('x-request-id'));
  assert.doesNotMatch(text, /select|from|reports|at \w+ \(/i);
});
