// The dispatcher's bounds on deliveries in flight, watched at a receiver
// that holds each request a while. Every server here is our own, on
// 127.0.0.1 port 0.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { WebhookDispatcher } from '../../src/webhooks/dispatcher.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  ingest,
  startReceiver,
  waitFor,
  type Receiver,
} from '../support/webhook-receiver.js';

const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

/** A receiver that answers after `holdMs` and notes the most in flight. */
async function slowReceiver(holdMs: number) {
  const receiver = await startReceiver();
  closers.push(() => receiver.close());
  const seen = { active: 0, most: 0 };
  receiver.answer = async () => {
    seen.active += 1;
    seen.most = Math.max(seen.most, seen.active);
    await sleep(holdMs);
    seen.active -= 1;
    return { status: 204 };
  };
  return { receiver, seen };
}

async function addEndpoint(server: TestServer, admin: string, url: string) {
  const response = await fetch(`${server.url}/admin/webhooks`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${admin}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ url }),
  });
  assert.equal(response.status, 201);
}

function startDispatcher(server: TestServer, concurrency?: number) {
  const dispatcher = new WebhookDispatcher({
    ...server.runtime,
    config: server.config,
    ...(concurrency === undefined ? {} : { concurrency }),
  });
  dispatcher.start();
  closers.push(() => dispatcher.stop());
  return dispatcher;
}

function delivered(receiver: Receiver, count: number) {
  return waitFor(
    () => receiver.requests.length >= count,
    20_000,
    `${count} deliveries`,
  );
}

describe('the dispatcher in flight', () => {
  let server: TestServer;
  let org: { id: string };
  let admin: string;
  let ingestToken: string;

  before(async () => {
    server = await startTestServer();
    closers.push(() => server.close());
    org = await server.createOrg();
    admin = await server.createToken(org.id, 'admin');
    ingestToken = await server.createToken(org.id, 'ingest');
  });

  it('sends at most two deliveries at once to one endpoint', async () => {
    const { receiver, seen } = await slowReceiver(150);
    await addEndpoint(server, admin, receiver.url);
    // Queued before any dispatcher runs: all six are due at its first round.
    for (let i = 0; i < 6; i++) {
      await ingest(server.url, ingestToken, `1.0.${i}`);
    }
    const dispatcher = startDispatcher(server);

    await delivered(receiver, 6);
    await dispatcher.stop();
    assert.equal(seen.most, 2);
  });

  it('sends at most `concurrency` deliveries at once overall', async () => {
    const other = await server.createOrg();
    const otherAdmin = await server.createToken(other.id, 'admin');
    const otherIngest = await server.createToken(other.id, 'ingest');
    const { receiver, seen } = await slowReceiver(150);
    for (let i = 0; i < 6; i++) {
      await addEndpoint(server, otherAdmin, `${receiver.url}/${i}`);
    }
    await ingest(server.url, otherIngest, '2.0.0');
    const dispatcher = startDispatcher(server, 3);

    await delivered(receiver, 6);
    await dispatcher.stop();
    assert.equal(seen.most, 3);
  });

  it('records every attempt in flight before stop() resolves', async () => {
    const third = await server.createOrg();
    const thirdAdmin = await server.createToken(third.id, 'admin');
    const thirdIngest = await server.createToken(third.id, 'ingest');
    const { receiver } = await slowReceiver(300);
    await addEndpoint(server, thirdAdmin, receiver.url);
    const dispatcher = startDispatcher(server);
    await ingest(server.url, thirdIngest, '3.0.0');
    await waitFor(() => receiver.requests.length >= 1, 10_000, 'sent');

    await dispatcher.stop();
    const rows = await server.runtime.db.kysely
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts'])
      .where('org_id', '=', third.id)
      .execute();
    assert.deepEqual(rows, [{ status: 'delivered', attempts: 1 }]);
  });
});
