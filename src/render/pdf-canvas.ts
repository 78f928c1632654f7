/**
 * The drawing surface the PDF layout code needs. A PDFKit document is one;
 * `PageCounter` is another that draws nothing and only counts pages, so the
 * layout can run once to learn "of M" before the real document is drawn.
 *
 * Why not PDFKit's `bufferPages`: it keeps every page's content, as many
 * small buffers, until the end, which for 50,000 findings (~2,000 pages)
 * cost about 800 MB. Counting first lets each page be written and
 * compressed as soon as it is full.
 */
import PDFDocument from 'pdfkit';
import { WIN_ANSI_EXTRA_CODES } from './pdf-text.js';

export interface Margins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Drawing calls return values nobody chains on, so they are `unknown`. */
export interface Canvas {
  readonly page: { width: number; height: number; margins: Margins };
  y: number;
  addPage(): unknown;
  font(name: string): unknown;
  fontSize(size: number): unknown;
  fillColor(color: string): unknown;
  text(
    text: string,
    x: number,
    y: number,
    options: { lineBreak: false },
  ): unknown;
  rect(x: number, y: number, width: number, height: number): unknown;
  roundedRect(
    x: number,
    y: number,
    width: number,
    height: number,
    radius: number,
  ): unknown;
  circle(x: number, y: number, radius: number): unknown;
  moveTo(x: number, y: number): unknown;
  lineTo(x: number, y: number): unknown;
  lineWidth(width: number): unknown;
  fill(color: string): unknown;
  stroke(color: string): unknown;
}

/** A canvas that only keeps track of pages. */
export class PageCounter implements Canvas {
  readonly page: { width: number; height: number; margins: Margins };
  y: number;
  pages = 1;

  constructor(size: { width: number; height: number }, margins: Margins) {
    this.page = { ...size, margins };
    this.y = margins.top;
  }

  addPage(): void {
    this.pages++;
    this.y = this.page.margins.top;
  }

  font(): void {}
  fontSize(): void {}
  fillColor(): void {}
  text(): void {}
  rect(): void {}
  roundedRect(): void {}
  circle(): void {}
  moveTo(): void {}
  lineTo(): void {}
  lineWidth(): void {}
  fill(): void {}
  stroke(): void {}
}

// Indexed by UTF-16 code unit. Characters outside the font's encoding are
// printed as '?' by `toPdfText`, so they are measured as '?'.
type WidthTable = Float64Array;
const widthTables = new Map<string, WidthTable>();

/**
 * Width of `text` in points. Reads per-character widths taken once from
 * PDFKit's font metrics: PDFKit's own measuring looks up a kerning pair per
 * character and dominated render time. Ignoring kerning only overestimates
 * Helvetica widths slightly, so text still never overflows its cell.
 */
export function textWidth(text: string, font: string, size: number): number {
  const widths = widthTableFor(font);
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    total += widths[text.charCodeAt(i)] ?? widths[63]!;
  }
  return (total * size) / 1000;
}

function widthTableFor(font: string): WidthTable {
  const cached = widthTables.get(font);
  if (cached !== undefined) return cached;
  const probe = new PDFDocument({ autoFirstPage: false });
  probe.font(font).fontSize(1000);
  const table: WidthTable = new Float64Array(0x10000);
  table.fill(probe.widthOfString('?'));
  const codes = [...range(0x20, 0x7e), ...range(0xa0, 0xff)];
  for (const code of [...codes, ...WIN_ANSI_EXTRA_CODES]) {
    table[code] = probe.widthOfString(String.fromCharCode(code));
  }
  widthTables.set(font, table);
  return table;
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
