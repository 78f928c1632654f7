// Every server here is our own, on 127.0.0.1 port 0. URLs naming other
// loopback forms are refused before any connection; no test sends anything
// to an address outside loopback.
import assert from 'node:assert/strict';
import {
  type IncomingMessage,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';

import { Webhook } from 'standardwebhooks';

import { generateSecret } from '../../src/webhooks/secret.js';
import {
  createWebhookAgent,
  sendWebhook,
  snippetBytes,
} from '../../src/webhooks/send.js';
import { webhookHeaders } from '../../src/webhooks/sign.js';
import {
  type ResolvedAddress,
  parseAllowedCidrs,
} from '../../src/webhooks/ssrf.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Receiver {
  port: number;
  url: string;
  connections: number;
  requests: Array<{ headers: IncomingMessage['headers']; body: string }>;
}

const servers: Array<() => Promise<void>> = [];
after(() => Promise.all(servers.map((close) => close())));

/** A receiver on 127.0.0.1 that records connections and requests. */
async function startReceiver(handler: Handler): Promise<Receiver> {
  const server = createServer();
  const receiver: Receiver = { port: 0, url: '', connections: 0, requests: [] };
  server.on('connection', () => receiver.connections++);
  server.on('request', async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    receiver.requests.push({
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    handler(req, res);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  servers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return receiver;
}

const answer =
  (status: number, body = ''): Handler =>
  (_req, res) => {
    res.writeHead(status).end(body);
  };

const loopback = parseAllowedCidrs('127.0.0.0/8');
const body = JSON.stringify({ organizationId: 'org', reports: [] });
const base = {
  headers: { 'content-type': 'application/json' },
  body,
  timeoutMs: 2000,
};

describe('sending a webhook', () => {
  it('refuses loopback by default without opening a connection', async () => {
    const receiver = await startReceiver(answer(204));

    const result = await sendWebhook({ ...base, url: receiver.url });

    assert.equal(result.status, null);
    assert.equal(result.delivered, false);
    assert.match(result.error ?? '', /loopback address 127\.0\.0\.1/);
    assert.equal(receiver.connections, 0);
  });

  it('delivers a signed body when the allow-list exempts loopback', async () => {
    const receiver = await startReceiver(answer(204));
    const secret = generateSecret();
    const headers = webhookHeaders({
      id: 'msg_1',
      timestampSeconds: Math.floor(Date.now() / 1000),
      body,
      secrets: [secret],
      eventType: 'report.created',
    });

    const result = await sendWebhook({
      ...base,
      headers,
      url: receiver.url,
      allow: loopback,
    });

    assert.equal(result.status, 204);
    assert.equal(result.delivered, true);
    assert.equal(result.error, undefined);
    const [received] = receiver.requests;
    assert.equal(received?.body, body);
    const asString = received!.headers as Record<string, string>;
    assert.doesNotThrow(() =>
      new Webhook(secret).verify(received!.body, asString),
    );
  });

  it('does not follow a redirect and reports it as a failure', async () => {
    const target = await startReceiver(answer(200));
    const redirector = await startReceiver((_req, res) => {
      res.writeHead(302, { location: target.url }).end();
    });

    const result = await sendWebhook({
      ...base,
      url: redirector.url,
      allow: loopback,
    });

    assert.equal(result.status, 302);
    assert.equal(result.delivered, false);
    assert.match(result.error ?? '', /redirect \(302\) not followed/);
    assert.equal(target.connections, 0);
  });

  it('reports Retry-After from a 429 or 503, and only from those', async () => {
    const statuses = [429, 503, 500];
    const results = [];
    for (const status of statuses) {
      const receiver = await startReceiver((_req, res) => {
        res.writeHead(status, { 'retry-after': '30' }).end();
      });
      const url = receiver.url;
      results.push(await sendWebhook({ ...base, url, allow: loopback }));
    }

    const waits = results.map((r) => r.retryAfterSeconds);
    assert.deepEqual(waits, [30, 30, undefined]);
    assert.ok(results.every((r) => !r.delivered));
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const receiver = await startReceiver(() => {});

    const result = await sendWebhook({
      ...base,
      url: receiver.url,
      allow: loopback,
      timeoutMs: 300,
    });

    assert.equal(result.status, null);
    assert.equal(result.error, 'timed out after 300 ms');
    assert.ok(
      result.durationMs >= 290 && result.durationMs < 2000,
      `${result.durationMs}`,
    );
  });

  it('counts reading the body against the same timeout', async () => {
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });

    const result = await sendWebhook({
      ...base,
      url: receiver.url,
      allow: loopback,
      timeoutMs: 300,
    });

    assert.equal(result.status, 200);
    assert.equal(result.delivered, false);
    assert.equal(result.error, 'timed out after 300 ms');
  });

  it('keeps only the first 1024 bytes of the response', async () => {
    const receiver = await startReceiver(answer(500, 'x'.repeat(5000)));

    const result = await sendWebhook({
      ...base,
      url: receiver.url,
      allow: loopback,
    });

    assert.equal(result.status, 500);
    assert.equal(result.responseSnippet.length, snippetBytes);
    assert.equal(result.error, 'receiver answered 500');
  });

  it('stops reading a huge response after 1 KiB', async () => {
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200);
      const chunk = 'y'.repeat(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });

    const result = await sendWebhook({
      ...base,
      url: receiver.url,
      allow: loopback,
      timeoutMs: 5000,
    });

    assert.equal(result.delivered, true);
    assert.equal(result.responseSnippet, 'y'.repeat(snippetBytes));
    assert.ok(result.durationMs < 2000);
  });

  it('reports a refused connection instead of throwing', async () => {
    const closed = await startReceiver(answer(204));
    await servers.pop()!();

    const result = await sendWebhook({
      ...base,
      url: closed.url,
      allow: loopback,
    });

    assert.deepEqual(
      { status: result.status, error: result.error },
      { status: null, error: 'connection refused' },
    );
  });

  it('reports a malformed URL instead of throwing', async () => {
    const result = await sendWebhook({ ...base, url: 'file:///etc/passwd' });

    assert.match(result.error ?? '', /scheme file:/);
  });
});

describe('the connect-time guard', () => {
  const refusedUrls = (port: number) =>
    [
      [`http://localhost:${port}/`, /loopback address/],
      [`http://[::1]:${port}/`, /loopback address ::1/],
      [`http://127.9.9.9:${port}/`, /loopback address 127\.9\.9\.9/],
      [
        `http://[::ffff:127.0.0.1]:${port}/`,
        /loopback address 127\.0\.0\.1 inside IPv4-mapped/,
      ],
      [`http://0.0.0.0:${port}/`, /unspecified address 0\.0\.0\.0/],
    ] as const;

  it('refuses every loopback form by default, connecting to none', async () => {
    const receiver = await startReceiver(answer(204));

    for (const [url, reason] of refusedUrls(receiver.port)) {
      const result = await sendWebhook({ ...base, url });
      assert.match(result.error ?? '', reason, url);
    }
    assert.equal(receiver.connections, 0);
  });

  it('checks the address a name resolves to when connecting', async () => {
    const receiver = await startReceiver(answer(204));
    // Saved while the name pointed elsewhere; it now answers with loopback.
    const rebound = async (): Promise<ResolvedAddress[]> => [
      { address: '127.0.0.1', family: 4 },
    ];
    const agent = createWebhookAgent({
      allow: parseAllowedCidrs(''),
      lookup: rebound,
    });
    after(() => agent.close());

    const result = await sendWebhook({
      ...base,
      url: `http://rebind.test:${receiver.port}/`,
      agent,
    });

    assert.match(
      result.error ?? '',
      /loopback address 127\.0\.0\.1 \(rebind\.test resolves to it\)/,
    );
    assert.equal(receiver.connections, 0);
  });

  it('connects to the address it checked, resolving once per connection', async () => {
    const receiver = await startReceiver(answer(204));
    const lookups: string[] = [];
    const lookup = async (host: string): Promise<ResolvedAddress[]> => {
      lookups.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    // One connection per origin, so the second delivery reuses the first
    // socket instead of racing undici's bookkeeping for a new one.
    const agent = createWebhookAgent({
      allow: loopback,
      lookup,
      connectionsPerOrigin: 1,
    });
    after(() => agent.close());

    const url = `http://checked.test:${receiver.port}/`;
    const first = await sendWebhook({ ...base, url, agent });
    const second = await sendWebhook({ ...base, url, agent });

    assert.equal(first.status, 204);
    assert.equal(second.status, 204);
    assert.deepEqual(lookups, ['checked.test']);
    assert.equal(receiver.connections, 1);
  });
});
