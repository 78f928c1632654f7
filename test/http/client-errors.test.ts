import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { sendRaw, type RawResponse } from './raw-http.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(() => server.close());

function assertContractError(
  response: RawResponse,
  status: number,
  code: string,
): void {
  assert.equal(response.status, status, response.body);
  assert.match(response.headers['x-request-id'] ?? '', /^req_/);
  assert.match(response.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  assert.equal(body.code, code);
  assert.equal(typeof body.message, 'string');
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message']);
}

test('a malformed percent-encoding in the URL answers 400 in the error shape with a request id', async () => {
  const response = await fetch(`${server.url}/security/report/%E0%A4%A`);
  const text = await response.text();
  assert.equal(response.status, 400);
  assert.match(response.headers.get('x-request-id') ?? '', /^req_/);
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.equal(body.code, 'invalid_request');
  assert.match(String(body.message), /percent-encoding/);
  assert.doesNotMatch(text, /FST_|Bad Request/);
});

test('a non-numeric Content-Length answers 400 invalid_body, not a bare parser error', async () => {
  const response = await sendRaw(
    server.url,
    'POST /security/report/analysis HTTP/1.1\r\nHost: x\r\n' +
      'Content-Length: abc\r\n\r\n{}',
  );
  assertContractError(response, 400, 'invalid_body');
});

test('both Transfer-Encoding and Content-Length answer 400 invalid_body', async () => {
  const response = await sendRaw(
    server.url,
    'POST /security/report/analysis HTTP/1.1\r\nHost: x\r\n' +
      'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '0\r\n\r\n',
  );
  assertContractError(response, 400, 'invalid_body');
});

test('an unknown method answers 400 invalid_request in the error shape', async () => {
  const response = await sendRaw(
    server.url,
    'FOO /security/report/list HTTP/1.1\r\nHost: x\r\n\r\n',
  );
  assertContractError(response, 400, 'invalid_request');
});

test('headers over 1 MiB answer 431 headers_too_large in the error shape', async () => {
  const response = await sendRaw(
    server.url,
    'GET /healthz HTTP/1.1\r\nHost: x\r\n' +
      `X-Filler: ${'a'.repeat(1024 * 1024 + 1024)}\r\n\r\n`,
  );
  assertContractError(response, 431, 'headers_too_large');
});
