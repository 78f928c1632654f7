import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  generateSecret,
  isValidSecret,
  parseSecret,
} from '../../src/webhooks/secret.js';

describe('webhook secrets', () => {
  it('generates whsec_ secrets holding 32 random bytes', () => {
    const secret = generateSecret();

    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(parseSecret(secret).length, 32);
    assert.notEqual(generateSecret(), secret);
  });

  it('accepts a 24-byte key, the contract minimum', () => {
    const secret = 'whsec_' + Buffer.alloc(24, 7).toString('base64');

    assert.equal(parseSecret(secret).length, 24);
  });

  it('refuses a missing prefix, sloppy base64 and short keys', () => {
    const key = Buffer.alloc(32, 1).toString('base64');

    assert.equal(isValidSecret(key), false);
    assert.equal(isValidSecret(`whsec_${key.slice(0, -1)}`), false);
    assert.equal(isValidSecret(`whsec_${key} `), false);
    assert.equal(isValidSecret(`whsec_${key.replace('A', '*')}`), false);
    assert.equal(
      isValidSecret('whsec_' + Buffer.alloc(23).toString('base64')),
      false,
    );
  });

  it('does not repeat the secret in its error message', () => {
    const secret = 'whsec_tooShortButSecret';

    assert.throws(
      () => parseSecret(secret),
      (error: Error) =>
        (error as { code?: string }).code === 'invalid_parameter' &&
        !error.message.includes('tooShortButSecret'),
    );
  });
});
