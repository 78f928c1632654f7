import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HubError } from '../../src/errors.js';
import type { ReportModel } from '../../src/domain/model.js';
import { analyzeBundle } from '../../src/ingest/analysis.js';
import { parseBundle } from '../../src/ingest/bundle.js';
import { fixtureJson, fixtureTest } from '../support/fixtures.js';

const CWE = 'CWE Top 25:2024';
const OWASP = 'OWASP Top 10:2021';
const now = new Date('2026-01-01T00:00:00Z');

function report(reports: ReportModel[], name: string): ReportModel {
  const found = reports.find(
    (r) => `${r.standard.name}:${r.standard.edition}` === name,
  );
  assert.ok(found, `no ${name} report`);
  return found;
}

/** Count and rating per standard, the way the list API shows them. */
function summary(reports: ReportModel[]) {
  return Object.fromEntries(
    reports.map((r) => [
      `${r.standard.name}:${r.standard.edition}`,
      [r.vulnerabilitiesCount, r.securityRating],
    ]),
  );
}

/** Non-empty categories as `id count rating`. */
function busyCategories(model: ReportModel): string[] {
  return model.categories
    .filter((c) => c.vulnerabilitiesCount > 0)
    .map((c) => `${c.id} ${c.vulnerabilitiesCount} ${c.securityRating}`);
}

// ---------------------------------------------------------------------------
// Real SonarQube responses. The securityStandards maps are what SonarQube
// returns for these rules (RSPEC metadata): CWE numbers, OWASP 2017 keys, and
// the 2021 category where SonarQube assigns one.

const fixtureCases = [
  {
    file: 'issues_search__codemodder-java__sonarcloud_jndi_injection_taint_mqr.json',
    map: {
      'javasecurity:S2078': ['cwe:90', 'owaspTop10:a1', 'owaspTop10-2021:a3'],
      'javasecurity:S5146': ['cwe:601', 'owaspTop10:a5', 'owaspTop10-2021:a1'],
    },
    // 3 open VULNERABILITY issues, all BLOCKER (3 code smells ignored).
    // CWE-90 and CWE-601 are not in the 2024 Top 25; A03 x2 and A01 x1.
    expected: { [CWE]: [0, 'A'], [OWASP]: [3, 'E'] },
    owaspCategories: ['A01 1 E', 'A03 2 E'],
  },
  {
    file: 'issues_search__codemodder-java__sonarcloud_xxe_vulnerabilities_mqr.json',
    map: {
      'java:S2755': [
        'cwe:611',
        'cwe:827',
        'owaspTop10:a4',
        'owaspTop10-2021:a5',
      ],
    },
    // 4 BLOCKER XXE issues; CWE-611 is not in the Top 25, A05 holds all 4.
    expected: { [CWE]: [0, 'A'], [OWASP]: [4, 'E'] },
    owaspCategories: ['A05 4 E'],
  },
  {
    file: 'issues_search__defectdojo__findings_over_api_owasp_dependency_check.json',
    map: {
      'OWASP:UsingComponentWithKnownVulnerability': [
        'cwe:937',
        'owaspTop10:a9',
      ],
    },
    // 3 VULNERABILITY issues but two share a key: 2 findings, the duplicate
    // kept as its CRITICAL copy. CWE-937 maps to A06 only through OWASP's
    // CWE list; the 2017 key places nothing. BUG and CODE_SMELL ignored.
    expected: { [CWE]: [0, 'A'], [OWASP]: [2, 'D'] },
    owaspCategories: ['A06 2 D'],
  },
  {
    file: 'issues_search__heimdall2__c_toctou_vulnerability.json',
    map: { 'c:S5847': ['cwe:367', 'owaspTop10:a5', 'owaspTop10-2021:a1'] },
    // One CRITICAL TOCTOU: CWE-367 is outside the Top 25; A01 explicitly.
    expected: { [CWE]: [0, 'A'], [OWASP]: [1, 'D'] },
    owaspCategories: ['A01 1 D'],
  },
  {
    file: 'issues_search__heimdall2__js_postmessage_vulnerability.json',
    map: { 'javascript:S2819': ['cwe:345', 'owaspTop10:a3'] },
    // One CRITICAL postMessage issue: CWE-345 is not in the Top 25 and maps
    // to A08 through OWASP's list (the 2017 A3 key places nothing).
    expected: { [CWE]: [0, 'A'], [OWASP]: [1, 'D'] },
    owaspCategories: ['A08 1 D'],
  },
];

for (const c of fixtureCases) {
  fixtureTest(
    `the ${c.file.split('__')[2]} fixture counts and rates as worked out by hand`,
    () => {
      const bundle = parseBundle({
        projectKey: 'fixture',
        projectVersion: '1.0',
        sonarqube: { issues: [fixtureJson(c.file)], securityStandards: c.map },
      });
      const { reports } = analyzeBundle(bundle, { now });
      assert.deepEqual(summary(reports), c.expected);
      assert.deepEqual(
        busyCategories(report(reports, OWASP)),
        c.owaspCategories,
      );
      assert.deepEqual(report(reports, CWE).unmapped, []);
    },
  );
}

fixtureTest(
  'the SonarCloud fixture rates by SECURITY impact in mqr mode',
  () => {
    const bundle = parseBundle({
      projectKey: 'developer1_bad-code-java',
      projectVersion: '1.0',
      mode: 'mqr',
      sonarqube: {
        issues: fixtureJson(fixtureCases[0]!.file),
        securityStandards: fixtureCases[0]!.map,
      },
    });
    const { reports, projectName } = analyzeBundle(bundle, { now });
    // Impacts are SECURITY/HIGH, so D where the standard severity said E.
    assert.deepEqual(summary(reports), { [CWE]: [0, 'A'], [OWASP]: [3, 'D'] });
    assert.equal(projectName, 'bad-code-java', 'from the TRK component');
  },
);

fixtureTest(
  'the TOCTOU issue is placed through its rule description link',
  () => {
    const bundle = parseBundle({
      projectKey: 'libc_unix',
      projectVersion: '2.1',
      sonarqube: {
        issues: fixtureJson(
          'issues_search__heimdall2__c_toctou_vulnerability.json',
        ),
        rules: fixtureJson('rules_show__heimdall2__c_S5847_toctou_cwe367.json'),
      },
    });
    const { reports } = analyzeBundle(bundle, { now });
    const cwe = report(reports, CWE);
    const owasp = report(reports, OWASP);

    // CWE-367 is not in the 2024 Top 25; the OWASP 2021 A01 link places it.
    assert.deepEqual([cwe.vulnerabilitiesCount, cwe.securityRating], [0, 'A']);
    assert.deepEqual(busyCategories(owasp), ['A01 1 D']);
    assert.deepEqual(owasp.findings[0]?.categories, ['A01']);
    assert.equal(owasp.findings[0]?.file, 'dev/src/libc_unix/sumapss7.c');
    assert.equal(owasp.findings[0]?.line, 65);
    assert.deepEqual(
      cwe.unmapped,
      [],
      'it has CWE facts, so it is not unmapped',
    );
  },
);

fixtureTest('hotspots never count towards counts or ratings', () => {
  const bundle = parseBundle({
    projectKey: 'p',
    projectVersion: '1.0',
    sonarqube: {
      issues: fixtureJson(
        'issues_search__heimdall2__c_toctou_vulnerability.json',
      ),
      securityStandards: { 'c:S5847': ['cwe:367', 'owaspTop10-2021:a1'] },
      hotspots: [
        fixtureJson(
          'hotspots_search__codemodder-python__sonarcloud_python_hotspots.json',
        ),
        fixtureJson(
          'hotspots_search__defectdojo__findings_over_api_hotspots.json',
        ),
      ],
    },
  });
  const { reports } = analyzeBundle(bundle, { now });
  assert.deepEqual(summary(reports), { [CWE]: [0, 'A'], [OWASP]: [1, 'D'] });
  // 7 + 4 hotspots, all TO_REVIEW, shown for context only.
  assert.equal(report(reports, CWE).hotspotsCount, 11);
});

fixtureTest('name, version and date fall back to measures and analyses', () => {
  const bundle = parseBundle({
    projectKey: 'hiero-ledger-hiero-sdk-js',
    sonarqube: {
      issues: { issues: [] },
      measures: fixtureJson(
        'measures_component__hiero-sdk-js__security_rating_vulnerabilities.json',
      ),
      analyses: fixtureJson(
        'project_analyses_search__hygieia__sonar8_project_version.json',
      ),
    },
  });
  const result = analyzeBundle(bundle, { now });
  assert.equal(result.projectName, 'hiero-ledger-hiero-sdk-js');
  assert.equal(result.projectVersion, '1.0', 'the latest analysis');
  assert.equal(result.analysisDate.toISOString(), '2020-06-24T04:09:37.000Z');
  // SonarQube's own security_rating of 5.0 is not trusted over the issues.
  assert.deepEqual(summary(result.reports), {
    [CWE]: [0, 'A'],
    [OWASP]: [0, 'A'],
  });
});

fixtureTest(
  'an analysis whose version is "not provided" has no version',
  () => {
    const analyses = fixtureJson(
      'project_analyses_search__hygieia__sonar8_project_version.json',
    ) as { analyses: Array<{ projectVersion: string }> };
    const onlyUnversioned = { analyses: analyses.analyses.slice(1) };
    assert.equal(onlyUnversioned.analyses[0]?.projectVersion, 'not provided');
    const bundle = parseBundle({
      projectKey: 'p',
      sonarqube: { issues: { issues: [] }, analyses: onlyUnversioned },
    });
    assert.throws(
      () => analyzeBundle(bundle, { now }),
      (error: unknown) =>
        error instanceof HubError &&
        error.code === 'missing_project_version' &&
        error.parameter === 'projectVersion',
    );
  },
);

// ---------------------------------------------------------------------------
// Small bundles in SonarQube's response format, one per edge case.

type Fields = Record<string, unknown>;

function issue(key: string, rule: string, fields: Fields = {}): Fields {
  return {
    key,
    rule,
    type: 'VULNERABILITY',
    severity: 'MAJOR',
    component: `acme:src/${key}.js`,
    project: 'acme',
    line: 1,
    message: `message ${key}`,
    status: 'OPEN',
    ...fields,
  };
}

function analyze(issues: Fields[], extra: Fields = {}, sonarqube: Fields = {}) {
  const bundle = parseBundle({
    projectKey: 'acme',
    projectVersion: '1.4.2',
    ...extra,
    sonarqube: {
      issues: [{ issues }],
      securityStandards: {
        'js:xss': ['cwe:79', 'owaspTop10-2021:a3'],
        'js:sqli': ['cwe:89', 'cwe:564'],
        'js:weak': ['cwe:327'],
        'js:redirect': ['cwe:601'],
      },
      ...sonarqube,
    },
  });
  return analyzeBundle(bundle, { now });
}

test('a BLOCKER outside CWE Top 25 leaves that report rated by the MAJOR inside', () => {
  const { reports } = analyze([
    issue('a', 'js:weak', { severity: 'BLOCKER' }),
    issue('b', 'js:xss', { severity: 'MAJOR' }),
  ]);
  assert.deepEqual(summary(reports), { [CWE]: [1, 'C'], [OWASP]: [2, 'E'] });
  assert.deepEqual(busyCategories(report(reports, CWE)), ['CWE-79 1 C']);
  assert.deepEqual(busyCategories(report(reports, OWASP)), [
    'A02 1 E',
    'A03 1 C',
  ]);
});

test('categories carry their own counts, ratings and ranks in order', () => {
  const { reports } = analyze([
    issue('a', 'js:sqli', { severity: 'CRITICAL' }),
    issue('b', 'js:sqli', { severity: 'MINOR' }),
    issue('c', 'js:xss', { severity: 'MINOR' }),
  ]);
  const cwe = report(reports, CWE);
  assert.equal(cwe.categories.length, 25);
  assert.deepEqual(cwe.categories[2], {
    id: 'CWE-89',
    title:
      "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    rank: 3,
    vulnerabilitiesCount: 2,
    securityRating: 'D',
  });
  assert.deepEqual(busyCategories(cwe), ['CWE-79 1 B', 'CWE-89 2 D']);
  assert.equal(cwe.categories[24]?.rank, 25);
});

test('resolved issues do not count', () => {
  const { reports } = analyze([
    issue('a', 'js:xss', {
      resolution: 'FIXED',
      status: 'CLOSED',
      severity: 'BLOCKER',
    }),
    issue('b', 'js:xss', { resolution: 'WONTFIX', status: 'RESOLVED' }),
    issue('c', 'js:xss', { resolution: 'FALSE-POSITIVE' }),
  ]);
  assert.deepEqual(summary(reports), { [CWE]: [0, 'A'], [OWASP]: [0, 'A'] });
});

test('bugs and code smells do not count, even on security rules', () => {
  const { reports } = analyze([
    issue('a', 'js:xss', { type: 'CODE_SMELL', severity: 'BLOCKER' }),
    issue('b', 'js:xss', { type: 'BUG', severity: 'BLOCKER' }),
  ]);
  assert.deepEqual(summary(reports), { [CWE]: [0, 'A'], [OWASP]: [0, 'A'] });
});

test('MQR responses without type count issues with a SECURITY impact', () => {
  const mqr = (key: string, impacts: Fields[]) => {
    const { type, severity, ...rest } = issue(key, 'js:xss');
    (void type, void severity);
    return { ...rest, impacts };
  };
  const { reports } = analyze([
    mqr('a', [{ softwareQuality: 'SECURITY', severity: 'HIGH' }]),
    mqr('b', [{ softwareQuality: 'MAINTAINABILITY', severity: 'BLOCKER' }]),
    mqr('c', [
      { softwareQuality: 'RELIABILITY', severity: 'BLOCKER' },
      { softwareQuality: 'SECURITY', severity: 'LOW' },
    ]),
  ]);
  assert.deepEqual(summary(reports), { [CWE]: [2, 'D'], [OWASP]: [2, 'D'] });
  assert.deepEqual(
    report(reports, CWE).findings.map((f) => `${f.key} ${f.severity}`),
    ['a HIGH', 'c LOW'],
  );
});

test('mode mqr rates by SECURITY impact even where type is present', () => {
  const { reports } = analyze(
    [
      issue('a', 'js:xss', {
        type: 'CODE_SMELL',
        severity: 'MINOR',
        impacts: [{ softwareQuality: 'SECURITY', severity: 'MEDIUM' }],
      }),
      issue('b', 'js:xss', {
        severity: 'BLOCKER',
        impacts: [{ softwareQuality: 'SECURITY', severity: 'LOW' }],
      }),
      issue('c', 'js:xss', { severity: 'BLOCKER', impacts: [] }),
    ],
    { mode: 'mqr' },
  );
  assert.deepEqual(summary(reports), { [CWE]: [2, 'C'], [OWASP]: [2, 'C'] });
});

test('a finding placed only by description links is counted', () => {
  const { reports } = analyze(
    [issue('a', 'java:S3649', { severity: 'CRITICAL' })],
    {},
    {
      rules: {
        rules: [
          {
            key: 'java:S3649',
            descriptionSections: [
              {
                key: 'resources',
                content:
                  '<a href="https://cwe.mitre.org/data/definitions/89">CWE-89</a>',
              },
            ],
          },
        ],
      },
    },
  );
  assert.deepEqual(summary(reports), { [CWE]: [1, 'D'], [OWASP]: [1, 'D'] });
  assert.deepEqual(report(reports, OWASP).findings[0]?.categories, ['A03']);
});

test('a rule object securityStandards field places findings', () => {
  const { reports } = analyze(
    [issue('a', 'java:S5131', { severity: 'MINOR' })],
    {},
    {
      rules: { rule: { key: 'java:S5131', securityStandards: ['cwe:79'] } },
    },
  );
  assert.deepEqual(summary(reports), { [CWE]: [1, 'B'], [OWASP]: [1, 'B'] });
});

test('findings of rules nothing describes are listed as unmapped in every report', () => {
  const { reports } = analyze([
    issue('a', 'js:mystery', { severity: 'BLOCKER' }),
    issue('b', 'js:xss'),
  ]);
  assert.deepEqual(summary(reports), { [CWE]: [1, 'C'], [OWASP]: [1, 'C'] });
  for (const model of reports) {
    assert.deepEqual(
      model.unmapped.map((f) => [f.key, f.rule, f.severity, f.categories]),
      [['a', 'js:mystery', 'BLOCKER', []]],
    );
  }
});

test('a finding with facts outside every category is out of scope, not unmapped', () => {
  const { reports } = analyze(
    [],
    {},
    {
      issues: [{ issues: [issue('a', 'x:old', { severity: 'BLOCKER' })] }],
      securityStandards: { 'x:old': ['owaspTop10:a9'] },
    },
  );
  assert.deepEqual(summary(reports), { [CWE]: [0, 'A'], [OWASP]: [0, 'A'] });
  assert.deepEqual(report(reports, CWE).unmapped, []);
});

test('an issue key seen twice is one finding at its worse severity', () => {
  const { reports } = analyze(
    [],
    {},
    {
      issues: [
        {
          issues: [
            issue('a', 'js:xss', { severity: 'MINOR' }),
            issue('b', 'js:xss'),
          ],
        },
        { issues: [issue('a', 'js:xss', { severity: 'CRITICAL' })] },
        { issues: [issue('a', 'js:xss', { severity: 'INFO' })] },
      ],
    },
  );
  const cwe = report(reports, CWE);
  assert.deepEqual([cwe.vulnerabilitiesCount, cwe.securityRating], [2, 'D']);
  assert.deepEqual(
    cwe.findings.map((f) => `${f.key} ${f.severity}`),
    ['a CRITICAL', 'b MAJOR'],
  );
});

test('a finding in two categories counts once in the total', () => {
  const { reports } = analyze(
    [],
    {},
    {
      issues: [{ issues: [issue('a', 'js:cmd')] }],
      securityStandards: { 'js:cmd': ['cwe:77', 'cwe:78'] },
    },
  );
  const cwe = report(reports, CWE);
  assert.equal(cwe.vulnerabilitiesCount, 1);
  assert.deepEqual(busyCategories(cwe), ['CWE-78 1 C', 'CWE-77 1 C']);
});

test('an empty analysis rates A with every category present', () => {
  const { reports } = analyze([]);
  for (const model of reports) {
    assert.equal(model.securityRating, 'A');
    assert.ok(model.categories.every((c) => c.securityRating === 'A'));
  }
});

test('findings show the file path without the project prefix', () => {
  const { reports } = analyze([
    issue('a', 'js:xss', {
      component: 'acme:web/app.js',
      line: undefined,
      textRange: { startLine: 9 },
    }),
    issue('b', 'js:xss', {
      component: 'acme',
      project: 'acme',
      line: undefined,
    }),
  ]);
  const findings = report(reports, CWE).findings;
  assert.deepEqual(
    findings.map((f) => [f.file, f.line]),
    [
      ['web/app.js', 9],
      ['', null],
    ],
  );
});

test('requested standards choose the reports and their order', () => {
  const bundle = parseBundle({
    projectKey: 'acme',
    projectVersion: '1',
    standards: [OWASP],
    sonarqube: { issues: { issues: [] } },
  });
  assert.deepEqual(
    analyzeBundle(bundle).reports.map((r) => r.standard.name),
    ['OWASP Top 10'],
  );
  const both = analyzeBundle(bundle, { standards: [OWASP, CWE] });
  assert.deepEqual(
    both.reports.map((r) => r.standard.name),
    ['OWASP Top 10', 'CWE Top 25'],
  );
});

test('an unknown standard is refused', () => {
  assert.throws(
    () => analyze([], { standards: ['SANS Top 25:2011'] }),
    (error: unknown) =>
      error instanceof HubError &&
      error.code === 'unknown_standard' &&
      error.parameter === 'standards',
  );
});

test('a bundle without any version is refused with how to set it', () => {
  assert.throws(
    () => analyze([], { projectVersion: undefined }),
    (error: unknown) =>
      error instanceof HubError &&
      error.code === 'missing_project_version' &&
      error.message.includes('projectVersion'),
  );
});

test('the bundle version is kept exactly as given', () => {
  assert.equal(
    analyze([], { projectVersion: 'v1.0.0+42' }).projectVersion,
    'v1.0.0+42',
  );
});

test('a newer analysis without a version does not borrow an older one', () => {
  const analyses = {
    analyses: [
      { date: '2020-06-24T03:27:37+0000', projectVersion: '0.9' },
      { date: '2020-06-25T03:27:37+0000', projectVersion: 'not provided' },
    ],
  };
  assert.throws(
    () => analyze([], { projectVersion: undefined }, { analyses }),
    (error: unknown) =>
      error instanceof HubError && error.code === 'missing_project_version',
  );
});

test('without any date the analysis date is now', () => {
  assert.equal(analyze([]).analysisDate.getTime(), now.getTime());
});

test('the bundle name and date win over SonarQube responses', () => {
  const result = analyze(
    [],
    {
      projectName: 'Acme Web',
      analysisDate: '2025-12-17T09:05:48+0000',
    },
    {
      measures: { component: { key: 'acme', name: 'acme-web' } },
      analyses: {
        analyses: [{ date: '2020-01-01T00:00:00+0000', projectVersion: '9' }],
      },
    },
  );
  assert.equal(result.projectName, 'Acme Web');
  assert.equal(result.projectVersion, '1.4.2');
  assert.equal(result.analysisDate.toISOString(), '2025-12-17T09:05:48.000Z');
});

test('a vulnerability with an unknown severity is an invalid bundle', () => {
  assert.throws(
    () => analyze([issue('a', 'js:xss', { severity: 'SEVERE' })]),
    (error: unknown) =>
      error instanceof HubError &&
      error.code === 'invalid_bundle' &&
      error.message.includes('a'),
  );
});

test('a vulnerability without any severity is an invalid bundle', () => {
  assert.throws(
    () => analyze([issue('a', 'js:xss', { severity: undefined })]),
    (error: unknown) =>
      error instanceof HubError && error.code === 'invalid_bundle',
  );
});

test('50,000 findings are analysed in linear time, well within two seconds', () => {
  const rules = ['js:xss', 'js:sqli', 'js:weak', 'js:redirect', 'js:mystery'];
  const severities = ['BLOCKER', 'CRITICAL', 'MAJOR', 'MINOR', 'INFO'];
  const issues = Array.from({ length: 50_000 }, (_, i) =>
    issue(`k${i}`, rules[i % 5]!, { severity: severities[(i >> 3) % 5] }),
  );
  const started = performance.now();
  const { reports } = analyze(issues);
  const elapsedMs = performance.now() - started;

  assert.deepEqual(summary(reports), {
    [CWE]: [20_000, 'E'],
    [OWASP]: [40_000, 'E'],
  });
  assert.equal(report(reports, CWE).unmapped.length, 10_000);
  assert.ok(elapsedMs < 2000, `took ${elapsedMs} ms`);
});
