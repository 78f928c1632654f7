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

  // Regression: this test once ingested twice and compared both deliveries
  // with the list fetched after the second ingest. A body is the reports'
  // state when the attempt is sent, so a report.created sent between the
  // two ingests (likely on PostgreSQL, whose ingests are slower) rightly
  // carried the first ingest's date and uploadDate.
  it('delivers each event signed, with the list answer byte for byte', async () => {
    const s = await setup(server);
    const listNow = () =>
      fetch(
        `${server.url}/security/report/list?org=${s.orgId}&version=1.0.0`,
      ).then((r) => r.text());

    const first = await ingest(server.url, s.ingestToken, '1.0.0');
    await waitFor(() => s.receiver.requests.length >= 1, 10_000, 'created');
    const afterFirst = await listNow();
    await ingest(server.url, s.ingestToken, '1.0.0');
    await waitFor(() => s.receiver.requests.length >= 2, 10_000, 'updated');
    const afterSecond = await listNow();

    const [created, updated] = s.receiver.requests as [
      ReceivedRequest,
      ReceivedRequest,
    ];
    assert.equal(created.headers['x-reporthub-event'], 'report.created');
    assert.equal(updated.headers['x-reporthub-event'], 'report.updated');
    assert.equal(created.body, afterFirst);
    assert.equal(updated.body, afterSecond);
    for (const request of s.receiver.requests) {
      verify(s.secret, request);
      assert.match(
        String(request.headers['user-agent']),
        /^ReportHub-Webhooks\//,
      );
      assert.match(String(request.headers['webhook-id']), /^msg_/);
    }
    assert.equal(first.reports.length, 2);
  });

  it('sends the current state of reports a later ingest replaced', async () => {
    await dispatcher.stop();
    const s = await setup(server);
    await ingest(server.url, s.ingestToken, '1.5.0');
    await ingest(server.url, s.ingestToken, '1.5.0');
    dispatcher = startDispatcher(server);

    await waitFor(() => s.receiver.requests.length >= 2, 10_000, '2 events');
    const list = await fetch(
      `${server.url}/security/report/list?org=${s.orgId}&version=1.5.0`,
    ).then((r) => r.text());
    const types = s.receiver.requests.map(
      (r) => r.headers['x-reporthub-event'],
    );
    assert.deepEqual(types.sort(), ['report.created', 'report.updated']);
    for (const request of s.receiver.requests) {
      verify(s.secret, request);
      assert.equal(request.body, list);
    }
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
    assert.equal(one.headers['webhook-attempt'], '1');
    assert.equal(two.headers['webhook-attempt'], '2');

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

  it('waits as long as a 429 says in Retry-After seconds', async () => {
    const s = await setup(server);
    let calls = 0;
    s.receiver.answer = () =>
      ++calls === 1
        ? { status: 429, headers: { 'retry-after': '4' } }
        : { status: 200 };
    await ingest(server.url, s.ingestToken, '2.1.0');

    await waitFor(() => s.receiver.requests.length >= 2, 10_000, 'a retry');
    const [one, two] = s.receiver.requests as [
      ReceivedRequest,
      ReceivedRequest,
    ];
    const gap = two.at - one.at;
    // The configured interval is 2 s (±10%); Retry-After asks for 4.
    assert.ok(gap >= 3900 && gap < 6000, `retried after ${gap} ms`);
    assert.equal(one.headers['webhook-id'], two.headers['webhook-id']);
    assert.equal(two.headers['webhook-attempt'], '2');
  });

  it('waits until the HTTP date a 503 gives in Retry-After', async () => {
    const s = await setup(server);
    let calls = 0;
    s.receiver.answer = () => {
      if (++calls > 1) return { status: 200 };
      // HTTP dates have whole seconds: 5 s ahead is at least 4 s away.
      const at = new Date(Date.now() + 5000).toUTCString();
      return { status: 503, headers: { 'retry-after': at } };
    };
    await ingest(server.url, s.ingestToken, '2.2.0');

    await waitFor(() => s.receiver.requests.length >= 2, 10_000, 'a retry');
    const [one, two] = s.receiver.requests as [
      ReceivedRequest,
      ReceivedRequest,
    ];
    const gap = two.at - one.at;
    assert.ok(gap >= 3900 && gap < 7000, `retried after ${gap} ms`);
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
    const numbers = s.receiver.requests.map(
      (r) => r.headers['webhook-attempt'],
    );
    assert.deepEqual(numbers, ['1', '2']);
  });

  it('gives up when Retry-After asks for a time past the window', async () => {
    const server = await serverWith({
      webhookMaxAgeHours: 1,
      webhookRetryIntervalSeconds: 60,
    });
    startDispatcher(server);
    const s = await setup(server);
    s.receiver.answer = () => ({
      status: 429,
      headers: { 'retry-after': String(2 * 3600) },
    });
    await ingest(server.url, s.ingestToken, '1.0.0');

    const [failed] = await waitFor(async () => {
      const list = await deliveries(server, s);
      return list[0]?.status === 'failed' && list;
    });
    assert.equal(failed.attempts, 1);
    assert.equal(failed.lastStatus, 429);
  });
});
