import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareVersions,
  parseVersion,
  RELEASE_KEY,
} from '../../src/domain/version.js';

function cmp(a: string, b: string): number {
  return Math.sign(compareVersions(parseVersion(a)!, parseVersion(b)!));
}

describe('reading versions leniently', () => {
  const valid: Array<[string, [number, number, number]]> = [
    ['1', [1, 0, 0]],
    ['1.0', [1, 0, 0]],
    ['v1.2.3', [1, 2, 3]],
    ['V2.0', [2, 0, 0]],
    ['1.2.3-rc.1+build.7', [1, 2, 3]],
    ['10.20.30', [10, 20, 30]],
    [' 1.2.3 ', [1, 2, 3]],
  ];
  for (const [text, [major, minor, patch]] of valid) {
    test(`${JSON.stringify(text)} is ${major}.${minor}.${patch}`, () => {
      const version = parseVersion(text)!;
      assert.deepEqual(
        [version.major, version.minor, version.patch],
        [major, minor, patch],
      );
    });
  }

  const invalid = [
    '',
    '1..2',
    '01.2.3',
    '1.02',
    'a.b.c',
    '1.2.3.4',
    '1.2.3-',
    '1.2.3-01',
    '1.2.3+',
    'not provided',
    '99999999999999999999',
  ];
  for (const text of invalid) {
    test(`${JSON.stringify(text)} is not a version`, () => {
      assert.equal(parseVersion(text), undefined);
    });
  }

  test('a release carries the release key; build metadata is dropped', () => {
    assert.equal(parseVersion('1.0.0+42')!.pre, RELEASE_KEY);
    assert.deepEqual(parseVersion('1.0.0+42'), parseVersion('1.0'));
  });
});

describe('SemVer precedence', () => {
  const ordered = [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.10.0',
    '2.0.0',
    '10.0.0',
  ];
  test('follows the order the SemVer specification gives', () => {
    for (let i = 1; i < ordered.length; i++) {
      assert.equal(
        cmp(ordered[i - 1]!, ordered[i]!),
        -1,
        `${ordered[i - 1]} < ${ordered[i]}`,
      );
    }
  });

  test('the pre-release key sorts as bytes the same way', () => {
    const keys = ordered.map((v) => parseVersion(v)!.pre);
    const sameMajor = keys.slice(0, 8);
    assert.deepEqual([...sameMajor].sort(), sameMajor);
  });

  test('a shorter identifier list sorts first, even against a hyphen', () => {
    assert.equal(cmp('1.0.0-a', '1.0.0-a-b'), -1);
    assert.equal(cmp('1.0.0-a', '1.0.0-a.b'), -1);
    assert.equal(cmp('1.0.0-a.b', '1.0.0-a-b'), -1);
  });

  test('numeric identifiers compare by value and below alphanumerics', () => {
    assert.equal(cmp('1.0.0-rc.2', '1.0.0-rc.10'), -1);
    assert.equal(cmp('1.0.0-999', '1.0.0-a'), -1);
    assert.equal(cmp('1.0.0-1a', '1.0.0-a'), -1);
  });

  test('equal versions in different spellings compare equal', () => {
    assert.equal(cmp('v1.0', '1.0.0+7'), 0);
  });
});
