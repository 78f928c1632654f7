// One round of the dispatcher against the real database (SQLite, or
// PostgreSQL with DATABASE_URL), with no dispatcher running.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listDeliveries } from '../../src/store/deliveries.js';
import { nowMicros } from '../../src/store/ids.js';
import { runRound } from '../../src/webhooks/round.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ingest } from '../support/webhook-receiver.js';

let server: TestServer;
after(() => server?.close());

/** An org with one endpoint that nothing listens on; returns its ID. */
async function orgWithEndpoint(): Promise<{ id: string; endpoint: string }> {
  const org = await server.createOrg();
  const admin = await server.createToken(org.id, 'admin');
  const response = await fetch(`${server.url}/admin/webhooks`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${admin}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ url: 'http://127.0.0.1:9/hook' }),
  });
  assert.equal(response.status, 201);
  const { id } = (await response.json()) as { id: string };
  return { id: org.id, endpoint: id };
}

function claimAll(now = nowMicros()) {
  return {
    now,
    leaseUntil: now + 20_000_000,
    free: 100,
    capacity: () => 100,
  };
}

async function statusOf(endpoint: string) {
  const [row] = await listDeliveries(server.runtime.db, endpoint, 1);
  return { status: row?.status, attempts: row?.attempts };
}

const delivered = {
  attempt: {
    at: 1,
    status: 204,
    durationMs: 1,
    error: undefined,
    responseSnippet: '',
  },
  outcome: { kind: 'delivered' as const },
};

describe('a dispatcher round', () => {
  before(async () => {
    server = await startTestServer();
  });

  it('gives each event claimed together its own list answer', async () => {
    const org = await orgWithEndpoint();
    const token = await server.createToken(org.id, 'ingest');
    const versions = ['1.0.0', '2.0.0', '3.0.0'];
    for (const version of versions) {
      await ingest(server.url, token, version);
    }

    const claimed = await runRound(server.runtime.db, [], claimAll());
    const lists = await Promise.all(
      versions.map((version) =>
        fetch(
          `${server.url}/security/report/list?org=${org.id}&version=${version}`,
        ).then((r) => r.text()),
      ),
    );
    assert.equal(claimed.length, 3);
    assert.deepEqual(claimed.map((c) => c.body).sort(), lists.sort());
  });

  it('records an attempt only under the lease it was claimed with', async () => {
    const org = await orgWithEndpoint();
    const token = await server.createToken(org.id, 'ingest');
    await ingest(server.url, token, '1.0.0');
    const db = server.runtime.db;
    // Claims are not per org: pick this org's out of each round.
    const ours = (round: Awaited<ReturnType<typeof runRound>>) =>
      round.find((work) => work.claim.endpointId === org.endpoint);
    const first = ours(await runRound(db, [], claimAll()));
    // The first lease ran out and the delivery was claimed again.
    const later = first!.claim.leaseUntil + 1;
    const second = ours(await runRound(db, [], claimAll(later)));

    await runRound(db, [{ claim: first!.claim, ...delivered }], undefined);
    assert.deepEqual(await statusOf(org.endpoint), {
      status: 'delivering',
      attempts: 0,
    });
    await runRound(db, [{ claim: second!.claim, ...delivered }], undefined);
    assert.deepEqual(await statusOf(org.endpoint), {
      status: 'delivered',
      attempts: 1,
    });
  });

  it('claims nothing when recording fails: both roll back', async () => {
    const org = await orgWithEndpoint();
    const token = await server.createToken(org.id, 'ingest');
    await ingest(server.url, token, '1.0.0');
    // An attempt for a delivery that does not exist breaks its foreign key.
    const missing = { id: 'msg_missing', leaseUntil: 1 };

    await assert.rejects(
      runRound(
        server.runtime.db,
        [{ claim: missing, ...delivered }],
        claimAll(),
      ),
    );
    assert.deepEqual(await statusOf(org.endpoint), {
      status: 'pending',
      attempts: 0,
    });
  });
});
