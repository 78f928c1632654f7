// Every URL here names loopback; the refused ones are judged before any
// connection, the accepted ones point at ports nobody is asked to answer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../../src/config.js';
import { WebhookDispatcher } from '../../src/webhooks/dispatcher.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ingest, startReceiver, waitFor } from '../support/webhook-receiver.js';

const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

async function serverWith(overrides: Partial<Config> = {}) {
  const server = await startTestServer(overrides);
  closers.push(() => server.close());
  return server;
}

function call(server: TestServer, token: string | undefined) {
  return async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

async function adminOf(server: TestServer) {
  const org = await server.createOrg();
  return {
    orgId: org.id,
    token: await server.createToken(org.id, 'admin'),
    api: call(server, await server.createToken(org.id, 'admin')),
  };
}

describe('the webhook admin API', () => {
  let server: TestServer;
  before(async () => {
    server = await serverWith();
  });

  it('creates, lists, reads, changes and deletes an endpoint', async () => {
    const { api } = await adminOf(server);
    const created = await api('POST', '/admin/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      description: 'CI',
    });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^ep_/);
    assert.match(created.body.secret, /^whsec_/);
    assert.deepEqual(created.body.eventTypes, [
      'report.created',
      'report.updated',
    ]);
    const id = created.body.id;

    const list = await api('GET', '/admin/webhooks');
    assert.equal(list.body.endpoints.length, 1);
    assert.equal(list.body.endpoints[0].secret, undefined);
    assert.equal(JSON.stringify(list.body).includes('whsec_'), false);

    const patched = await api('PATCH', `/admin/webhooks/${id}`, {
      enabled: false,
      eventTypes: ['report.updated'],
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.enabled, false);
    assert.deepEqual(patched.body.eventTypes, ['report.updated']);

    assert.equal((await api('GET', `/admin/webhooks/${id}`)).status, 200);
    assert.equal((await api('DELETE', `/admin/webhooks/${id}`)).status, 204);
    assert.equal((await api('GET', `/admin/webhooks/${id}`)).status, 404);
  });

  it('answers 404 for an endpoint of another organization', async () => {
    const mine = await adminOf(server);
    const theirs = await adminOf(server);
    const { body } = await theirs.api('POST', '/admin/webhooks', {
      url: 'http://127.0.0.1:9/',
    });
    for (const [method, path] of [
      ['GET', `/admin/webhooks/${body.id}`],
      ['PATCH', `/admin/webhooks/${body.id}`],
      ['DELETE', `/admin/webhooks/${body.id}`],
      ['POST', `/admin/webhooks/${body.id}/rotate-secret`],
      ['POST', `/admin/webhooks/${body.id}/test`],
      ['GET', `/admin/webhooks/${body.id}/deliveries`],
    ] as const) {
      const answer = await mine.api(
        method,
        path,
        method === 'PATCH' ? {} : undefined,
      );
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.equal(answer.body.code, 'not_found');
    }
  });

  it('takes only an admin token', async () => {
    const org = await server.createOrg();
    const ingestToken = await server.createToken(org.id, 'ingest');
    const none = await call(server, undefined)('GET', '/admin/webhooks');
    assert.equal(none.status, 401);
    const ingestOnly = await call(server, ingestToken)(
      'GET',
      '/admin/webhooks',
    );
    assert.equal(ingestOnly.status, 403);
    assert.equal(ingestOnly.body.code, 'forbidden');
  });

  it('refuses unknown event types and a missing URL', async () => {
    const { api } = await adminOf(server);
    const type = await api('POST', '/admin/webhooks', {
      url: 'http://127.0.0.1:9/',
      eventTypes: ['report.deleted'],
    });
    assert.equal(type.body.code, 'invalid_parameter');
    const missing = await api('POST', '/admin/webhooks', {});
    assert.equal(missing.body.code, 'missing_parameter');
  });

  it('queues a report.test event with the list shape', async () => {
    const { api, orgId } = await adminOf(server);
    const receiver = await startReceiver();
    closers.push(() => receiver.close());
    const dispatcher = new WebhookDispatcher(server.runtime);
    dispatcher.start();
    closers.push(() => dispatcher.stop());

    const { body } = await api('POST', '/admin/webhooks', {
      url: receiver.url,
    });
    const queued = await api('POST', `/admin/webhooks/${body.id}/test`);
    assert.equal(queued.status, 202);
    assert.match(queued.body.deliveryId, /^msg_/);

    const request = await waitFor(() => receiver.requests[0]);
    assert.equal(request.headers['x-reporthub-event'], 'report.test');
    assert.equal(request.headers['webhook-id'], queued.body.deliveryId);
    assert.deepEqual(JSON.parse(request.body), {
      organizationId: orgId,
      reports: [],
    });
  });
});

describe('the SSRF guard when saving', () => {
  const forms = [
    'http://127.0.0.1:9/',
    'http://127.9.9.9:9/',
    'http://[::1]:9/',
    'http://[::ffff:127.0.0.1]:9/',
    'http://localhost:9/',
    'http://0.0.0.0:9/',
  ];

  it('refuses every loopback form with webhook_url_not_allowed', async () => {
    const server = await serverWith({ webhookAllowedCidrs: '' });
    const { api } = await adminOf(server);
    for (const url of forms) {
      const answer = await api('POST', '/admin/webhooks', { url });
      assert.equal(answer.status, 400, url);
      assert.equal(answer.body.code, 'webhook_url_not_allowed', url);
      assert.match(answer.body.message, /loopback|unspecified/, url);
    }
  });

  it('accepts them when WEBHOOK_ALLOWED_CIDRS lists their ranges', async () => {
    const server = await serverWith({
      webhookAllowedCidrs: '127.0.0.0/8,::1/128,0.0.0.0/32',
    });
    const { api } = await adminOf(server);
    const ids: string[] = [];
    for (const url of forms) {
      const answer = await api('POST', '/admin/webhooks', { url });
      assert.equal(answer.status, 201, url);
      ids.push(answer.body.id);
    }
    const patch = await api('PATCH', `/admin/webhooks/${ids[0]}`, {
      url: 'ftp://127.0.0.1:9/',
    });
    assert.equal(patch.body.code, 'webhook_url_not_allowed');
  });
});

describe('secrets in logs', () => {
  it('never logs a secret or a token across create, rotate and deliver', async () => {
    const server = await serverWith();
    const org = await server.createOrg();
    const token = await server.createToken(org.id, 'admin');
    const ingestToken = await server.createToken(org.id, 'ingest');
    const api = call(server, token);
    const receiver = await startReceiver();
    closers.push(() => receiver.close());
    const dispatcher = new WebhookDispatcher(server.runtime);
    dispatcher.start();
    closers.push(() => dispatcher.stop());

    const created = await api('POST', '/admin/webhooks', { url: receiver.url });
    const rotated = await api(
      'POST',
      `/admin/webhooks/${created.body.id}/rotate-secret`,
    );
    await ingest(server.url, ingestToken, '1.0.0');
    const request = await waitFor(() => receiver.requests[0]);
    new Webhook(rotated.body.secret).verify(
      request.body,
      request.headers as Record<string, string>,
    );
    await waitFor(() =>
      server.logs.some((l) => l.includes('webhook delivered')),
    );

    const logs = server.logs.join('\n');
    for (const secret of [created.body.secret, rotated.body.secret]) {
      assert.equal(logs.includes(secret), false);
      assert.equal(logs.includes(secret.slice('whsec_'.length)), false);
    }
    assert.equal(logs.includes(token), false);
    assert.equal(logs.includes(ingestToken), false);
    assert.match(logs, /"endpointId":"ep_/);
  });
});
