// Every server and receiver here is our own, on 127.0.0.1 port 0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../../src/config.js';
import { WebhookDispatcher } from '../../src/webhooks/dispatcher.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  ingest,
  startReceiver,
  waitFor,
  type ReceivedRequest,
  type Receiver,
} from '../support/webhook-receiver.js';

interface Setup {
  orgId: string;
  admin: string;
  ingestToken: string;
  receiver: Receiver;
  endpointId: string;
  secret: string;
}

const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

async function serverWith(overrides: Partial<Config>): Promise<TestServer> {
  const server = await startTestServer(overrides);
  closers.push(() => server.close());
  return server;
}

function startDispatcher(server: TestServer, config = server.config) {
  const dispatcher = new WebhookDispatcher({ ...server.runtime, config });
  dispatcher.start();
  closers.push(() => dispatcher.stop());
  return dispatcher;
}

async function adminCall(
  server: TestServer,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function setup(server: TestServer): Promise<Setup> {
  const org = await server.createOrg();
  const admin = await server.createToken(org.id, 'admin');
  const ingestToken = await server.createToken(org.id, 'ingest');
  const receiver = await startReceiver();
  closers.push(() => receiver.close());
  const created = await adminCall(server, admin, 'POST', '/admin/webhooks', {
    url: receiver.url,
  });
  assert.equal(created.status, 201);
  return {
    orgId: org.id,
    admin,
    ingestToken,
    receiver,
    endpointId: created.body.id,
    secret: created.body.secret,
  };
}

async function deliveries(server: TestServer, s: Setup) {
  const path = `/admin/webhooks/${s.endpointId}/deliveries`;
  return (await adminCall(server, s.admin, 'GET', path)).body.deliveries;
}

function verify(secret: string, request: ReceivedRequest): unknown {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k, String(v)]),
  );
  return new Webhook(secret).verify(request.body, headers);
}

describe('the webhook dispatcher', () => {
  let server: TestServer;
  let dispatcher: WebhookDispatcher;

  before(async () => {
    server = await serverWith({ webhookRetryIntervalSeconds: 2 });
    dispatcher = startDispatcher(server);
  });

  it('delivers each event signed, with the list answer byte for byte', async () => {
    const s = await setup(server);
    const first = await ingest(server.url, s.ingestToken, '1.0.0');
    await ingest(server.url, s.ingestToken, '1.0.0');

    await waitFor(() => s.receiver.requests.length >= 2, 10_000, '2 events');
    const list = await fetch(
      `${server.url}/security/report/list?org=${s.orgId}&version=1.0.0`,
    ).then((r) => r.text());
    const types = s.receiver.requests.map(
      (r) => r.headers['x-reporthub-event'],
    );
    assert.deepEqual(types.sort(), ['report.created', 'report.updated']);
    for (const request of s.receiver.requests) {
      verify(s.secret, request);
      assert.equal(request.body, list);
      assert.match(
        String(request.headers['user-agent']),
        /^ReportHub-Webhooks\//,
      );
      assert.match(String(request.headers['webhook-id']), /^msg_/);
    }
    assert.equal(first.reports.length, 2);
  });

  it('retries a 500 with the same webhook-id and a new timestamp', async () => {
    const s = await setup(server);
    let calls = 0;
    s.receiver.answer = () => ({ status: ++calls === 1 ? 500 : 200 });
    await ingest(server.url, s.ingestToken, '2.0.0');

    await waitFor(() => s.receiver.requests.length >= 2, 10_000, 'a retry');
    const [one, two] = s.receiver.requests as [
      ReceivedRequest,
      ReceivedRequest,
    ];
    verify(s.secret, two);
    assert.equal(one.headers['webhook-id'], two.headers['webhook-id']);
    assert.notEqual(
      one.headers['webhook-timestamp'],
      two.headers['webhook-timestamp'],
    );
    const gap = two.at - one.at;
    assert.ok(gap >= 1700 && gap < 3500, `retried after ${gap} ms`);

    const [delivery] = await waitFor(async () => {
      const list = await deliveries(server, s);
      return list[0]?.status === 'delivered' && list;
    });
    assert.equal(delivery.attempts, 2);
    assert.deepEqual(
      delivery.attemptLog.map((a: { status: number }) => a.status),
      [500, 200],
    );
    assert.equal(delivery.attemptLog[0].responseSnippet, 'ok');
  });

  it('disables the endpoint on 410 Gone and sends it nothing more', async () => {
    const s = await setup(server);
    s.receiver.answer = () => ({ status: 410 });
    await ingest(server.url, s.ingestToken, '3.0.0');

    const endpoint = await waitFor(async () => {
      const path = `/admin/webhooks/${s.endpointId}`;
      const { body } = await adminCall(server, s.admin, 'GET', path);
      return body.enabled === false && body;
    });
    assert.match(endpoint.disabledReason, /410/);
    const [delivery] = await deliveries(server, s);
    assert.equal(delivery.status, 'failed');

    await ingest(server.url, s.ingestToken, '3.0.1');
    assert.equal((await deliveries(server, s)).length, 1);
  });

  it('does not follow a redirect and counts it as a failure', async () => {
    const s = await setup(server);
    s.receiver.answer = () => ({
      status: 302,
      headers: { location: `${s.receiver.url}/elsewhere` },
    });
    await ingest(server.url, s.ingestToken, '4.0.0');

    const [delivery] = await waitFor(async () => {
      const list = await deliveries(server, s);
      return list[0]?.attempts >= 1 && list;
    });
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.lastStatus, 302);
    assert.match(delivery.lastError, /redirect/);
    assert.ok(s.receiver.requests.every((r) => r.path === '/hook'));
  });

  it('does not send a queued delivery whose address became forbidden', async () => {
    await dispatcher.stop();
    const s = await setup(server);
    await ingest(server.url, s.ingestToken, '5.0.0');

    const strict = startDispatcher(server, {
      ...server.config,
      webhookAllowedCidrs: '',
    });
    const [delivery] = await waitFor(async () => {
      const list = await deliveries(server, s);
      return list[0]?.attempts >= 1 && list;
    });
    await strict.stop();
    assert.equal(s.receiver.requests.length, 0);
    assert.equal(delivery.lastStatus, null);
    assert.match(delivery.lastError, /not allowed: loopback address/);
    dispatcher = startDispatcher(server);
  });

  it('signs with both secrets during a rotation, only the new one after', async () => {
    const s = await setup(server);
    const rotated = await adminCall(
      server,
      s.admin,
      'POST',
      `/admin/webhooks/${s.endpointId}/rotate-secret`,
    );
    assert.equal(rotated.status, 200);
    const fresh: string = rotated.body.secret;
    assert.notEqual(fresh, s.secret);
    assert.ok(rotated.body.previousSecretExpiresAt);

    await ingest(server.url, s.ingestToken, '6.0.0');
    const during = await waitFor(() => s.receiver.requests[0]);
    assert.equal(
      String(during.headers['webhook-signature']).split(' ').length,
      2,
    );
    verify(s.secret, during);
    verify(fresh, during);

    await server.runtime.db.kysely
      .updateTable('webhook_endpoints')
      .set({ previous_secret_expires_at_us: Date.now() * 1000 - 1 })
      .where('id', '=', s.endpointId)
      .execute();
    await ingest(server.url, s.ingestToken, '6.0.1');
    const afterwards = await waitFor(() => s.receiver.requests[1]);
    verify(fresh, afterwards);
    assert.throws(() => verify(s.secret, afterwards));
  });
});

describe('the retry window', () => {
  it('gives up after the maximum age, then delivers when redelivered by hand', async () => {
    const server = await serverWith({ webhookMaxAgeHours: 0 });
    startDispatcher(server);
    const s = await setup(server);
    s.receiver.answer = () => ({ status: 503 });
    await ingest(server.url, s.ingestToken, '1.0.0');

    const [failed] = await waitFor(async () => {
      const list = await deliveries(server, s);
      return list[0]?.status === 'failed' && list;
    });
    assert.equal(failed.attempts, 1);
    assert.equal(failed.nextAttemptAt, null);

    s.receiver.answer = () => ({ status: 200 });
    const again = await adminCall(
      server,
      s.admin,
      'POST',
      `/admin/deliveries/${failed.id}/redeliver`,
    );
    assert.equal(again.status, 202);
    const [delivered] = await waitFor(async () => {
      const list = await deliveries(server, s);
      return list[0]?.status === 'delivered' && list;
    });
    assert.equal(delivered.attempts, 2);
    const ids = s.receiver.requests.map((r) => r.headers['webhook-id']);
    assert.deepEqual(ids, [failed.id, failed.id]);
  });
});
