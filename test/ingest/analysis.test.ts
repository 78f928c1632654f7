import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReportModel } from '../../src/domain/model.js';
import { HubError } from '../../src/errors.js';
import { analyzeBundle } from '../../src/ingest/analysis.js';
import { parseBundle } from '../../src/ingest/bundle.js';
import {
  CWE,
  OWASP,
  busyCategories,
  now,
  report,
  summary,
} from '../support/analysis.js';

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

/** Count and worst severity of the open vulnerabilities out of scope. */
function outOfScope(model: ReportModel) {
  return [model.outOfScopeCount, model.outOfScopeWorstSeverity];
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
  assert.deepEqual(outOfScope(report(reports, CWE)), [1, 'BLOCKER']);
  assert.deepEqual(outOfScope(report(reports, OWASP)), [0, null]);
});

test('out-of-scope findings are counted with the worst of their severities', () => {
  const { reports } = analyze(
    [
      issue('a', 'js:ldap', { severity: 'MINOR' }),
      issue('b', 'js:redirect', { severity: 'BLOCKER' }),
      issue('c', 'js:redirect', { severity: 'INFO' }),
      issue('d', 'js:xss', { severity: 'MAJOR' }),
    ],
    {},
    {
      securityStandards: {
        'js:ldap': ['cwe:90'],
        'js:xss': ['cwe:79'],
        'js:redirect': ['cwe:601'],
      },
    },
  );
  const cwe = report(reports, CWE);
  assert.deepEqual([cwe.vulnerabilitiesCount, cwe.securityRating], [1, 'C']);
  assert.deepEqual(outOfScope(cwe), [3, 'BLOCKER']);
  assert.deepEqual(cwe.unmapped, []);
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
    assert.deepEqual(outOfScope(model), [0, null], 'unmapped, not outside');
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
  for (const model of reports) {
    assert.deepEqual(model.unmapped, []);
    assert.deepEqual(outOfScope(model), [1, 'BLOCKER']);
  }
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
    assert.deepEqual(outOfScope(model), [0, null]);
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
  assert.deepEqual(outOfScope(report(reports, CWE)), [20_000, 'BLOCKER']);
  assert.deepEqual(outOfScope(report(reports, OWASP)), [0, null]);
  assert.ok(elapsedMs < 2000, `took ${elapsedMs} ms`);
});
