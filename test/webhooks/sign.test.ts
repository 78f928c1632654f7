import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Webhook } from 'standardwebhooks';

import { generateSecret } from '../../src/webhooks/secret.js';
import {
  signatureHeader,
  verifySignature,
  webhookHeaders,
} from '../../src/webhooks/sign.js';

const body = JSON.stringify({
  organizationId: '00000000-0000-0000-0000-000000000001',
  reports: [{ projectName: 'Acme Web', projectVersion: '1.4.2' }],
});

function signedHeaders(secrets: string[], payload = body) {
  return webhookHeaders({
    id: 'msg_2Lk1',
    timestampSeconds: Math.floor(Date.now() / 1000),
    body: payload,
    secrets,
    eventType: 'report.created',
  });
}

describe('signing deliveries', () => {
  it('produces signatures the standardwebhooks package verifies', () => {
    const secret = generateSecret();
    const headers = signedHeaders([secret]);

    const parsed = new Webhook(secret).verify(body, headers);

    assert.deepEqual(parsed, JSON.parse(body));
  });

  it('signs with both secrets during a rotation, each verifying alone', () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const headers = signedHeaders([newSecret, oldSecret]);

    assert.equal(headers['webhook-signature']!.split(' ').length, 2);
    assert.doesNotThrow(() => new Webhook(oldSecret).verify(body, headers));
    assert.doesNotThrow(() => new Webhook(newSecret).verify(body, headers));
  });

  it('fails verification when the body was tampered with', () => {
    const secret = generateSecret();
    const headers = signedHeaders([secret]);
    const tampered = body.replace('1.4.2', '1.4.3');

    assert.throws(() => new Webhook(secret).verify(tampered, headers));
    assert.equal(
      verifySignature({ body: tampered, headers, secrets: secret }).ok,
      false,
    );
  });

  it('sets the event, content type and a versioned user agent', () => {
    const headers = signedHeaders([generateSecret()]);

    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['x-reporthub-event'], 'report.created');
    assert.equal(headers['webhook-id'], 'msg_2Lk1');
    assert.match(headers['user-agent']!, /^ReportHub-Webhooks\/\d+\.\d+\.\d+/);
  });

  it('matches a signature made by the standardwebhooks package', () => {
    const secret = generateSecret();
    const timestampSeconds = 1_700_000_000;
    const theirs = new Webhook(secret).sign(
      'msg_1',
      new Date(timestampSeconds * 1000),
      body,
    );

    const ours = signatureHeader({
      id: 'msg_1',
      timestampSeconds,
      body,
      secrets: [secret],
    });

    assert.equal(ours, theirs);
  });
});

describe('verifying deliveries', () => {
  it('accepts a fresh delivery and returns its id and timestamp', () => {
    const secret = generateSecret();
    const headers = signedHeaders([secret]);

    const result = verifySignature({ body, headers, secrets: secret });

    assert.equal(result.ok, true);
    assert.equal(result.ok && result.id, 'msg_2Lk1');
  });

  it('refuses a timestamp more than five minutes away', () => {
    const secret = generateSecret();
    const headers = signedHeaders([secret]);
    const now = Number(headers['webhook-timestamp']) + 301;

    const result = verifySignature({
      body,
      headers,
      secrets: secret,
      nowSeconds: now,
    });

    assert.deepEqual(result, {
      ok: false,
      reason: 'webhook-timestamp is more than 300 s from now',
    });
  });

  it('refuses a delivery signed with another secret', () => {
    const headers = signedHeaders([generateSecret()]);

    const result = verifySignature({
      body,
      headers,
      secrets: generateSecret(),
    });

    assert.equal(result.ok, false);
  });

  it('refuses a delivery without signature headers', () => {
    const result = verifySignature({
      body,
      headers: {},
      secrets: generateSecret(),
    });

    assert.equal(result.ok, false);
  });
});
