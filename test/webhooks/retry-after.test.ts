import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from '../../src/webhooks/retry-after.js';

const now = Date.parse('2026-01-02T03:04:05Z');

describe('parseRetryAfter', () => {
  it('reads whole seconds', () => {
    assert.equal(parseRetryAfter('120', now), 120);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
  });

  it('reads an HTTP date as the seconds until it, rounded up', () => {
    assert.equal(parseRetryAfter('Fri, 02 Jan 2026 03:05:05 GMT', now), 60);
    const soon = new Date(now + 1500).toUTCString();
    assert.equal(parseRetryAfter(soon, now), 1);
  });

  it('reads a date in the past as no wait', () => {
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:00 GMT', now), 0);
  });

  it('ignores what is absent or unreadable', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter('1.5', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('2026-01-03', now), undefined);
  });

  it('takes the first of repeated headers', () => {
    assert.equal(parseRetryAfter(['30', '90'], now), 30);
  });
});
