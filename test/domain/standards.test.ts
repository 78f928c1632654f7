import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HubError } from '../../src/errors.js';
import { owasp2021CategoriesOfCwe } from '../../src/domain/standards/owasp-top10-2021.js';
import {
  defaultStandardKeys,
  findStandard,
  resolveStandards,
  standardKey,
  type Standard,
} from '../../src/domain/standards/index.js';

function weaknesses(cwes: number[], owasp2021: string[] = []) {
  return { cwes: new Set(cwes), owasp2021: new Set(owasp2021) };
}

function mustFind(key: string): Standard {
  const standard = findStandard(key);
  assert.ok(standard, `${key} should be known`);
  return standard;
}

test('CWE Top 25 2024 lists its 25 CWEs in MITRE order', () => {
  const cwe = mustFind('CWE Top 25:2024');
  assert.deepEqual(
    cwe.categories.map((c) => c.id),
    [
      79, 787, 89, 352, 22, 125, 78, 416, 862, 434, 94, 20, 77, 287, 269, 502,
      200, 863, 918, 119, 476, 798, 190, 400, 306,
    ].map((n) => `CWE-${n}`),
  );
  assert.equal(cwe.categories[2]?.title.includes('SQL Injection'), true);
});

test('CWE Top 25 places a rule by its exact CWE numbers', () => {
  const cwe = mustFind('CWE Top 25:2024');
  assert.deepEqual(cwe.categoriesOf(weaknesses([89, 79, 564])), [
    'CWE-79',
    'CWE-89',
  ]);
  assert.deepEqual(cwe.categoriesOf(weaknesses([367, 90])), []);
});

test('CWE Top 25 ignores OWASP categories', () => {
  const cwe = mustFind('CWE Top 25:2024');
  assert.deepEqual(cwe.categoriesOf(weaknesses([], ['A03'])), []);
});

test('OWASP Top 10 2021 lists A01 to A10 with their titles', () => {
  const owasp = mustFind('OWASP Top 10:2021');
  assert.deepEqual(
    owasp.categories.map((c) => c.id),
    ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A09', 'A10'],
  );
  assert.equal(owasp.categories[0]?.title, 'Broken Access Control');
  assert.equal(
    owasp.categories[9]?.title,
    'Server-Side Request Forgery (SSRF)',
  );
});

test('OWASP Top 10 2021 maps CWEs as OWASP lists them', () => {
  assert.deepEqual(owasp2021CategoriesOfCwe(79), ['A03']);
  assert.deepEqual(owasp2021CategoriesOfCwe(89), ['A03']);
  assert.deepEqual(owasp2021CategoriesOfCwe(22), ['A01']);
  assert.deepEqual(owasp2021CategoriesOfCwe(352), ['A01']);
  assert.deepEqual(owasp2021CategoriesOfCwe(918), ['A10']);
  assert.deepEqual(owasp2021CategoriesOfCwe(259), ['A07']);
  assert.deepEqual(owasp2021CategoriesOfCwe(611), ['A05']);
  assert.deepEqual(owasp2021CategoriesOfCwe(937), ['A06']);
  assert.deepEqual(owasp2021CategoriesOfCwe(367), []);
});

test('OWASP Top 10 2021 combines explicit categories with mapped CWEs', () => {
  const owasp = mustFind('OWASP Top 10:2021');
  assert.deepEqual(owasp.categoriesOf(weaknesses([918], ['A01'])), [
    'A01',
    'A10',
  ]);
  assert.deepEqual(owasp.categoriesOf(weaknesses([367])), []);
});

test('standards are found by their Name:Edition key, forgiving case and spaces', () => {
  assert.equal(findStandard(' cwe top  25 : 2024 ')?.key, 'CWE Top 25:2024');
  assert.equal(findStandard('OWASP Top 10:2017'), undefined);
  assert.equal(
    standardKey({ name: 'OWASP Top 10', edition: 2021 }),
    'OWASP Top 10:2021',
  );
});

test('no requested standards means both defaults, CWE first', () => {
  assert.deepEqual(defaultStandardKeys, [
    'CWE Top 25:2024',
    'OWASP Top 10:2021',
  ]);
  assert.deepEqual(
    resolveStandards(undefined).map((s) => s.key),
    defaultStandardKeys,
  );
  assert.deepEqual(
    resolveStandards([]).map((s) => s.key),
    defaultStandardKeys,
  );
});

test('requested standards keep their order and lose repeats', () => {
  const keys = ['OWASP Top 10:2021', 'CWE Top 25:2024', 'owasp top 10:2021'];
  assert.deepEqual(
    resolveStandards(keys).map((s) => s.key),
    ['OWASP Top 10:2021', 'CWE Top 25:2024'],
  );
});

test('an unknown standard is refused naming the standards parameter', () => {
  assert.throws(
    () => resolveStandards(['CWE Top 25:2023']),
    (error: unknown) =>
      error instanceof HubError &&
      error.code === 'unknown_standard' &&
      error.parameter === 'standards' &&
      error.message.includes('CWE Top 25:2023'),
  );
});
