import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import { fixtureJson, fixtureTest } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { readZip } from '../support/zip.js';

let server: TestServer;
let orgId: string;
let token: string;

function smallBundle(overrides: Record<string, unknown> = {}) {
  return {
    projectKey: 'acme-web',
    projectName: 'Acme Web',
    projectVersion: '1.4.2',
    analysisDate: '2025-12-17T09:05:48+0000',
    sonarqube: {
      issues: [
        {
          issues: [
            {
              key: 'AX1',
              rule: 'javasecurity:S3649',
              severity: 'CRITICAL',
              component: 'acme-web:src/Db.java',
              line: 12,
              message: 'Build the query from parameters.',
              type: 'VULNERABILITY',
            },
          ],
        },
      ],
      securityStandards: {
        'javasecurity:S3649': ['cwe:89', 'owaspTop10-2021:a3'],
      },
    },
    ...overrides,
  };
}

async function ingest(
  body: unknown,
  options: { token?: string | null; type?: string; query?: string } = {},
) {
  const headers: Record<string, string> = {
    'content-type': options.type ?? 'application/json',
  };
  const bearer = options.token === undefined ? token : options.token;
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(
    `${server.url}/security/report/analysis${options.query ?? ''}`,
    {
      method: 'POST',
      headers,
      body: Buffer.isBuffer(body) ? body : JSON.stringify(body),
    },
  );
  return { status: response.status, body: (await response.json()) as any };
}

async function listAll(org = orgId) {
  const response = await fetch(
    `${server.url}/security/report/list?org=${org}&minver=0`,
  );
  return ((await response.json()) as any).reports as any[];
}

before(async () => {
  server = await startTestServer();
  orgId = (await server.createOrg('Acme')).id;
  token = await server.createToken(orgId);
});

after(() => server.close());

describe('ingesting a SonarQube bundle', () => {
  test('creates one report per default standard with count and rating', async () => {
    const { status, body } = await ingest(smallBundle());
    assert.equal(status, 201);
    assert.equal(body.organizationId, orgId);
    const byType = Object.fromEntries(
      body.reports.map((r: any) => [`${r.reportType} ${r.reportVersion}`, r]),
    );
    assert.deepEqual(Object.keys(byType).sort(), [
      'CWE Top 25 2024',
      'OWASP Top 10 2021',
    ]);
    for (const report of Object.values(byType) as any[]) {
      assert.equal(report.projectName, 'Acme Web');
      assert.equal(report.projectVersion, '1.4.2');
      assert.equal(report.date, '2025-12-17T09:05:48.0000000+00:00');
      assert.equal(report.vulnerabilitiesCount, 1);
      assert.equal(report.securityRating, 'D');
    }
  });

  test('replacing the same identity keeps the id and updates the upload date', async () => {
    const before = await listAll();
    const bundle = smallBundle();
    bundle.sonarqube.issues[0]!.issues[0]!.severity = 'MINOR';
    const { status, body } = await ingest(bundle);
    assert.equal(status, 200);
    const after = await listAll();
    assert.equal(after.length, before.length);
    for (const report of body.reports) {
      const old = before.find((r) => r.id === report.id);
      assert.ok(old, 'same id as before');
      assert.equal(report.securityRating, 'B');
      assert.ok(report.uploadDate > old.uploadDate);
    }
  });

  test('the downloaded HTML and PDF show the stored figures', async () => {
    const reports = await listAll();
    const query = reports.map((r) => `reports=${r.id}`).join('&');
    const response = await fetch(
      `${server.url}/security/report/files?org=${orgId}&${query}`,
    );
    const entries = await readZip(Buffer.from(await response.arrayBuffer()));
    const html = entries
      .get('Acme Web 1.4.2 CWE Top 25 2024/report.html')!
      .toString();
    assert.match(html, /CWE-89/);
    assert.match(html, /Build the query from parameters\./);
    assert.match(html, /javasecurity:S3649/);
    const pdf = entries.get('Acme Web 1.4.2 CWE Top 25 2024/report.pdf')!;
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  });

  test('a ZIP of response files is read like the JSON bundle', async () => {
    const zip = new yazl.ZipFile();
    const { sonarqube, ...top } = smallBundle({ projectVersion: '2.0.0' });
    zip.addBuffer(Buffer.from(JSON.stringify(top)), 'bundle.json');
    zip.addBuffer(
      Buffer.from(JSON.stringify(sonarqube.issues[0])),
      'issues-1.json',
    );
    zip.addBuffer(
      Buffer.from(JSON.stringify(sonarqube.securityStandards)),
      'securityStandards.json',
    );
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);

    const { status, body } = await ingest(Buffer.concat(chunks), {
      type: 'application/zip',
    });
    assert.equal(status, 201, JSON.stringify(body));
    assert.equal(body.reports.length, 2);
    assert.equal(body.reports[0].projectVersion, '2.0.0');
    assert.equal(body.reports[0].vulnerabilitiesCount, 1);
  });

  fixtureTest('a real SonarCloud response ingests end to end', async () => {
    const issues = fixtureJson(
      'issues_search__codemodder-java__sonarcloud_xxe_vulnerabilities_mqr.json',
    );
    const { status, body } = await ingest({
      projectKey: 'bad-java-code',
      projectName: 'Bad Java Code',
      projectVersion: '0.9.0',
      sonarqube: {
        issues: [issues],
        securityStandards: {
          'java:S2755': ['cwe:611', 'cwe:827', 'owaspTop10-2021:a5'],
        },
      },
    });
    assert.equal(status, 201);
    const byType = Object.fromEntries(
      body.reports.map((r: any) => [r.reportType, r]),
    );
    // CWE-611 is not in the CWE Top 25 2024; OWASP A05 holds all four XXE.
    assert.equal(byType['CWE Top 25'].vulnerabilitiesCount, 0);
    assert.equal(byType['CWE Top 25'].securityRating, 'A');
    assert.equal(byType['OWASP Top 10'].vulnerabilitiesCount, 4);
    assert.equal(byType['OWASP Top 10'].securityRating, 'E');
  });
});

describe('ingest authentication', () => {
  test('no token answers 401 unauthorized', async () => {
    const { status, body } = await ingest(smallBundle(), { token: null });
    assert.equal(status, 401);
    assert.equal(body.code, 'unauthorized');
  });

  test('a wrong token answers 401 unauthorized', async () => {
    const { status } = await ingest(smallBundle(), { token: 'rhi_wrong' });
    assert.equal(status, 401);
  });

  test('a revoked token stops working at once', async () => {
    const { revokeToken } = await import('../../src/store/tokens.js');
    const { listTokens } = await import('../../src/store/tokens.js');
    const org = (await server.createOrg('Revoked')).id;
    const revoked = await server.createToken(org);
    const [info] = await listTokens(server.runtime.db, org);
    await revokeToken(server.runtime.db, info!.id);
    const { status, body } = await ingest(smallBundle(), { token: revoked });
    assert.equal(status, 401);
    assert.equal(body.code, 'unauthorized');
    assert.deepEqual(await listAll(org), []);
  });

  test("another org's token stores into its own org only", async () => {
    const other = (await server.createOrg('Other')).id;
    const otherToken = await server.createToken(other);
    const before = await listAll();
    const bundle = smallBundle({ projectVersion: '9.9.9' });
    const { status } = await ingest(bundle, { token: otherToken });
    assert.equal(status, 201);
    assert.equal((await listAll()).length, before.length);
    assert.equal((await listAll(other)).length, 2);

    const mismatch = await ingest(bundle, {
      token: otherToken,
      query: `?org=${orgId}`,
    });
    assert.equal(mismatch.status, 403);
    assert.equal(mismatch.body.code, 'forbidden');
  });
});

describe('ingest checks the token before reading the body', () => {
  let small: TestServer;

  before(async () => {
    small = await startTestServer({ maxBundleBytes: 1000 });
  });

  after(() => small.close());

  async function post(path: string, type: string, authorization?: string) {
    const headers: Record<string, string> = { 'content-type': type };
    if (authorization) headers.authorization = authorization;
    const response = await fetch(`${small.url}${path}`, {
      method: 'POST',
      headers,
      body: Buffer.alloc(5000, 'x'),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  test('an unauthenticated bundle over the size limit answers 401, not 413', async () => {
    const { status, body } = await post(
      '/security/report/analysis',
      'application/json',
    );
    assert.equal(status, 401);
    assert.equal(body.code, 'unauthorized');
  });

  test('an unknown token with an unsupported media type answers 401, not 415', async () => {
    const { status, body } = await post(
      '/security/report/analysis',
      'text/plain',
      'Bearer rhi_wrong',
    );
    assert.equal(status, 401);
    assert.equal(body.code, 'unauthorized');
  });

  test('an unauthenticated upload answers 401 before its parts are read', async () => {
    const { status, body } = await post(
      '/security/report/upload',
      'multipart/form-data',
    );
    assert.equal(status, 401);
    assert.equal(body.code, 'unauthorized');
  });

  test('a token of the wrong kind is refused in a sentence that reads', async () => {
    const org = (await small.createOrg()).id;
    const ingestToken = await small.createToken(org, 'ingest');
    const response = await fetch(`${small.url}/admin/webhooks`, {
      headers: { authorization: `Bearer ${ingestToken}` },
    });
    const body = (await response.json()) as { code: string; message: string };
    assert.equal(response.status, 403);
    assert.equal(body.code, 'forbidden');
    assert.doesNotMatch(body.message, /\bA ingest\b/);
    assert.match(body.message, /admin/);
  });
});

describe('bundle encodings ingest cannot read answer 415', () => {
  test('a JSON bundle declared as UTF-16 answers 415 unsupported_media_type', async () => {
    const { status, body } = await ingest(smallBundle(), {
      type: 'application/json; charset=utf-16',
    });
    assert.equal(status, 415);
    assert.equal(body.code, 'unsupported_media_type');
    assert.match(body.message, /utf-8/i);
  });

  test('a gzip-encoded bundle answers 415, not a misleading invalid_bundle', async () => {
    const response = await fetch(`${server.url}/security/report/analysis`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(JSON.stringify(smallBundle())),
    });
    const body = (await response.json()) as { code: string; message: string };
    assert.equal(response.status, 415);
    assert.equal(body.code, 'unsupported_media_type');
    assert.match(body.message, /Content-Encoding/);
  });

  test('a JSON bundle declared as UTF-8 is accepted', async () => {
    const { status, body } = await ingest(
      smallBundle({ projectVersion: '1.4.3' }),
      { type: 'application/json; charset="UTF-8"' },
    );
    assert.equal(status, 201, JSON.stringify(body));
  });
});

describe('bad bundles store nothing', () => {
  const cases: Array<[string, unknown, string, number, string?]> = [
    ['malformed JSON', Buffer.from('{"projectKey": '), 'invalid_bundle', 400],
    [
      'a bundle with no issues',
      { projectKey: 'x', projectVersion: '1', sonarqube: {} },
      'invalid_bundle',
      400,
    ],
    [
      'a bundle without projectKey',
      { sonarqube: { issues: [{ issues: [] }] } },
      'invalid_bundle',
      400,
    ],
    [
      'a bundle without any version',
      { projectKey: 'x', sonarqube: { issues: [{ issues: [] }] } },
      'missing_project_version',
      400,
    ],
    [
      'an unknown standard',
      {
        projectKey: 'x',
        projectVersion: '1',
        standards: ['PCI DSS:4'],
        sonarqube: { issues: [{ issues: [] }] },
      },
      'unknown_standard',
      400,
    ],
  ];
  const issues = { issues: [{ issues: [] }] };
  cases.push(
    [
      'a NUL byte in projectKey',
      { projectKey: 'nul\u0000key', projectVersion: '1', sonarqube: issues },
      'invalid_bundle',
      400,
    ],
    [
      'a NUL byte in projectName',
      {
        projectKey: 'k',
        projectName: 'a\u0000b',
        projectVersion: '1',
        sonarqube: issues,
      },
      'invalid_bundle',
      400,
    ],
    [
      'a 12 KB projectVersion',
      {
        projectKey: 'k',
        projectVersion: '1.0.0-' + 'x'.repeat(12_000),
        sonarqube: issues,
      },
      'invalid_bundle',
      400,
    ],
    [
      'an empty standards list',
      {
        projectKey: 'k',
        projectVersion: '1',
        standards: [],
        sonarqube: issues,
      },
      'invalid_bundle',
      400,
    ],
    [
      'an analysis date before 1970',
      {
        projectKey: 'k',
        projectVersion: '1',
        analysisDate: '1960-01-01T00:00:00Z',
        sonarqube: issues,
      },
      'invalid_bundle',
      400,
    ],
    [
      'an analysis date without an offset',
      {
        projectKey: 'k',
        projectVersion: '1',
        analysisDate: '2025-01-01T00:00:00',
        sonarqube: issues,
      },
      'invalid_bundle',
      400,
    ],
  );
  for (const [name, body, code, status] of cases) {
    test(`${name} answers ${status} ${code}`, async () => {
      const before = await listAll();
      const answer = await ingest(body);
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.equal(answer.body.code, code);
      assert.ok(answer.body.message.length > 10);
      assert.deepEqual(await listAll(), before);
    });
  }

  test('a body of another media type answers 415', async () => {
    const { status, body } = await ingest(Buffer.from('hello'), {
      type: 'text/plain',
    });
    assert.equal(status, 415);
    assert.equal(body.code, 'unsupported_media_type');
  });

  test('a ZIP member that climbs out with ../ is refused', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('{}'), 'ok.json');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    // yazl refuses to write `../`, so the name is patched in the bytes.
    const bytes = Buffer.from(
      Buffer.concat(chunks).toString('latin1').replaceAll('ok.json', '../a.js'),
      'latin1',
    );
    const { status, body } = await ingest(bytes, { type: 'application/zip' });
    assert.equal(status, 400);
    assert.equal(body.code, 'invalid_bundle');
  });

  test('a ZIP member that inflates to 1 GiB is refused without inflating it', async () => {
    const zip = new yazl.ZipFile();
    const megabyte = Buffer.alloc(1 << 20, 0x20);
    let sent = 0;
    const gigabyte = new Readable({
      read() {
        this.push(sent++ < 1024 ? megabyte : null);
      },
    });
    zip.addReadStream(gigabyte, 'issues-1.json', { compressionLevel: 1 });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    assert.ok(bytes.length < 8 << 20, 'the bomb itself is small');

    const before = await listAll();
    const { status, body } = await ingest(bytes, { type: 'application/zip' });
    assert.equal(status, 413);
    assert.equal(body.code, 'payload_too_large');
    assert.match(body.message, /issues-1\.json/);
    assert.deepEqual(await listAll(), before);
  });
});
