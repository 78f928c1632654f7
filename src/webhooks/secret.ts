/**
 * Endpoint secrets in the Standard Webhooks form: `whsec_` followed by the
 * base64 of the HMAC key. Contract part 3 asks for at least 24 random bytes;
 * new secrets get 32, as long as the SHA-256 digest they key.
 */
import { randomBytes } from 'node:crypto';

import { HubError } from '../errors.js';

export const secretPrefix = 'whsec_';

const generatedKeyBytes = 32;
const minimumKeyBytes = 24;
const malformedMessage =
  `The secret must be ${secretPrefix} followed by the base64 ` +
  `of at least ${minimumKeyBytes} bytes.`;
const base64Pattern =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new endpoint secret, `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return secretPrefix + randomBytes(generatedKeyBytes).toString('base64');
}

/**
 * The HMAC key inside a secret. Throws `invalid_parameter` when the prefix is
 * missing, the rest is not canonical base64, or the key is under 24 bytes.
 * The message never repeats the secret, since errors end up in logs.
 */
export function parseSecret(secret: string): Buffer {
  const key = keyOf(secret);
  if (key === null) {
    throw new HubError('invalid_parameter', malformedMessage, {
      parameter: 'secret',
    });
  }
  return key;
}

export function isValidSecret(secret: string): boolean {
  return keyOf(secret) !== null;
}

function keyOf(secret: string): Buffer | null {
  if (!secret.startsWith(secretPrefix)) return null;

  // Buffer.from skips characters it does not know; a strict pattern keeps a
  // mistyped secret from silently becoming a different key.
  const encoded = secret.slice(secretPrefix.length);
  if (!base64Pattern.test(encoded)) return null;

  const key = Buffer.from(encoded, 'base64');
  return key.length >= minimumKeyBytes ? key : null;
}
