import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  classifyRule,
  createRuleClassifier,
  factsFromDescriptions,
  factsFromStandardKeys,
  isUnmapped,
  type RuleFacts,
} from '../../src/domain/classify.js';
import { readRules } from '../../src/ingest/responses.js';
import { fixtureJson, fixtureTest } from '../support/fixtures.js';

const sorted = <T>(set: ReadonlySet<T>) => [...set].sort();

test('SonarQube standard keys give CWE numbers and OWASP 2021 categories', () => {
  const facts = factsFromStandardKeys([
    'cwe:89',
    'cwe:564',
    'owaspTop10-2021:a3',
    'owaspTop10-2021:A10',
  ]);
  assert.deepEqual(sorted(facts.cwes), [564, 89]);
  assert.deepEqual(sorted(facts.owasp2021), ['A03', 'A10']);
});

test('OWASP Top 10 2017 keys are kept apart from the 2021 categories', () => {
  const facts = factsFromStandardKeys(['owaspTop10:a1', 'owaspTop10:a9']);
  assert.deepEqual(sorted(facts.owasp2021), []);
  assert.deepEqual(sorted(facts.owasp2017), ['A1', 'A9']);
});

test('keys of other standards and malformed keys are ignored', () => {
  const facts = factsFromStandardKeys([
    'pciDss-3.2:6.5.1',
    'owaspAsvs-4.0:5.3.4',
    'cwe:unknown',
    'owaspTop10-2021:a11',
  ]);
  assert.equal(
    facts.cwes.size + facts.owasp2021.size + facts.owasp2017.size,
    0,
  );
});

test('description links give CWE and OWASP facts, quoted or not', () => {
  const facts = factsFromDescriptions([
    '<a href=https://cwe.mitre.org/data/definitions/79.html>CWE-79</a>',
    '<a href="http://cwe.mitre.org/data/definitions/89">CWE-89</a>',
    '* [OWASP](https://owasp.org/Top10/A03_2021-Injection/)',
    '<a href="https://owasp.org/Top10/fr/A01_2021-Broken_Access_Control/">',
    '<a href="https://owasp.org/www-project-top-ten/2017/A1_2017-Injection">',
  ]);
  assert.deepEqual(sorted(facts.cwes), [79, 89]);
  assert.deepEqual(sorted(facts.owasp2021), ['A01', 'A03']);
  assert.deepEqual(sorted(facts.owasp2017), ['A1']);
});

test('a plain mention of a CWE without a link is not a fact', () => {
  const facts = factsFromDescriptions(['This is CWE-79 territory.']);
  assert.equal(facts.cwes.size, 0);
});

const rule = (facts: Partial<RuleFacts>): RuleFacts => ({
  key: 'java:S1',
  descriptions: [],
  ...facts,
});

test('the bundle map wins over the rule object and its description', () => {
  const result = classifyRule(
    'java:S1',
    { 'java:S1': ['cwe:22'] },
    rule({
      securityStandards: ['cwe:79'],
      descriptions: ['cwe.mitre.org/data/definitions/89'],
    }),
  );
  assert.equal(result.source, 'securityStandards');
  assert.deepEqual(sorted(result.cwes), [22]);
});

test('the rule object wins over the description', () => {
  const result = classifyRule(
    'java:S1',
    {},
    rule({
      securityStandards: ['cwe:79'],
      descriptions: ['cwe.mitre.org/data/definitions/89'],
    }),
  );
  assert.equal(result.source, 'rule');
  assert.deepEqual(sorted(result.cwes), [79]);
});

test('a map entry without CWE or OWASP keys falls through to the next source', () => {
  const result = classifyRule(
    'java:S1',
    { 'java:S1': ['pciDss-3.2:6.5'] },
    rule({ descriptions: ['cwe.mitre.org/data/definitions/89'] }),
  );
  assert.equal(result.source, 'description');
  assert.deepEqual(sorted(result.cwes), [89]);
});

test('a rule nothing says anything about is unmapped', () => {
  const result = classifyRule('java:S2', {}, undefined);
  assert.equal(isUnmapped(result), true);
  assert.equal(result.source, undefined);
});

test('a rule with only OWASP 2017 facts is not unmapped', () => {
  const result = classifyRule('x:S1', { 'x:S1': ['owaspTop10:a9'] }, undefined);
  assert.equal(isUnmapped(result), false);
  assert.equal(result.owasp2021.size, 0);
});

test('descriptionSections, htmlDesc and mdDesc are all read from rule responses', () => {
  const rules = readRules(
    {
      rules: [
        {
          key: 'js:S1',
          descriptionSections: [
            { key: 'resources', content: 'cwe.mitre.org/data/definitions/918' },
          ],
        },
        { key: 'js:S2', mdDesc: '[x](https://owasp.org/Top10/A02_2021-x)' },
      ],
    },
    'rules',
  );
  const classify = createRuleClassifier({ rules });
  assert.deepEqual(sorted(classify('js:S1').cwes), [918]);
  assert.deepEqual(sorted(classify('js:S2').owasp2021), ['A02']);
});

test('the classifier answers each rule once and remembers the answer', () => {
  const classify = createRuleClassifier({
    securityStandards: { 'java:S1': ['cwe:89'] },
  });
  assert.equal(classify('java:S1'), classify('java:S1'));
});

test('rule facts from several responses for one rule are combined', () => {
  const classify = createRuleClassifier({
    rules: [
      rule({ descriptions: ['nothing here'] }),
      rule({ descriptions: ['cwe.mitre.org/data/definitions/352.html'] }),
    ],
  });
  assert.deepEqual(sorted(classify('java:S1').cwes), [352]);
});

fixtureTest(
  'the S5847 rules/show fixture yields CWE-367 and OWASP 2021 A01 from unquoted links',
  () => {
    const rules = readRules(
      fixtureJson('rules_show__heimdall2__c_S5847_toctou_cwe367.json'),
      'rules',
    );
    const result = createRuleClassifier({ rules })('c:S5847');
    assert.equal(result.source, 'description');
    assert.deepEqual(sorted(result.cwes), [367]);
    assert.deepEqual(sorted(result.owasp2021), ['A01']);
    assert.deepEqual(sorted(result.owasp2017), ['A5']);
  },
);

fixtureTest(
  'the ruby S2068 hotspot rule object yields CWE-798 and CWE-259 from its texts',
  () => {
    const rules = readRules(
      fixtureJson(
        'hotspots_show_rule_object__defectdojo__ruby_S2068_hardcoded_credentials_cwe798.json',
      ),
      'rules',
    );
    const result = createRuleClassifier({ rules })('ruby:S2068');
    assert.deepEqual(sorted(result.cwes), [259, 798]);
    assert.deepEqual(sorted(result.owasp2017), ['A2']);
  },
);
