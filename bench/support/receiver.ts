/**
 * The webhook receiver the bench delivers to: node:http on 127.0.0.1 port
 * 0, answering 204 as soon as a body has arrived. It notes when each
 * request arrived, per path, and keeps one body and its headers so the
 * raw baseline can send the same bytes.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  /** performance.timeOrigin + performance.now(): epoch ms, sub-ms. */
  atMs: number;
  body: string;
}

export interface BenchReceiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Arrivals by path prefix (the part before the last `/`). */
  arrivals(prefix: string): Arrival[];
  count(prefix: string): number;
  /** One delivery as it arrived, for the baseline to replay. */
  sample: { headers: IncomingHttpHeaders; body: string } | undefined;
  /** Resolves once `prefix` has `count` arrivals, or rejects at timeout. */
  waitFor(prefix: string, count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Epoch milliseconds with sub-millisecond resolution. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export async function startBenchReceiver(): Promise<BenchReceiver> {
  const byPrefix = new Map<string, Arrival[]>();
  const server = createServer({ keepAliveTimeout: 30_000 });
  const receiver: BenchReceiver = {
    origin: '',
    sample: undefined,
    arrivals: (prefix) => byPrefix.get(prefix) ?? [],
    count: (prefix) => byPrefix.get(prefix)?.length ?? 0,
    waitFor: (prefix, count, timeoutMs) =>
      waitForCount(receiver, prefix, count, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const prefix = path.slice(0, path.lastIndexOf('/'));
      let list = byPrefix.get(prefix);
      if (!list) byPrefix.set(prefix, (list = []));
      list.push({ atMs: epochMs(), body });
      receiver.sample ??= { headers: req.headers, body };
      res.writeHead(204).end();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.origin = `http://127.0.0.1:${port}`;
  return receiver;
}

async function waitForCount(
  receiver: BenchReceiver,
  prefix: string,
  count: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (receiver.count(prefix) < count) {
    if (Date.now() > deadline) {
      throw new Error(
        `${prefix}: ${receiver.count(prefix)} of ${count} deliveries ` +
          `arrived within ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
