/**
 * `reporthub listen`: a local receiver that verifies each delivery's
 * signature and prints one line per event, so a developer can watch
 * webhooks without an online request bin.
 */
import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import { parseSecret } from './secret.js';
import { verifySignature } from './sign.js';

export interface ListenerOptions {
  port: number;
  /** Loopback unless told otherwise: the secret is the only protection. */
  host?: string;
  /** The endpoint's `whsec_` secret. */
  secret: string;
  /** Receives one line per event, and one per refused request. */
  out: (line: string) => void;
  maxBodyBytes?: number;
}

export interface Listener {
  /** The port actually bound, useful when asked for port 0. */
  port: number;
  url: string;
  close(): Promise<void>;
}

const defaultMaxBodyBytes = 16 * 1024 * 1024;

/**
 * Starts the receiver. Answers 204 to a verified POST, 401 with the reason
 * to a bad signature. Throws at once if the secret is malformed.
 */
export async function startListener(
  options: ListenerOptions,
): Promise<Listener> {
  parseSecret(options.secret);
  const host = options.host ?? '127.0.0.1';

  const server = createServer((req, res) => {
    handle(req, res, options).catch(() => reply(res, 500, 'receiver failed'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    port,
    url: `http://${urlHost}:${port}/`,
    close: () => closeServer(server),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: ListenerOptions,
): Promise<void> {
  if (req.method !== 'POST') return reply(res, 405, 'only POST is accepted');

  const body = await readBody(req, options.maxBodyBytes ?? defaultMaxBodyBytes);
  if (body === null) return reply(res, 413, 'body too large');

  const verdict = verifySignature({
    body,
    headers: req.headers,
    secrets: options.secret,
  });
  if (!verdict.ok) {
    options.out(`${timestamp()} refused a delivery: ${verdict.reason}`);
    return reply(res, 401, `invalid signature: ${verdict.reason}`);
  }

  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    return reply(res, 400, 'body is not JSON');
  }

  const event =
    headerText(req.headers['x-reporthub-event']) ?? '(no event type)';
  options.out(
    `${timestamp()} ${event} ${verdict.id} ${describeReports(payload)}`,
  );
  reply(res, 204);
}

/** The body, or null once it passes the limit. */
async function readBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `Acme Web 1.4.2: CWE Top 25 2024, 3 vulnerabilities, rating C; ...` */
function describeReports(payload: unknown): string {
  const reports = (payload as { reports?: unknown } | null)?.reports;
  if (!Array.isArray(reports) || reports.length === 0) return '(no reports)';
  return reports.map(describeReport).join('; ');
}

function describeReport(report: unknown): string {
  const r = (report ?? {}) as Record<string, unknown>;
  const count = r.vulnerabilitiesCount;
  const noun = count === 1 ? 'vulnerability' : 'vulnerabilities';
  return (
    `${r.projectName} ${r.projectVersion}: ${r.reportType} ${r.reportVersion}, ` +
    `${count} ${noun}, rating ${r.securityRating}`
  );
}

function reply(res: ServerResponse, status: number, message?: string): void {
  if (message === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function timestamp(): string {
  return new Date().toISOString();
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Senders keep connections alive; without this close() waits for them.
    server.closeAllConnections();
  });
}
