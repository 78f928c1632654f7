import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toPdfText, wrapText } from '../../src/render/pdf-text.js';

// One point per character keeps expected lines easy to read.
const measure = (text: string) => text.length;

describe('wrapText', () => {
  test('breaks between words so no line is wider than the cell', () => {
    const lines = wrapText('the quick brown fox jumps', 10, measure, 5);

    assert.deepEqual(lines, ['the quick', 'brown fox', 'jumps']);
  });

  test('splits a long path after a slash rather than mid-name', () => {
    const lines = wrapText('src/main/java/Order.java', 12, measure, 5);

    assert.deepEqual(lines, ['src/main/', 'java/Order.', 'java']);
  });

  test('ends with an ellipsis when the text needs more lines', () => {
    const lines = wrapText('aaaa bbbb cccc dddd', 9, measure, 1);

    assert.deepEqual(lines, ['aaaa bbb\u2026']);
  });

  test('cuts a huge token without splitting all of it', () => {
    const lines = wrapText('x'.repeat(1_000_000), 10, measure, 2);

    assert.deepEqual(lines, ['x'.repeat(10), `${'x'.repeat(9)}\u2026`]);
  });

  test('returns no lines for empty text', () => {
    assert.deepEqual(wrapText('', 10, measure, 3), []);
  });
});

describe('toPdfText', () => {
  test('keeps Latin-1 and Windows-1252 characters', () => {
    assert.equal(toPdfText('Ünïcödé € – “ok”'), 'Ünïcödé € – “ok”');
  });

  test('turns line breaks into spaces and other scripts into "?"', () => {
    assert.equal(toPdfText('a\r\nb\t日本🙂'), 'a  b ???');
  });
});
