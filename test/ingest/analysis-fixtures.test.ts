import assert from 'node:assert/strict';

import { HubError } from '../../src/errors.js';
import { analyzeBundle } from '../../src/ingest/analysis.js';
import { parseBundle } from '../../src/ingest/bundle.js';
import { fixtureJson, fixtureTest } from '../support/fixtures.js';
import {
  CWE,
  OWASP,
  busyCategories,
  now,
  report,
  summary,
} from '../support/analysis.js';

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
    cweOutOfScope: [3, 'BLOCKER'],
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
    cweOutOfScope: [4, 'BLOCKER'],
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
    cweOutOfScope: [2, 'CRITICAL'],
  },
  {
    file: 'issues_search__heimdall2__c_toctou_vulnerability.json',
    map: { 'c:S5847': ['cwe:367', 'owaspTop10:a5', 'owaspTop10-2021:a1'] },
    // One CRITICAL TOCTOU: CWE-367 is outside the Top 25; A01 explicitly.
    expected: { [CWE]: [0, 'A'], [OWASP]: [1, 'D'] },
    owaspCategories: ['A01 1 D'],
    cweOutOfScope: [1, 'CRITICAL'],
  },
  {
    file: 'issues_search__heimdall2__js_postmessage_vulnerability.json',
    map: { 'javascript:S2819': ['cwe:345', 'owaspTop10:a3'] },
    // One CRITICAL postMessage issue: CWE-345 is not in the Top 25 and maps
    // to A08 through OWASP's list (the 2017 A3 key places nothing).
    expected: { [CWE]: [0, 'A'], [OWASP]: [1, 'D'] },
    owaspCategories: ['A08 1 D'],
    cweOutOfScope: [1, 'CRITICAL'],
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
      const cwe = report(reports, CWE);
      assert.deepEqual(cwe.unmapped, []);
      // Rated A, yet not clean: the report must be able to say so.
      assert.deepEqual(
        [cwe.outOfScopeCount, cwe.outOfScopeWorstSeverity],
        c.cweOutOfScope,
      );
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
