/**
 * Tables for the PDF report: cells wrap (or end in an ellipsis) within their
 * column, rows never split across pages, and the header row is repeated at
 * the top of every page the table continues on.
 */
import type { SecurityRating } from '../domain/model.js';
import { RATING_COLORS } from './format.js';
import { textWidth, type Canvas } from './pdf-canvas.js';
import { toPdfText, wrapText, type Measure } from './pdf-text.js';

export const FONT_REGULAR = 'Helvetica';
export const FONT_BOLD = 'Helvetica-Bold';
export const INK = '#1f2933';
export const MUTED = '#5f6b7a';
const HEADER_FILL = '#e6e9ee';
const STRIPE_FILL = '#f3f5f7';

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
const LINE_SPACING = 1.2;

/** Draws the table from `canvas.y` down, adding pages as needed. */
export function drawTable<Row>(
  canvas: Canvas,
  columns: readonly Column<Row>[],
  rows: Iterable<Row>,
  layout: TableLayout,
): void {
  const measure: Measure = (text) =>
    textWidth(text, FONT_REGULAR, layout.fontSize);
  let y = drawHeader(canvas, columns, canvas.y, layout);
  let index = 0;
  for (const row of rows) {
    const cells = columns.map((column) => cellLines(column, row, measure));
    const height = rowHeight(cells, layout.fontSize);
    if (y + height > layout.bottom) {
      canvas.addPage();
      y = drawHeader(canvas, columns, layout.top, layout);
    }
    if (index % 2 === 1) fillRow(canvas, columns, y, height, STRIPE_FILL);
    drawCells(canvas, columns, cells, y, layout.fontSize);
    y += height;
    index++;
  }
  canvas.y = y + layout.fontSize;
}

function cellLines<Row>(
  column: Column<Row>,
  row: Row,
  measure: Measure,
): string[] {
  const text = toPdfText(column.value(row));
  if (column.rating === true) return [text.slice(0, 1)];
  const width = column.width - 2 * PADDING_X;
  return wrapText(text, width, measure, column.maxLines ?? 1);
}

function rowHeight(cells: readonly string[][], fontSize: number): number {
  const lines = Math.max(1, ...cells.map((lines) => lines.length));
  return lines * fontSize * LINE_SPACING + 2 * PADDING_Y;
}

function drawHeader<Row>(
  canvas: Canvas,
  columns: readonly Column<Row>[],
  y: number,
  layout: TableLayout,
): number {
  const size = layout.fontSize;
  const height = size * LINE_SPACING + 2 * PADDING_Y + 1;
  fillRow(canvas, columns, y, height, HEADER_FILL);
  canvas.font(FONT_BOLD);
  canvas.fontSize(size);
  canvas.fillColor(INK);
  let x = canvas.page.margins.left;
  for (const column of columns) {
    const width = textWidth(column.header, FONT_BOLD, size);
    const textX = alignedX(column, x, width);
    canvas.text(column.header, textX, y + PADDING_Y + 0.5, {
      lineBreak: false,
    });
    x += column.width;
  }
  return y + height;
}

function fillRow<Row>(
  canvas: Canvas,
  columns: readonly Column<Row>[],
  y: number,
  height: number,
  color: string,
): void {
  const width = columns.reduce((sum, column) => sum + column.width, 0);
  canvas.rect(canvas.page.margins.left, y, width, height);
  canvas.fill(color);
}

// Font and colour are set once per row: every call adds operators to the
// page, and 50,000 rows make that add up.
function drawCells<Row>(
  canvas: Canvas,
  columns: readonly Column<Row>[],
  cells: readonly string[][],
  y: number,
  fontSize: number,
): void {
  let x = canvas.page.margins.left;
  canvas.font(FONT_REGULAR);
  canvas.fontSize(fontSize);
  canvas.fillColor(INK);
  columns.forEach((column, i) => {
    const lines = cells[i] ?? [];
    if (column.rating === true) {
      drawRatingChip(canvas, lines[0] ?? '', x + PADDING_X, y, fontSize);
      canvas.font(FONT_REGULAR);
      canvas.fillColor(INK);
    } else {
      drawLines(canvas, column, lines, x, y + PADDING_Y, fontSize);
    }
    x += column.width;
  });
}

function drawLines<Row>(
  canvas: Canvas,
  column: Column<Row>,
  lines: readonly string[],
  x: number,
  y: number,
  fontSize: number,
): void {
  lines.forEach((line, i) => {
    const width = textWidth(line, FONT_REGULAR, fontSize);
    const lineX = alignedX(column, x, width);
    const lineY = y + i * fontSize * LINE_SPACING;
    canvas.text(line, lineX, lineY, { lineBreak: false });
  });
}

function alignedX<Row>(column: Column<Row>, x: number, width: number): number {
  if (column.align !== 'right') return x + PADDING_X;
  return x + column.width - PADDING_X - width;
}

/** A small filled box with the rating letter, as in SonarQube's UI. */
export function drawRatingChip(
  canvas: Canvas,
  rating: string,
  x: number,
  y: number,
  fontSize: number,
): void {
  const color = RATING_COLORS[rating as SecurityRating] ?? MUTED;
  const height = fontSize * LINE_SPACING + 2;
  const width = height * 1.4;
  canvas.roundedRect(x, y + 1.5, width, height, 2);
  canvas.fill(color);
  canvas.font(FONT_BOLD);
  canvas.fontSize(fontSize);
  canvas.fillColor(chipInk(rating));
  const textX = x + (width - textWidth(rating, FONT_BOLD, fontSize)) / 2;
  canvas.text(rating, textX, y + 2.5, { lineBreak: false });
}

// White on SonarQube's light green and yellow is hard to read.
export function chipInk(rating: string): string {
  return rating === 'B' || rating === 'C' ? INK : '#ffffff';
}
