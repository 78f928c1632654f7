import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FindingSeverity } from '../../src/domain/model.js';
import {
  isWorseSeverity,
  ratingOf,
  severityRating,
  toFindingSeverity,
  worstRating,
} from '../../src/domain/rating.js';

test('each severity rates as SonarQube rates it', () => {
  const expected: Record<FindingSeverity, string> = {
    BLOCKER: 'E',
    CRITICAL: 'D',
    HIGH: 'D',
    MAJOR: 'C',
    MEDIUM: 'C',
    MINOR: 'B',
    LOW: 'B',
    INFO: 'A',
  };
  for (const [severity, rating] of Object.entries(expected)) {
    assert.equal(severityRating(severity as FindingSeverity), rating);
  }
});

test('a scope without open vulnerabilities rates A', () => {
  assert.equal(ratingOf([]), 'A');
});

test('a scope with only INFO vulnerabilities rates A', () => {
  assert.equal(ratingOf(['INFO', 'INFO']), 'A');
});

test('the worst vulnerability decides the rating', () => {
  assert.equal(ratingOf(['MINOR', 'BLOCKER', 'MAJOR']), 'E');
  assert.equal(ratingOf(['LOW', 'MEDIUM']), 'C');
  assert.equal(ratingOf(['HIGH', 'MINOR']), 'D');
});

test('worstRating picks the worst letter and defaults to A', () => {
  assert.equal(worstRating(['B', 'D', 'C']), 'D');
  assert.equal(worstRating([]), 'A');
});

test('severities are read in any case and unknown ones are refused', () => {
  assert.equal(toFindingSeverity('critical'), 'CRITICAL');
  assert.equal(toFindingSeverity('High'), 'HIGH');
  assert.equal(toFindingSeverity('SEVERE'), undefined);
  assert.equal(toFindingSeverity('toString'), undefined);
});

test('isWorseSeverity compares on the rating scale', () => {
  assert.equal(isWorseSeverity('BLOCKER', 'HIGH'), true);
  assert.equal(isWorseSeverity('CRITICAL', 'HIGH'), false);
  assert.equal(isWorseSeverity('MINOR', 'MAJOR'), false);
});
