/**
 * Test helpers for webhooks: a receiver on 127.0.0.1 port 0 that records
 * every request and answers as the test says, an ingest call, and a poll.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type Answer = { status: number; headers?: Record<string, string> };

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Decides each answer; default 204. */
  answer: (request: ReceivedRequest) => Answer | Promise<Answer>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const server = createServer();
  const receiver: Receiver = {
    url: '',
    port: 0,
    requests: [],
    answer: () => ({ status: 204 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  server.on('request', async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      path: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    receiver.requests.push(request);
    const { status, headers } = await receiver.answer(request);
    res.writeHead(status, headers).end(status === 204 ? undefined : 'ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  return receiver;
}

/** A minimal SonarQube bundle: no issues, two reports (one per standard). */
export function bundle(version: string, projectKey = 'acme'): string {
  return JSON.stringify({
    projectKey,
    projectName: 'Acme',
    projectVersion: version,
    sonarqube: { issues: [{ issues: [] }] },
  });
}

/** Ingests a bundle; returns the list-shaped answer. */
export async function ingest(
  baseUrl: string,
  token: string,
  version: string,
): Promise<{ organizationId: string; reports: Array<{ id: string }> }> {
  const response = await fetch(`${baseUrl}/security/report/analysis`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: bundle(version),
  });
  if (response.status >= 300) {
    throw new Error(`ingest answered ${response.status}`);
  }
  return (await response.json()) as never;
}

/** Polls until `check` returns a value other than undefined/false. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
