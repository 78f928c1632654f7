/**
 * Report model -> report.pdf, drawn with PDFKit's built-in Helvetica so no
 * font files are needed. The layout mirrors report.html: title block,
 * summary, categories, findings, then findings not placed in any category.
 */
import { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { CategoryResult, Finding, ReportModel } from '../domain/model.js';
import {
  UNMAPPED_EXPLANATION,
  UNMAPPED_HEADING,
  UNMAPPED_NONE,
  categoriesLabel,
  lineLabel,
  noFindingsInScope,
  reportTitle,
  severityLabel,
  sortFindings,
  standardTitle,
  type RenderOptions,
} from './format.js';
import {
  FONT_BOLD,
  FONT_REGULAR,
  INK,
  MUTED,
  drawTable,
  type Column,
  type TableLayout,
} from './pdf-table.js';
import { drawSummary, drawTitleBlock, paragraph } from './pdf-blocks.js';
import { PageCounter, textWidth, type Canvas } from './pdf-canvas.js';
import { toPdfText } from './pdf-text.js';

type Doc = PDFKit.PDFDocument;

const A4 = { width: 595.28, height: 841.89 };
const MARGINS = { top: 56, bottom: 56, left: 42, right: 42 };
const TABLE_FONT_SIZE = 7.5;

// PDFKit would otherwise stamp the current time, making every render of the
// same analysis differ; used when the analysis date is unusable.
const FALLBACK_CREATION_DATE = new Date(0);

/** Renders report.pdf into memory. */
export async function renderPdf(
  model: ReportModel,
  options: RenderOptions = {},
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = renderPdfStream(model, options);
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Renders report.pdf as a stream, for piping into storage. Pages are
 * compressed and emitted as they fill, so memory stays flat however many
 * findings there are; layout runs before the first byte is read.
 */
export function renderPdfStream(
  model: ReportModel,
  options: RenderOptions = {},
): Readable {
  const generatedAt = options.generatedAt ?? new Date();
  const counter = new PageCounter(A4, MARGINS);
  drawReport(counter, model, generatedAt);

  const doc = createDocument(model);
  decorateEachPage(doc, model, counter.pages);
  drawReport(doc, model, generatedAt);
  doc.end();
  return doc as unknown as Readable;
}

function createDocument(model: ReportModel): Doc {
  const date = Number.isNaN(model.analysisDate.getTime())
    ? FALLBACK_CREATION_DATE
    : model.analysisDate;
  return new PDFDocument({
    size: [A4.width, A4.height],
    margins: MARGINS,
    displayTitle: true,
    lang: 'en',
    info: {
      Title: reportTitle(model),
      Author: 'Report Hub',
      Subject: `${standardTitle(model.standard)} security report`,
      Keywords: `security, ${model.standard.name}, SonarQube`,
      Creator: 'Report Hub',
      CreationDate: date,
    },
  });
}

/** Runs on the page counter first, then on the document: same layout. */
function drawReport(
  canvas: Canvas,
  model: ReportModel,
  generatedAt: Date,
): void {
  drawTitleBlock(canvas, model, generatedAt);
  drawSummary(canvas, model);
  drawCategories(canvas, model.categories);
  drawFindings(canvas, model);
  drawUnmapped(canvas, model.unmapped);
}

function tableLayout(canvas: Canvas): TableLayout {
  return {
    fontSize: TABLE_FONT_SIZE,
    top: MARGINS.top,
    bottom: canvas.page.height - MARGINS.bottom,
  };
}

function contentWidth(canvas: Canvas): number {
  return canvas.page.width - MARGINS.left - MARGINS.right;
}

/** Section heading; starts a new page rather than leave it orphaned. */
function heading(canvas: Canvas, text: string): void {
  const spaceNeeded = 70;
  if (canvas.y + spaceNeeded > canvas.page.height - MARGINS.bottom) {
    canvas.addPage();
  }
  const y = canvas.y + 10;
  canvas.font(FONT_BOLD);
  canvas.fontSize(13);
  canvas.fillColor(INK);
  canvas.text(text, MARGINS.left, y, { lineBreak: false });
  const ruleY = y + 17;
  canvas.moveTo(MARGINS.left, ruleY);
  canvas.lineTo(MARGINS.left + contentWidth(canvas), ruleY);
  canvas.lineWidth(1);
  canvas.stroke(INK);
  canvas.y = ruleY + 6;
}

function drawCategories(
  canvas: Canvas,
  categories: readonly CategoryResult[],
): void {
  heading(canvas, 'Categories');
  const fixed = 34 + 58 + 72 + 44;
  const columns: Column<CategoryResult>[] = [
    { header: 'Rank', width: 34, align: 'right', value: (c) => `${c.rank}` },
    { header: 'ID', width: 58, value: (c) => c.id },
    {
      header: 'Title',
      width: contentWidth(canvas) - fixed,
      maxLines: 2,
      value: (c) => c.title,
    },
    {
      header: 'Vulnerabilities',
      width: 72,
      align: 'right',
      value: (c) => `${c.vulnerabilitiesCount}`,
    },
    {
      header: 'Rating',
      width: 44,
      rating: true,
      value: (c) => c.securityRating,
    },
  ];
  drawTable(canvas, columns, categories, {
    ...tableLayout(canvas),
    fontSize: 8.5,
  });
}

function findingColumns(
  canvas: Canvas,
  withCategories: boolean,
): Column<Finding>[] {
  const categoriesWidth = withCategories ? 66 : 0;
  const fixed = 84 + 46 + 120 + 28 + categoriesWidth;
  const columns: Column<Finding>[] = [
    { header: 'Rule', width: 84, maxLines: 2, value: (f) => f.rule },
    {
      header: 'Severity',
      width: 46,
      value: (f) => severityLabel(f.severity),
    },
    { header: 'File', width: 120, maxLines: 3, value: (f) => f.file },
    {
      header: 'Line',
      width: 28,
      align: 'right',
      value: (f) => lineLabel(f.line),
    },
    {
      header: 'Message',
      width: contentWidth(canvas) - fixed,
      maxLines: 5,
      value: (f) => f.message,
    },
  ];
  if (!withCategories) return columns;
  return [
    ...columns,
    {
      header: 'Categories',
      width: categoriesWidth,
      maxLines: 3,
      value: categoriesLabel,
    },
  ];
}

function drawFindings(canvas: Canvas, model: ReportModel): void {
  const { findings } = model;
  heading(canvas, `Findings (${findings.length})`);
  if (findings.length === 0) {
    paragraph(canvas, noFindingsInScope(model.standard));
    return;
  }
  const columns = findingColumns(canvas, true);
  drawTable(canvas, columns, sortFindings(findings), tableLayout(canvas));
}

function drawUnmapped(canvas: Canvas, unmapped: readonly Finding[]): void {
  heading(canvas, `${UNMAPPED_HEADING} (${unmapped.length})`);
  paragraph(canvas, UNMAPPED_EXPLANATION);
  if (unmapped.length === 0) {
    paragraph(canvas, UNMAPPED_NONE);
    return;
  }
  const columns = findingColumns(canvas, false);
  drawTable(canvas, columns, sortFindings(unmapped), tableLayout(canvas));
}

/**
 * Running header and "Page N of M" footer. Drawn when each page starts,
 * since pages are written out as soon as they are full.
 */
function decorateEachPage(doc: Doc, model: ReportModel, total: number): void {
  const running = toRunningTitle(model);
  let number = 1;
  decoratePage(doc, running, number, total);
  doc.on('pageAdded', () => {
    number++;
    decoratePage(doc, running, number, total);
  });
}

function decoratePage(
  doc: Doc,
  running: string,
  number: number,
  total: number,
): void {
  // PDFKit's text calls move `y`; the layout expects the top of the page.
  const y = doc.y;
  doc.font(FONT_REGULAR).fontSize(7.5).fillColor(MUTED);
  if (number > 1) doc.text(running, MARGINS.left, 30, { lineBreak: false });
  const footerY = doc.page.height - 36;
  doc.text('Report Hub', MARGINS.left, footerY, { lineBreak: false });
  const label = `Page ${number} of ${total}`;
  const labelX =
    doc.page.width - MARGINS.right - textWidth(label, FONT_REGULAR, 7.5);
  doc.text(label, labelX, footerY, { lineBreak: false });
  doc.y = y;
}

function toRunningTitle(model: ReportModel): string {
  const title = toPdfText(reportTitle(model));
  return title.length > 120 ? `${title.slice(0, 119)}\u2026` : title;
}
