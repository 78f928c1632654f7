/**
 * Tables for the PDF report: cells wrap (or end in an ellipsis) within their
 * column, rows never split across pages, and the header row is repeated at
 * the top of every page the table continues on.
 */
import type PDFDocument from 'pdfkit';
import type { SecurityRating } from '../domain/model.js';
import { RATING_COLORS } from './format.js';
import { toPdfText, wrapText, type Measure } from './pdf-text.js';

type Doc = InstanceType<typeof PDFDocument>;

export const FONT_REGULAR = 'Helvetica';
export const FONT_BOLD = 'Helvetica-Bold';
export const INK = '#1f2933';
export const MUTED = '#5f6b7a';
const HEADER_FILL = '#e6e9ee';
const STRIPE_FILL = '#f6f7f9';
const RULE_COLOR = '#d9dee4';

export interface Column<Row> {
  header: string;
  /** Points. The widths of a table's columns add up to its width. */
  width: number;
  value: (row: Row) => string;
  align?: 'left' | 'right';
  /** Lines a cell may take before it is cut with an ellipsis. */
  maxLines?: number;
  /** Draws the value as a coloured rating letter. */
  rating?: boolean;
}

export interface TableLayout {
  fontSize: number;
  /** Lowest y a row may reach; below it the table moves to a new page. */
  bottom: number;
  /** Where a continued table starts on a new page. */
  top: number;
}

const PADDING_X = 3;
const PADDING_Y = 2.5;

/** Draws the table from `doc.y` down, adding pages as needed. */
export function drawTable<Row>(
  doc: Doc,
  columns: readonly Column<Row>[],
  rows: Iterable<Row>,
  layout: TableLayout,
): void {
  const lineHeight = layout.fontSize * 1.2;
  const measure = measureWith(doc);
  let y = drawHeader(doc, columns, doc.y, layout);
  let index = 0;
  for (const row of rows) {
    doc.font(FONT_REGULAR).fontSize(layout.fontSize);
    const cells = columns.map((column) => cellLines(column, row, measure));
    const height = rowHeight(cells, lineHeight);
    if (y + height > layout.bottom) {
      doc.addPage();
      y = drawHeader(doc, columns, layout.top, layout);
    }
    if (index % 2 === 1) fillRow(doc, columns, y, height, STRIPE_FILL);
    drawCells(doc, columns, cells, y, layout.fontSize, measure);
    y += height;
    index++;
  }
  doc.y = y + layout.fontSize;
}

// Cells are measured in the body font, which the caller sets before each
// use; headers are short and never wrapped.
function measureWith(doc: Doc): Measure {
  return (text) => doc.widthOfString(text);
}

function cellLines<Row>(
  column: Column<Row>,
  row: Row,
  measure: Measure,
): string[] {
  const text = toPdfText(column.value(row));
  if (column.rating === true) return [text];
  const width = column.width - 2 * PADDING_X;
  return wrapText(text, width, measure, column.maxLines ?? 1);
}

function rowHeight(cells: readonly string[][], lineHeight: number): number {
  const lines = Math.max(1, ...cells.map((lines) => lines.length));
  return lines * lineHeight + 2 * PADDING_Y;
}

function drawHeader<Row>(
  doc: Doc,
  columns: readonly Column<Row>[],
  y: number,
  layout: TableLayout,
): number {
  const height = layout.fontSize * 1.2 + 2 * PADDING_Y + 1;
  fillRow(doc, columns, y, height, HEADER_FILL);
  doc.font(FONT_BOLD).fontSize(layout.fontSize).fillColor(INK);
  let x = doc.page.margins.left;
  for (const column of columns) {
    const textX = alignedX(doc, column, x, column.header);
    doc.text(column.header, textX, y + PADDING_Y + 0.5, { lineBreak: false });
    x += column.width;
  }
  return y + height;
}

function fillRow<Row>(
  doc: Doc,
  columns: readonly Column<Row>[],
  y: number,
  height: number,
  color: string,
): void {
  const width = columns.reduce((sum, column) => sum + column.width, 0);
  const x = doc.page.margins.left;
  doc.rect(x, y, width, height).fill(color);
  doc
    .moveTo(x, y + height)
    .lineTo(x + width, y + height)
    .lineWidth(0.5)
    .stroke(RULE_COLOR);
}

function drawCells<Row>(
  doc: Doc,
  columns: readonly Column<Row>[],
  cells: readonly string[][],
  y: number,
  fontSize: number,
  measure: Measure,
): void {
  let x = doc.page.margins.left;
  columns.forEach((column, i) => {
    const lines = cells[i] ?? [];
    if (column.rating === true) {
      drawRatingChip(doc, lines[0] ?? '', x + PADDING_X, y, fontSize);
    } else {
      drawLines(doc, column, lines, x, y + PADDING_Y, fontSize, measure);
    }
    x += column.width;
  });
}

function drawLines<Row>(
  doc: Doc,
  column: Column<Row>,
  lines: readonly string[],
  x: number,
  y: number,
  fontSize: number,
  measure: Measure,
): void {
  doc.font(FONT_REGULAR).fontSize(fontSize).fillColor(INK);
  lines.forEach((line, i) => {
    const lineX =
      column.align === 'right'
        ? x + column.width - PADDING_X - measure(line)
        : x + PADDING_X;
    doc.text(line, lineX, y + i * fontSize * 1.2, { lineBreak: false });
  });
}

function alignedX<Row>(
  doc: Doc,
  column: Column<Row>,
  x: number,
  text: string,
): number {
  if (column.align !== 'right') return x + PADDING_X;
  return x + column.width - PADDING_X - doc.widthOfString(text);
}

/** A small filled box with the rating letter, as in SonarQube's UI. */
export function drawRatingChip(
  doc: Doc,
  rating: string,
  x: number,
  y: number,
  fontSize: number,
): void {
  const color = RATING_COLORS[rating as SecurityRating] ?? MUTED;
  const height = fontSize * 1.2 + 2;
  const width = height * 1.4;
  doc.roundedRect(x, y + 1.5, width, height, 2).fill(color);
  doc.font(FONT_BOLD).fontSize(fontSize).fillColor(chipInk(rating));
  const textX = x + (width - doc.widthOfString(rating)) / 2;
  doc.text(rating, textX, y + 2.5, { lineBreak: false });
}

// White on SonarQube's light green and yellow is hard to read.
export function chipInk(rating: string): string {
  return rating === 'B' || rating === 'C' ? INK : '#ffffff';
}
