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
  categoriesLabel,
  lineLabel,
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
import { toPdfText } from './pdf-text.js';

type Doc = PDFKit.PDFDocument;

const MARGINS = { top: 56, bottom: 56, left: 42, right: 42 };
const TABLE_FONT_SIZE = 7.5;

// pdfkit would otherwise stamp the current time, making every render of the
// same analysis differ; used when the analysis date is unusable.
const FALLBACK_CREATION_DATE = new Date(0);

/** Renders report.pdf into memory. */
export async function renderPdf(
  model: ReportModel,
  options: RenderOptions = {},
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const doc = createDocument(model);
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  drawReport(doc, model, options);
  doc.end();
  return done;
}

/**
 * Renders report.pdf as a stream, for piping straight into storage. Layout
 * runs before the first byte is read: page numbers need the page count.
 */
export function renderPdfStream(
  model: ReportModel,
  options: RenderOptions = {},
): Readable {
  const doc = createDocument(model);
  drawReport(doc, model, options);
  doc.end();
  return doc as unknown as Readable;
}

function createDocument(model: ReportModel): Doc {
  const date = Number.isNaN(model.analysisDate.getTime())
    ? FALLBACK_CREATION_DATE
    : model.analysisDate;
  return new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
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

function drawReport(
  doc: Doc,
  model: ReportModel,
  options: RenderOptions,
): void {
  const generatedAt = options.generatedAt ?? new Date();
  drawTitleBlock(doc, model, generatedAt);
  drawSummary(doc, model);
  drawCategories(doc, model.categories);
  drawFindings(doc, model.findings);
  drawUnmapped(doc, model.unmapped);
  decoratePages(doc, model);
}

function tableLayout(doc: Doc): TableLayout {
  return {
    fontSize: TABLE_FONT_SIZE,
    top: MARGINS.top,
    bottom: doc.page.height - MARGINS.bottom,
  };
}

function contentWidth(doc: Doc): number {
  return doc.page.width - MARGINS.left - MARGINS.right;
}

/** Section heading; starts a new page rather than leave it orphaned. */
function heading(doc: Doc, text: string): void {
  const spaceNeeded = 70;
  if (doc.y + spaceNeeded > doc.page.height - MARGINS.bottom) doc.addPage();
  const y = doc.y + 10;
  doc.font(FONT_BOLD).fontSize(13).fillColor(INK);
  doc.text(text, MARGINS.left, y, { lineBreak: false });
  const ruleY = y + 17;
  doc
    .moveTo(MARGINS.left, ruleY)
    .lineTo(MARGINS.left + contentWidth(doc), ruleY)
    .lineWidth(1)
    .stroke(INK);
  doc.y = ruleY + 6;
}

function drawCategories(doc: Doc, categories: readonly CategoryResult[]): void {
  heading(doc, 'Categories');
  const fixed = 34 + 58 + 72 + 44;
  const columns: Column<CategoryResult>[] = [
    { header: 'Rank', width: 34, align: 'right', value: (c) => `${c.rank}` },
    { header: 'ID', width: 58, value: (c) => c.id },
    {
      header: 'Title',
      width: contentWidth(doc) - fixed,
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
  drawTable(doc, columns, categories, { ...tableLayout(doc), fontSize: 8.5 });
}

function findingColumns(doc: Doc, withCategories: boolean): Column<Finding>[] {
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
      width: contentWidth(doc) - fixed,
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

function drawFindings(doc: Doc, findings: readonly Finding[]): void {
  heading(doc, `Findings (${findings.length})`);
  if (findings.length === 0) {
    paragraph(doc, 'No open vulnerabilities in scope of this standard.');
    return;
  }
  const columns = findingColumns(doc, true);
  drawTable(doc, columns, sortFindings(findings), tableLayout(doc));
}

function drawUnmapped(doc: Doc, unmapped: readonly Finding[]): void {
  heading(doc, `${UNMAPPED_HEADING} (${unmapped.length})`);
  paragraph(doc, UNMAPPED_EXPLANATION);
  if (unmapped.length === 0) {
    paragraph(doc, 'None: every open vulnerability was placed in a category.');
    return;
  }
  const columns = findingColumns(doc, false);
  drawTable(doc, columns, sortFindings(unmapped), tableLayout(doc));
}

/**
 * Running header and "Page N of M" footer, drawn once all pages exist
 * (hence `bufferPages`).
 */
function decoratePages(doc: Doc, model: ReportModel): void {
  const { start, count } = doc.bufferedPageRange();
  const running = toRunningTitle(model);
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    doc.font(FONT_REGULAR).fontSize(7.5).fillColor(MUTED);
    if (i > start) {
      doc.text(running, MARGINS.left, 30, { lineBreak: false });
    }
    const footerY = doc.page.height - 36;
    doc.text('Report Hub', MARGINS.left, footerY, { lineBreak: false });
    const label = `Page ${i - start + 1} of ${count}`;
    const labelX = doc.page.width - MARGINS.right - doc.widthOfString(label);
    doc.text(label, labelX, footerY, { lineBreak: false });
  }
}

function toRunningTitle(model: ReportModel): string {
  const title = toPdfText(reportTitle(model));
  return title.length > 120 ? `${title.slice(0, 119)}\u2026` : title;
}
