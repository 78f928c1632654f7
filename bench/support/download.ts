/**
 * Downloads a response body while counting it, never holding it: the
 * chunks are dropped as they arrive, so only the server's memory grows.
 */
import { get } from 'node:http';

export interface Download {
  bytes: number;
  seconds: number;
}

const timeoutMs = 120_000;

export function download(url: string): Promise<Download> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = get(url, (response) => {
      const expected = Number(response.headers['content-length']);
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`${url} answered ${response.statusCode}`));
        return;
      }
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('error', reject);
      response.on('end', () => {
        if (bytes !== expected) {
          reject(new Error(`got ${bytes} bytes of ${expected}`));
          return;
        }
        resolve({ bytes, seconds: (performance.now() - started) / 1000 });
      });
    });
    request.setTimeout(timeoutMs, () =>
      request.destroy(new Error(`no answer from ${url} in time`)),
    );
    request.on('error', reject);
  });
}
