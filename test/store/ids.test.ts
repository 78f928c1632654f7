import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTimestamp } from '../../src/store/ids.js';

function viaDate(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString().slice(0, 19);
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  return `${iso}.${fraction}0+00:00`;
}

test('timestamps have seven fractional digits and a +00:00 offset', () => {
  assert.equal(
    formatTimestamp(1_765_962_348_594_643),
    '2025-12-17T09:05:48.5946430+00:00',
  );
  assert.equal(formatTimestamp(0), '1970-01-01T00:00:00.0000000+00:00');
});

test('the arithmetic agrees with Date from 1970 to 2199', () => {
  const edges = [
    Date.UTC(2000, 1, 29, 23, 59, 59),
    Date.UTC(2100, 1, 28, 12),
    Date.UTC(2100, 2, 1),
    Date.UTC(2024, 11, 31, 23, 59, 59),
    Date.UTC(2199, 11, 31, 23, 59, 59),
  ].map((ms) => ms * 1000 + 999_999);
  let seed = 42;
  const random = () =>
    (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const samples = Array.from(
    { length: 5000 },
    () =>
      Math.floor(random() * 7_258_118_399) * 1_000_000 +
      Math.floor(random() * 1e6),
  );
  for (const micros of [...edges, ...samples]) {
    assert.equal(formatTimestamp(micros), viaDate(micros), String(micros));
  }
});
