/**
 * Sends bytes no HTTP client would send, over a plain socket to the test
 * server, and reads back whatever comes until the server closes.
 */
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: raw.slice(end + 4),
  };
}

/** Writes `request` to the server at `url` and parses the one response. */
export function sendRaw(url: string, request: string): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may reset the connection while we still send: what it
    // answered before is what counts.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      if (!raw.includes('\r\n\r\n')) {
        reject(new Error(`no response, got ${JSON.stringify(raw)}`));
        return;
      }
      resolve(parse(raw));
    });
    socket.write(request);
  });
}
