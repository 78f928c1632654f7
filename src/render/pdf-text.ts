/**
 * Text preparation for the PDF: fitting strings into table cells and into
 * the character set of PDF's built-in fonts. Pure functions over a width
 * measure, so they are tested without drawing anything.
 */

/** Width of a string in points at the current font and size. */
export type Measure = (text: string) => number;

const ELLIPSIS = '\u2026';

// Paths and rule keys rarely contain spaces; these are the places where a
// reader still expects a break.
const SOFT_BREAK_AFTER = new Set(['/', '\\', '.', '_', '-', ':', ',']);

/**
 * Greedy word wrap into at most `maxLines` lines no wider than `width`.
 * Assumes widths add up (no kerning across a space), as `textWidth` does.
 * Words wider than a line are split, preferably after a path separator.
 * Text that does not fit ends in an ellipsis, so a cell never overflows.
 */
export function wrapText(
  text: string,
  width: number,
  measure: Measure,
  maxLines: number,
): string[] {
  const lines: string[] = [];
  const spaceWidth = measure(' ');
  let line = '';
  let lineWidth = 0;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    // Widths add up word by word: measuring the growing line each time
    // made wrapping quadratic in the line's length.
    const wordWidth = measure(word);
    const candidateWidth =
      line === '' ? wordWidth : lineWidth + spaceWidth + wordWidth;
    if (candidateWidth <= width) {
      line = line === '' ? word : `${line} ${word}`;
      lineWidth = candidateWidth;
      continue;
    }
    if (line !== '') lines.push(line);
    const pieces = splitWord(word, width, measure, maxLines - lines.length);
    line = pieces.pop() ?? '';
    lineWidth = measure(line);
    lines.push(...pieces);
    if (lines.length >= maxLines) break;
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = withEllipsis(kept[maxLines - 1]!, width, measure);
  return kept;
}

/**
 * Splits one over-long word into pieces that fit `width`. Stops after
 * `limit` pieces and returns the rest unsplit: it will be cut anyway, and a
 * huge token (minified code, base64) must not cost time per character.
 */
function splitWord(
  word: string,
  width: number,
  measure: Measure,
  limit: number,
): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (pieces.length < limit && measure(rest) > width) {
    const end = fittingPrefixLength(rest, width, measure);
    const cut = softBreakBefore(rest, end) ?? end;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** Longest prefix length that fits, at least one character. */
function fittingPrefixLength(
  text: string,
  width: number,
  measure: Measure,
): number {
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(text.slice(0, mid)) <= width) low = mid;
    else high = mid - 1;
  }
  return low;
}

// Only breaks in the second half of the piece, so a separator near the
// start does not leave a line almost empty.
function softBreakBefore(text: string, end: number): number | undefined {
  for (let i = end; i > end / 2; i--) {
    if (SOFT_BREAK_AFTER.has(text.charAt(i - 1))) return i;
  }
  return undefined;
}

function withEllipsis(line: string, width: number, measure: Measure): string {
  const room = width - measure(ELLIPSIS);
  if (measure(line) <= room) return line.trimEnd() + ELLIPSIS;
  const end = fittingPrefixLength(line, room, measure);
  return line.slice(0, end).trimEnd() + ELLIPSIS;
}

// PDF's 14 built-in fonts only cover Windows-1252. These are its code points
// above Latin-1; anything else would print as garbage, so it becomes '?'.
export const WIN_ANSI_EXTRA_CODES: readonly number[] = [
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013,
  0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021,
  0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
];
const WIN_ANSI_EXTRA = new Set(
  WIN_ANSI_EXTRA_CODES.map((code) => String.fromCharCode(code)),
);

const NEEDS_CLEANING = /[^\x20-\x7e\xa0-\xff]/;
const WHITESPACE = /[\t\n\r\f\v\u2028\u2029]/g;

/**
 * Makes text printable with the built-in fonts: line breaks and tabs become
 * spaces (cells are wrapped by `wrapText`), unsupported characters '?'.
 */
export function toPdfText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  let result = '';
  for (const char of text.replace(WHITESPACE, ' ')) {
    result += isPrintable(char) ? char : '?';
  }
  return result;
}

function isPrintable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x20 && code <= 0x7e) return true;
  if (code >= 0xa0 && code <= 0xff) return true;
  return WIN_ANSI_EXTRA.has(char);
}
