import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { request } from 'undici';

import { type Listener, startListener } from '../../src/webhooks/listen.js';
import { generateSecret } from '../../src/webhooks/secret.js';
import { webhookHeaders } from '../../src/webhooks/sign.js';

const secret = generateSecret();
const body = JSON.stringify({
  organizationId: '00000000-0000-0000-0000-000000000001',
  reports: [
    {
      projectName: 'Acme Web',
      id: '00000000-0000-0000-0000-000000000002',
      reportType: 'CWE Top 25',
      reportVersion: 2024,
      projectVersion: '1.4.2',
      vulnerabilitiesCount: 3,
      securityRating: 'C',
    },
  ],
});

function headersSignedWith(signingSecret: string) {
  return webhookHeaders({
    id: 'msg_7',
    timestampSeconds: Math.floor(Date.now() / 1000),
    body,
    secrets: [signingSecret],
    eventType: 'report.created',
  });
}

describe('reporthub listen', () => {
  const lines: string[] = [];
  let listener: Listener;

  before(async () => {
    listener = await startListener({
      port: 0,
      secret,
      out: (line) => lines.push(line),
    });
  });
  after(() => listener.close());

  it('prints a verified event on one line and answers 204', async () => {
    const response = await request(listener.url, {
      method: 'POST',
      headers: headersSignedWith(secret),
      body,
    });
    await response.body.dump();

    assert.equal(response.statusCode, 204);
    const line = lines.at(-1) ?? '';
    assert.match(line, /^\d{4}-\d\d-\d\dT\S+Z report\.created msg_7 /);
    assert.match(
      line,
      /Acme Web 1\.4\.2: CWE Top 25 2024, 3 vulnerabilities, rating C$/,
    );
  });

  it('answers 401 with the reason when the signature is wrong', async () => {
    const response = await request(listener.url, {
      method: 'POST',
      headers: headersSignedWith(generateSecret()),
      body,
    });

    assert.equal(response.statusCode, 401);
    assert.match(await response.body.text(), /no signature matches/);
  });

  it('never prints the secret', () => {
    assert.ok(lines.every((line) => !line.includes(secret.slice(6))));
  });

  it('refuses to start with a malformed secret', async () => {
    await assert.rejects(
      startListener({ port: 0, secret: 'not-a-secret', out: () => {} }),
      /whsec_/,
    );
  });
});
