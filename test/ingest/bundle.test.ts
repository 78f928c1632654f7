import assert from 'node:assert/strict';
import { test } from 'node:test';
import yazl from 'yazl';
import { HubError, type ErrorCode } from '../../src/errors.js';
import {
  defaultBundleLimits,
  parseBundle,
  readBundle,
  type BundleLimits,
} from '../../src/ingest/bundle.js';
import { fixtureBytes, fixtureJson, fixtureTest } from '../support/fixtures.js';

interface ZipItem {
  name: string;
  data: string | Buffer;
  mode?: number;
}

/** A ZIP built in memory; yazl refuses unsafe names, so tests patch them in. */
function zipOf(items: ZipItem[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const item of items) {
    const data =
      typeof item.data === 'string' ? Buffer.from(item.data) : item.data;
    zip.addBuffer(data, item.name, item.mode ? { mode: item.mode } : {});
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** Replaces every occurrence of a same-length name in the archive bytes. */
function renameInZip(zip: Buffer, from: string, to: string): Buffer {
  assert.equal(from.length, to.length);
  const out = Buffer.from(zip);
  let at = out.indexOf(from);
  while (at !== -1) {
    out.write(to, at, 'latin1');
    at = out.indexOf(from, at + 1);
  }
  return out;
}

/** Rewrites the uncompressed size the central directory claims. */
function declareSize(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  const central = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  assert.notEqual(central, -1);
  out.writeUInt32LE(size, central + 24);
  return out;
}

function rejectsWith(code: ErrorCode, text?: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof HubError, `expected HubError, got ${error}`);
    assert.equal(error.code, code, error.message);
    if (typeof text === 'string')
      assert.ok(error.message.includes(text), error.message);
    if (text instanceof RegExp) assert.match(error.message, text);
    return true;
  };
}

const minimalIssues = { issues: [] };
const metadata = JSON.stringify({ projectKey: 'acme', projectVersion: '1.0' });
const smallLimits: BundleLimits = {
  maxEntries: 20,
  maxEntryBytes: 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024,
};

test('a minimal JSON bundle needs only projectKey and one issues response', async () => {
  const bytes = Buffer.from(
    JSON.stringify({
      projectKey: 'acme',
      sonarqube: { issues: [minimalIssues] },
    }),
  );
  const bundle = await readBundle(bytes, 'json');
  assert.equal(bundle.projectKey, 'acme');
  assert.equal(bundle.sonarqube.issues.length, 1);
  assert.deepEqual(bundle.sonarqube.hotspots, []);
  assert.deepEqual(bundle.sonarqube.analyses, []);
});

test('a single issues response is accepted without a list around it', () => {
  const bundle = parseBundle({
    projectKey: 'acme',
    sonarqube: { issues: { issues: [{ key: 'k', rule: 'r:1' }] } },
  });
  assert.equal(bundle.sonarqube.issues[0]?.issues[0]?.key, 'k');
});

test('malformed JSON is an invalid bundle, not a crash', async () => {
  await assert.rejects(
    readBundle(Buffer.from('{"projectKey": "acme",'), 'json'),
    rejectsWith('invalid_bundle', 'not valid JSON'),
  );
});

test('bytes that are not UTF-8 are an invalid bundle', async () => {
  await assert.rejects(
    readBundle(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'json'),
    rejectsWith('invalid_bundle', 'UTF-8'),
  );
});

test('a JSON document that is not an object is an invalid bundle', () => {
  assert.throws(
    () => parseBundle([1, 2]),
    rejectsWith('invalid_bundle', 'JSON object'),
  );
});

test('a bundle without projectKey names the projectKey field', () => {
  assert.throws(
    () => parseBundle({ sonarqube: { issues: [minimalIssues] } }),
    (error: unknown) =>
      error instanceof HubError &&
      error.code === 'invalid_bundle' &&
      error.parameter === 'projectKey',
  );
});

test('a bundle without issues is refused', () => {
  for (const sonarqube of [{}, { issues: [] }, { issues: null }]) {
    assert.throws(
      () => parseBundle({ projectKey: 'acme', sonarqube }),
      (error: unknown) =>
        error instanceof HubError &&
        error.code === 'invalid_bundle' &&
        error.parameter === 'sonarqube.issues',
    );
  }
  assert.throws(
    () => parseBundle({ projectKey: 'acme' }),
    rejectsWith('invalid_bundle'),
  );
});

test('an issues response without an issues array is refused', () => {
  assert.throws(
    () =>
      parseBundle({
        projectKey: 'acme',
        sonarqube: { issues: [{ total: 0 }] },
      }),
    rejectsWith('invalid_bundle', 'sonarqube.issues[0].issues'),
  );
});

test('a malformed issue is reported with the path to the field', () => {
  const issues = [
    {
      issues: [
        { key: 'a', rule: 'r' },
        { key: 7, rule: 'r' },
      ],
    },
  ];
  assert.throws(
    () => parseBundle({ projectKey: 'acme', sonarqube: { issues } }),
    (error: unknown) =>
      error instanceof HubError &&
      error.parameter === 'sonarqube.issues[0].issues[1].key',
  );
});

test('wrongly typed optional fields are refused by name', () => {
  const base = { projectKey: 'acme', sonarqube: { issues: [minimalIssues] } };
  const cases: Array<[object, string]> = [
    [{ projectVersion: 1 }, 'projectVersion'],
    [{ analysisDate: 'yesterday' }, 'analysisDate'],
    [{ analysisDate: '2025-12-17T09:05:48' }, 'analysisDate'],
    [{ standards: 'CWE Top 25:2024' }, 'standards'],
    [{ mode: 'fast' }, 'mode'],
    [
      { sonarqube: { ...base.sonarqube, securityStandards: { r: 'cwe:1' } } },
      'sonarqube.securityStandards.r',
    ],
    [
      {
        sonarqube: { ...base.sonarqube, analyses: { analyses: [{ date: 5 }] } },
      },
      'sonarqube.analyses.analyses[0].date',
    ],
    [
      { sonarqube: { ...base.sonarqube, measures: {} } },
      'sonarqube.measures.component',
    ],
    [
      { sonarqube: { ...base.sonarqube, hotspots: [{ hotspots: [{}] }] } },
      'sonarqube.hotspots[0].hotspots[0].key',
    ],
  ];
  for (const [extra, parameter] of cases) {
    assert.throws(
      () => parseBundle({ ...base, ...extra }),
      (error: unknown) =>
        error instanceof HubError &&
        error.code === 'invalid_bundle' &&
        error.parameter === parameter,
      parameter,
    );
  }
});

test('SonarQube dates with +0000 offsets are read as UTC', () => {
  const bundle = parseBundle({
    projectKey: 'acme',
    analysisDate: '2025-12-17T09:05:48+0000',
    sonarqube: { issues: minimalIssues },
  });
  assert.equal(bundle.analysisDate?.toISOString(), '2025-12-17T09:05:48.000Z');
});

test('a JSON bundle over the size limit is too large', async () => {
  const bytes = Buffer.from(JSON.stringify({ projectKey: 'x'.repeat(2000) }));
  await assert.rejects(
    readBundle(bytes, 'json', { ...smallLimits, maxTotalBytes: 1000 }),
    rejectsWith('payload_too_large'),
  );
});

fixtureTest('a ZIP of real response files reads as one bundle', async () => {
  const zip = await zipOf([
    { name: 'export/bundle.json', data: metadata },
    {
      name: 'export/issues-2.json',
      data: fixtureBytes(
        'issues_search__heimdall2__js_postmessage_vulnerability.json',
      ),
    },
    {
      name: 'export/issues-10.json',
      data: fixtureBytes(
        'issues_search__heimdall2__c_toctou_vulnerability.json',
      ),
    },
    {
      name: 'export/rules_show_S5847.json',
      data: fixtureBytes('rules_show__heimdall2__c_S5847_toctou_cwe367.json'),
    },
    {
      name: 'export/hotspots.json',
      data: fixtureBytes(
        'hotspots_search__defectdojo__findings_over_api_hotspots.json',
      ),
    },
    {
      name: 'export/project_analyses.json',
      data: fixtureBytes(
        'project_analyses_search__hygieia__sonar8_project_version.json',
      ),
    },
    {
      name: 'export/measures.json',
      data: fixtureBytes(
        'measures_component__hiero-sdk-js__security_rating_vulnerabilities.json',
      ),
    },
    { name: 'export/securityStandards.json', data: '{"c:S5847": ["cwe:367"]}' },
    { name: 'export/README.txt', data: 'not a response' },
  ]);
  const bundle = await readBundle(zip, 'zip', defaultBundleLimits);

  assert.equal(bundle.projectKey, 'acme');
  assert.deepEqual(
    bundle.sonarqube.issues.map((r) => r.issues[0]?.rule),
    ['javascript:S2819', 'c:S5847'],
    'issues-2 comes before issues-10',
  );
  assert.equal(bundle.sonarqube.rules[0]?.key, 'c:S5847');
  assert.equal(bundle.sonarqube.hotspots[0]?.hotspots.length, 4);
  assert.equal(bundle.sonarqube.analyses.length, 2);
  assert.equal(bundle.sonarqube.measures?.name, 'hiero-ledger-hiero-sdk-js');
  assert.deepEqual(bundle.sonarqube.securityStandards['c:S5847'], ['cwe:367']);
});

test('a ZIP may carry the whole JSON bundle as bundle.json', async () => {
  const whole = { projectKey: 'acme', sonarqube: { issues: [minimalIssues] } };
  const zip = await zipOf([
    { name: 'bundle.json', data: JSON.stringify(whole) },
  ]);
  const bundle = await readBundle(zip, 'zip', smallLimits);
  assert.equal(bundle.sonarqube.issues.length, 1);
});

test('a ZIP without bundle.json is refused because projectKey is unknown', async () => {
  const zip = await zipOf([
    { name: 'issues.json', data: JSON.stringify(minimalIssues) },
  ]);
  await assert.rejects(
    readBundle(zip, 'zip', smallLimits),
    rejectsWith('invalid_bundle', 'bundle.json'),
  );
});

test('a ZIP without issues files is refused', async () => {
  const zip = await zipOf([{ name: 'bundle.json', data: metadata }]);
  await assert.rejects(
    readBundle(zip, 'zip', smallLimits),
    rejectsWith('invalid_bundle', 'issues'),
  );
});

test('a bad member names the file it came from', async () => {
  const zip = await zipOf([
    { name: 'bundle.json', data: metadata },
    { name: 'issues_1.json', data: '{"issues": [{"key": "k"}]}' },
  ]);
  await assert.rejects(
    readBundle(zip, 'zip', smallLimits),
    (error: unknown) =>
      error instanceof HubError &&
      error.parameter === 'issues_1.json: issues[0].rule',
  );
});

test('a member that is not JSON names the file', async () => {
  const zip = await zipOf([
    { name: 'bundle.json', data: metadata },
    { name: 'issues.json', data: 'PK nonsense' },
  ]);
  await assert.rejects(
    readBundle(zip, 'zip', smallLimits),
    rejectsWith('invalid_bundle', 'issues.json'),
  );
});

test('bytes that are not a ZIP are an invalid bundle', async () => {
  await assert.rejects(
    readBundle(Buffer.from('definitely not a zip archive'), 'zip', smallLimits),
    rejectsWith('invalid_bundle', 'ZIP'),
  );
});

test('a ZIP member whose path climbs out with ../ is refused', async () => {
  const zip = await zipOf([
    { name: 'bundle.json', data: metadata },
    { name: 'xx/issues.json', data: JSON.stringify(minimalIssues) },
  ]);
  await assert.rejects(
    readBundle(
      renameInZip(zip, 'xx/issues.json', '../issues.json'),
      'zip',
      smallLimits,
    ),
    rejectsWith('invalid_bundle', '../issues.json'),
  );
});

test('a ZIP member with an absolute path is refused', async () => {
  const zip = await zipOf([
    { name: 'bundle.json', data: metadata },
    { name: 'x/issues.json', data: JSON.stringify(minimalIssues) },
  ]);
  await assert.rejects(
    readBundle(
      renameInZip(zip, 'x/issues.json', '//issues.json'),
      'zip',
      smallLimits,
    ),
    rejectsWith('invalid_bundle', 'issues.json'),
  );
});

test('a ZIP member that is a symbolic link is refused', async () => {
  const zip = await zipOf([
    { name: 'bundle.json', data: metadata },
    { name: 'issues.json', data: '/etc/passwd', mode: 0o120777 },
  ]);
  await assert.rejects(
    readBundle(zip, 'zip', smallLimits),
    rejectsWith('invalid_bundle', 'symbolic link'),
  );
});

test('a ZIP with more entries than allowed is refused before reading them', async () => {
  const items = Array.from({ length: 21 }, (_, i) => ({
    name: `n${i}.txt`,
    data: '',
  }));
  await assert.rejects(
    readBundle(await zipOf(items), 'zip', smallLimits),
    rejectsWith('payload_too_large', '21 entries'),
  );
});

test('a member larger than the per-member limit is refused by its declared size', async () => {
  const zip = await zipOf([
    { name: 'bundle.json', data: metadata },
    { name: 'issues.json', data: Buffer.alloc(10 * 1024 * 1024) },
  ]);
  assert.ok(zip.length < 100 * 1024, 'ten megabytes of zeros compress well');
  await assert.rejects(
    readBundle(zip, 'zip', smallLimits),
    rejectsWith('payload_too_large', /issues\.json is 10485760 bytes/),
  );
});

test('a member declaring 1 GiB is refused without inflating it', async () => {
  const zip = await zipOf([
    { name: 'issues.json', data: JSON.stringify(minimalIssues) },
    { name: 'bundle.json', data: metadata },
  ]);
  const started = Date.now();
  await assert.rejects(
    readBundle(
      declareSize(zip, 1024 * 1024 * 1024),
      'zip',
      defaultBundleLimits,
    ),
    rejectsWith('payload_too_large', '1073741824'),
  );
  assert.ok(Date.now() - started < 1000);
});

test('a member that inflates past its declared size is stopped', async () => {
  const zip = await zipOf([
    { name: 'issues.json', data: Buffer.alloc(10 * 1024 * 1024) },
    { name: 'bundle.json', data: metadata },
  ]);
  await assert.rejects(
    readBundle(declareSize(zip, 100), 'zip', smallLimits),
    rejectsWith('invalid_bundle', 'issues.json'),
  );
});

test('members that together exceed the total limit are refused', async () => {
  const page = Buffer.alloc(800 * 1024, 0x20);
  const zip = await zipOf([
    { name: 'bundle.json', data: metadata },
    { name: 'issues-1.json', data: page },
    { name: 'issues-2.json', data: page },
    { name: 'issues-3.json', data: page },
  ]);
  await assert.rejects(
    readBundle(zip, 'zip', smallLimits),
    rejectsWith('payload_too_large', 'bytes uncompressed'),
  );
});

test('members with unknown names are skipped without counting towards size', async () => {
  const zip = await zipOf([
    { name: 'bundle.json', data: metadata },
    { name: 'issues.json', data: JSON.stringify(minimalIssues) },
    { name: 'screenshot.png', data: Buffer.alloc(5 * 1024 * 1024) },
  ]);
  const bundle = await readBundle(zip, 'zip', smallLimits);
  assert.equal(bundle.sonarqube.issues.length, 1);
});

test('two bundle.json files are refused as ambiguous', async () => {
  const zip = await zipOf([
    { name: 'bundle.json', data: metadata },
    { name: 'b/metadata.json', data: metadata },
    { name: 'issues.json', data: JSON.stringify(minimalIssues) },
  ]);
  await assert.rejects(
    readBundle(zip, 'zip', smallLimits),
    rejectsWith('invalid_bundle', 'metadata'),
  );
});

fixtureTest('every issues_search fixture validates as a bundle part', () => {
  for (const file of [
    'issues_search__codemodder-java__sonarcloud_jndi_injection_taint_mqr.json',
    'issues_search__codemodder-java__sonarcloud_xxe_vulnerabilities_mqr.json',
    'issues_search__defectdojo__findings_over_api_owasp_dependency_check.json',
    'issues_search__heimdall2__c_toctou_vulnerability.json',
    'issues_search__heimdall2__js_postmessage_vulnerability.json',
  ]) {
    const bundle = parseBundle({
      projectKey: 'p',
      sonarqube: { issues: fixtureJson(file) },
    });
    assert.ok(bundle.sonarqube.issues[0]!.issues.length > 0, file);
  }
});
