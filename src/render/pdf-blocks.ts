/**
 * The free-form parts of the PDF report (title block, summary boxes,
 * paragraphs). Every string goes through `wrapText`, so even absurd product
 * names or versions stay inside their box.
 */
import type { ReportModel } from '../domain/model.js';
import {
  HOTSPOTS_NOTE,
  RATING_COLORS,
  ratingExplanation,
  standardTitle,
  uncountedNotices,
  titleFacts,
} from './format.js';
import { textWidth, type Canvas } from './pdf-canvas.js';
import { FONT_BOLD, FONT_REGULAR, INK, MUTED, chipInk } from './pdf-table.js';
import { toPdfText, wrapText } from './pdf-text.js';

interface TextStyle {
  font?: string;
  size: number;
  color?: string;
  maxLines?: number;
}

/**
 * Draws wrapped text at (x, y) within `width`; returns the y below it.
 * Sets the font before measuring, so wrapping uses the right widths.
 */
export function textBlock(
  canvas: Canvas,
  text: string,
  x: number,
  y: number,
  width: number,
  style: TextStyle,
): number {
  const font = style.font ?? FONT_REGULAR;
  canvas.font(font);
  canvas.fontSize(style.size);
  canvas.fillColor(style.color ?? INK);
  const lineHeight = style.size * 1.25;
  const measure = (value: string) => textWidth(value, font, style.size);
  const lines = wrapText(toPdfText(text), width, measure, style.maxLines ?? 3);
  lines.forEach((line, i) => {
    canvas.text(line, x, y + i * lineHeight, { lineBreak: false });
  });
  return y + lines.length * lineHeight;
}

/** A body paragraph at the left margin, advancing `canvas.y`. */
export function paragraph(canvas: Canvas, text: string): void {
  const x = canvas.page.margins.left;
  const width = canvas.page.width - x - canvas.page.margins.right;
  canvas.y =
    textBlock(canvas, text, x, canvas.y, width, { size: 9, color: MUTED }) + 6;
}

export function drawTitleBlock(
  canvas: Canvas,
  model: ReportModel,
  generatedAt: Date,
): void {
  const x = canvas.page.margins.left;
  const width = canvas.page.width - x - canvas.page.margins.right;
  const kicker = `SECURITY REPORT \u00b7 ${standardTitle(model.standard)}`;
  let y = textBlock(canvas, kicker.toUpperCase(), x, canvas.y, width, {
    font: FONT_BOLD,
    size: 9,
    color: MUTED,
  });
  y = textBlock(canvas, model.projectName, x, y + 4, width, {
    font: FONT_BOLD,
    size: 22,
  });
  const facts = titleFacts(model, generatedAt);
  y += 8;
  for (const [label, value] of facts) {
    textBlock(canvas, label, x, y, 100, {
      size: 10,
      color: MUTED,
      maxLines: 1,
    });
    y = textBlock(canvas, value, x + 110, y, width - 110, {
      size: 10,
      maxLines: 2,
    });
  }
  canvas.y = y + 12;
}

const BOX_GAP = 8;
const BOX_HEIGHT = 104;
const BOX_PADDING = 8;

/** Four boxes: rating, vulnerabilities, hotspots, not placed anywhere. */
export function drawSummary(canvas: Canvas, model: ReportModel): void {
  const left = canvas.page.margins.left;
  const width = canvas.page.width - left - canvas.page.margins.right;
  const boxWidth = (width - 3 * BOX_GAP) / 4;
  const y = canvas.y;
  const unmapped = model.unmapped.length;
  const boxes: Array<[string, string, string]> = [
    ['Security rating', model.securityRating, ratingExplanation(model)],
    ['Vulnerabilities', `${model.vulnerabilitiesCount}`, 'Open, in scope'],
    ['Security hotspots', `${model.hotspotsCount}`, HOTSPOTS_NOTE],
    [
      'Not in any category',
      `${unmapped}`,
      unmapped === 0
        ? 'Every open vulnerability has a CWE or OWASP mapping.'
        : 'No CWE or OWASP mapping; listed at the end.',
    ],
  ];
  boxes.forEach(([label, value, note], i) => {
    const x = left + i * (boxWidth + BOX_GAP);
    drawBox(canvas, x, y, boxWidth, label, value, note, i === 0);
  });
  canvas.y = y + BOX_HEIGHT + 8;
  drawNotices(canvas, uncountedNotices(model));
}

const NOTICE_INK = '#b45309';
const NOTICE_FILL = '#fff7e6';
const NOTICE_BAR = 5;
const NOTICE_PADDING = 8;
const NOTICE_GAP = 3;
const NOTICE_STYLE = { font: FONT_BOLD, size: 9, maxLines: 4 } as const;

/**
 * What the rating leaves out, in a tinted band right under it, so the
 * letter is never read on its own.
 */
function drawNotices(canvas: Canvas, notices: readonly string[]): void {
  if (notices.length === 0) return;
  const left = canvas.page.margins.left;
  const width = canvas.page.width - left - canvas.page.margins.right;
  const textLeft = left + NOTICE_BAR + NOTICE_PADDING;
  const inner = width - NOTICE_BAR - 2 * NOTICE_PADDING;
  const top = canvas.y;
  const height = noticesHeight(notices, inner) + 2 * NOTICE_PADDING;

  canvas.roundedRect(left, top, width, height, 4);
  canvas.fill(NOTICE_FILL);
  canvas.roundedRect(left, top, width, height, 4);
  canvas.lineWidth(0.75);
  canvas.stroke(NOTICE_INK);
  canvas.rect(left, top, NOTICE_BAR, height);
  canvas.fill(NOTICE_INK);
  let y = top + NOTICE_PADDING;
  for (const notice of notices) {
    y = textBlock(canvas, notice, textLeft, y, inner, NOTICE_STYLE);
    y += NOTICE_GAP;
  }
  canvas.y = top + height + 8;
}

/** The height `textBlock` will take for the notices, gaps included. */
function noticesHeight(notices: readonly string[], width: number): number {
  const { font, size, maxLines } = NOTICE_STYLE;
  const measure = (value: string) => textWidth(value, font, size);
  const lines = notices.reduce((total, notice) => {
    return total + wrapText(toPdfText(notice), width, measure, maxLines).length;
  }, 0);
  return lines * size * 1.25 + (notices.length - 1) * NOTICE_GAP;
}

function drawBox(
  canvas: Canvas,
  x: number,
  y: number,
  width: number,
  label: string,
  value: string,
  note: string,
  isRating: boolean,
): void {
  canvas.roundedRect(x, y, width, BOX_HEIGHT, 4);
  canvas.lineWidth(0.75);
  canvas.stroke('#d9dee4');
  const inner = width - 2 * BOX_PADDING;
  const left = x + BOX_PADDING;
  let top = textBlock(
    canvas,
    label.toUpperCase(),
    left,
    y + BOX_PADDING,
    inner,
    {
      font: FONT_BOLD,
      size: 7,
      color: MUTED,
      maxLines: 1,
    },
  );
  top += 3;
  if (isRating) drawBadge(canvas, value, left, top);
  else
    textBlock(canvas, value, left, top, inner, {
      font: FONT_BOLD,
      size: 24,
      maxLines: 1,
    });
  textBlock(canvas, note, left, top + 36, inner, {
    size: 7,
    color: MUTED,
    maxLines: 5,
  });
}

/** The big rating letter in a circle, coloured as in SonarQube. */
function drawBadge(canvas: Canvas, rating: string, x: number, y: number): void {
  const radius = 16;
  const color = RATING_COLORS[rating as keyof typeof RATING_COLORS] ?? MUTED;
  canvas.circle(x + radius, y + radius, radius);
  canvas.fill(color);
  const letter = toPdfText(rating).slice(0, 1);
  canvas.font(FONT_BOLD);
  canvas.fontSize(20);
  canvas.fillColor(chipInk(letter));
  const letterX = x + radius - textWidth(letter, FONT_BOLD, 20) / 2;
  canvas.text(letter, letterX, y + radius - 7, { lineBreak: false });
}
