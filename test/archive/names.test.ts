import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  folderName,
  safeSegment,
  UniqueNames,
} from '../../src/archive/names.js';

test('a segment never climbs out of its folder', () => {
  assert.equal(safeSegment('..'), 'report');
  assert.equal(safeSegment('../../etc/passwd'), '_.._etc_passwd');
  assert.equal(safeSegment('/abs'), '_abs');
  assert.equal(safeSegment('C:\\win'), 'C__win');
});

test('names Windows reserves get a prefix', () => {
  assert.equal(safeSegment('CON'), '_CON');
  assert.equal(safeSegment('lpt1.txt'), '_lpt1.txt');
  assert.equal(safeSegment('CONSOLE'), 'CONSOLE');
});

test('control characters and empty names are replaced', () => {
  assert.equal(safeSegment('a\u0000b\nc'), 'a_b_c');
  assert.equal(safeSegment('   '), 'report');
  assert.equal(safeSegment('', 'file'), 'file');
});

test('long names are cut to 120 characters', () => {
  assert.equal(safeSegment('x'.repeat(500)).length, 120);
});

test('unique names ignore letter case', () => {
  const names = new UniqueNames();
  assert.equal(names.claim('Acme'), 'Acme');
  assert.equal(names.claim('acme'), 'acme (2)');
  assert.equal(names.claim('ACME'), 'ACME (3)');
});

test('a folder is named from product, version, type and edition', () => {
  const name = folderName({
    reportFileName: 'Acme Web',
    projectVersion: '1.4.2',
    reportType: 'CWE Top 25',
    reportVersion: 2024,
  });
  assert.equal(name, 'Acme Web 1.4.2 CWE Top 25 2024');
});
