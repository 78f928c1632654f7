/**
 * Ingest reads bodies as raw bytes, so it must refuse what it would read
 * wrongly: a compressed body would reach the bundle parser as garbage, and a
 * JSON body in another charset would be decoded as UTF-8.
 */
import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors.js';

function parametersOf(contentType: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const pair of contentType.split(';').slice(1)) {
    const [name = '', value = ''] = pair.split('=', 2);
    parameters.set(name.trim().toLowerCase(), value.trim().replace(/"/g, ''));
  }
  return parameters;
}

/** Refuses any Content-Encoding but identity. */
export function requireIdentityEncoding(request: FastifyRequest): void {
  const encoding = (request.headers['content-encoding'] ?? '').trim();
  if (encoding === '' || encoding.toLowerCase() === 'identity') return;
  throw new HubError(
    'unsupported_media_type',
    'Content-Encoding is not supported: send the body uncompressed ' +
      '(a ZIP bundle is compressed already).',
  );
}

/** Refuses a JSON body that declares a charset other than UTF-8. */
export function requireUtf8Json(request: FastifyRequest): void {
  const contentType = request.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return;

  const charset = parametersOf(contentType).get('charset');
  if (charset === undefined || charset.toLowerCase() === 'utf-8') return;
  throw new HubError(
    'unsupported_media_type',
    'JSON bundles must be UTF-8: send charset=utf-8 or no charset.',
  );
}
