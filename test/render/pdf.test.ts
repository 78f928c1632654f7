import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { renderPdf, renderPdfStream } from '../../src/render/pdf.js';
import {
  OWASP_TOP_10_2021,
  buildCleanReportModel,
  buildFinding,
  buildFindings,
  buildReportModel,
  buildUnmappedFinding,
} from '../support/report-model.js';

const generatedAt = new Date('2026-01-02T03:04:05Z');

// CI installs poppler-utils; elsewhere the text checks say why they skip.
const poppler =
  spawnSync('pdftotext', ['-v']).error === undefined
    ? false
    : 'pdftotext is not installed (apt-get install poppler-utils)';

/** The text of the given pages (1-based, inclusive), columns kept apart. */
function pdfText(pdf: Buffer, first?: number, last?: number): string {
  const range = [
    ...(first === undefined ? [] : ['-f', String(first)]),
    ...(last === undefined ? [] : ['-l', String(last)]),
  ];
  const result = spawnSync('pdftotext', ['-layout', ...range, '-', '-'], {
    input: pdf,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/**
 * The text in drawing order with whitespace collapsed, so a sentence wrapped
 * inside a summary box or the notice band reads as one line. Page 1 only
 * unless `allPages`.
 */
function sentences(pdf: Buffer, allPages = false): string {
  const range = allPages ? [] : ['-l', '1'];
  const result = spawnSync('pdftotext', ['-raw', ...range, '-', '-'], {
    input: pdf,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.replace(/\s+/g, ' ');
}

// Only "No open vulnerabilities in the scope of <standard>" is true of a
// report that leaves findings out of its count.
const UNSCOPED_CLEAN = /No open vulnerabilities(?! in the scope of CWE Top 25)/;

function pdfInfo(pdf: Buffer): string {
  const result = spawnSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

// OWASP has 10 categories, so the findings table starts on page 1 and its
// second page is page 2.
function multiPageModel() {
  return buildReportModel({
    standard: OWASP_TOP_10_2021,
    findings: buildFindings(300, { standard: OWASP_TOP_10_2021 }),
  });
}

const FINDINGS_HEADER = /Rule\s+Severity\s+File\s+Line\s+Message\s+Categories/;

describe('renderPdf', () => {
  test('produces a PDF file', async () => {
    const pdf = await renderPdf(buildReportModel(), { generatedAt });

    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-6).toString('latin1'), /%%EOF/);
  });

  test(
    'shows product, count and rating on page 1',
    { skip: poppler },
    async () => {
      const pdf = await renderPdf(buildReportModel(), { generatedAt });
      const page1 = pdfText(pdf, 1, 1);

      assert.match(page1, /Acme Web/);
      assert.match(page1, /CWE Top 25 2024/);
      assert.match(page1, /RATING\s+VULNERABILITIES\s+SECURITY HOTSPOTS/);
      // The summary boxes' values share one line: rating, count, hotspots,
      // not in any category.
      assert.match(page1, /^\s*E\s+7\s+3\s+1\s*$/m);
      assert.match(page1, /CWE-89\s+SQL Injection\s+1\s+D/);
      assert.ok(
        sentences(pdf).includes(
          'The worst open vulnerability in the scope of CWE Top 25 2024 ' +
            'is of blocker severity.',
        ),
      );
    },
  );

  test(
    'regression: an unmapped BLOCKER leaves no A that reads clean',
    { skip: poppler },
    async () => {
      const model = buildReportModel({
        findings: [],
        unmapped: [buildUnmappedFinding({ severity: 'BLOCKER' })],
      });
      const pdf = await renderPdf(model, { generatedAt });
      const text = sentences(pdf);

      assert.doesNotMatch(sentences(pdf, true), UNSCOPED_CLEAN);
      assert.match(
        text,
        /No open vulnerabilities in the scope of CWE Top 25 2024\./,
      );
      assert.ok(
        text.includes(
          '1 open vulnerability (Blocker) could not be placed in any ' +
            'category and is not counted in this rating. ' +
            'See \u201cFindings not placed in any category\u201d.',
        ),
        text,
      );
    },
  );

  test(
    'regression: findings outside the standard are announced by the A',
    { skip: poppler },
    async () => {
      const model = buildReportModel({
        findings: [],
        unmapped: [],
        outOfScopeCount: 3,
        outOfScopeWorstSeverity: 'BLOCKER',
      });
      const pdf = await renderPdf(model, { generatedAt });
      const text = sentences(pdf);

      assert.doesNotMatch(sentences(pdf, true), UNSCOPED_CLEAN);
      assert.ok(
        text.includes(
          '3 open vulnerabilities (worst: Blocker) fall outside CWE Top 25 ' +
            '2024 and are not counted in this rating. ' +
            'Reports on other standards may count them.',
        ),
        text,
      );
      assert.ok(
        text.indexOf('fall outside') < text.indexOf('Categories'),
        'the notice comes with the summary, before the categories',
      );
    },
  );

  test(
    'shows no notice beside the rating of a clean analysis',
    { skip: poppler },
    async () => {
      const pdf = await renderPdf(buildCleanReportModel(), { generatedAt });
      const text = sentences(pdf);

      assert.match(
        text,
        /No open vulnerabilities in the scope of CWE Top 25 2024\./,
      );
      assert.doesNotMatch(text, /not counted in this rating/);
    },
  );

  test('numbers every page as "Page N of M"', { skip: poppler }, async () => {
    const pdf = await renderPdf(multiPageModel(), { generatedAt });
    const pages = Number(/Pages:\s+(\d+)/.exec(pdfInfo(pdf))?.[1]);

    assert.ok(pages > 2, `expected several pages, got ${pages}`);
    for (let page = 1; page <= pages; page++) {
      assert.match(
        pdfText(pdf, page, page),
        new RegExp(`Page ${page} of ${pages}\\b`),
      );
    }
  });

  test(
    'repeats the findings header row on the next page',
    { skip: poppler },
    async () => {
      const pdf = await renderPdf(multiPageModel(), { generatedAt });
      const page1 = pdfText(pdf, 1, 1);
      const page2 = pdfText(pdf, 2, 2);

      assert.match(page1, /Findings \(300\)/);
      assert.match(page1, FINDINGS_HEADER);
      assert.doesNotMatch(page2, /Findings \(/);
      assert.match(page2, FINDINGS_HEADER);
      assert.match(page2, /javasecurity:S\d+/);
    },
  );

  test(
    'labels findings that could not be placed in any category',
    { skip: poppler },
    async () => {
      const text = pdfText(
        await renderPdf(buildReportModel(), { generatedAt }),
      );

      assert.match(text, /Findings not placed in any category \(1\)/);
      assert.match(text, /could not be placed in any category/);
      assert.match(text, /acme-custom:/);
    },
  );

  test(
    'keeps long messages and paths inside their cells',
    { skip: poppler },
    async () => {
      const finding = buildFinding({
        message: `${'word '.repeat(400)}END-OF-MESSAGE`,
        file: `src/${'deeply/nested/'.repeat(40)}File.java`,
      });
      const pdf = await renderPdf(buildReportModel({ findings: [finding] }));
      const text = pdfText(pdf);

      assert.match(text, /word word…/);
      assert.doesNotMatch(text, /END-OF-MESSAGE/);
      assert.match(text, /src\/deeply\/nested\//);
    },
  );

  test(
    'prints characters outside its fonts as "?" instead of failing',
    { skip: poppler },
    async () => {
      const finding = buildFinding({
        message: 'Ünïcödé € ok, 日本 not\nsplit',
      });
      const pdf = await renderPdf(buildReportModel({ findings: [finding] }));

      assert.match(pdfText(pdf), /Ünïcödé € ok, \?\? not split/);
    },
  );

  test(
    'records title, author and the analysis date as metadata',
    { skip: poppler },
    async () => {
      const info = pdfInfo(
        await renderPdf(buildReportModel(), { generatedAt }),
      );

      assert.match(
        info,
        /Title:\s+Acme Web 1\.4\.2: CWE Top 25 2024 security report/,
      );
      assert.match(info, /Author:\s+Report Hub/);
      assert.match(info, /CreationDate:\s+Wed Dec 17 09:05:48 2025 UTC/);
    },
  );

  test('renders the same bytes for the same model and time', async () => {
    const model = buildReportModel();

    const first = await renderPdf(model, { generatedAt });
    const second = await renderPdf(model, { generatedAt });

    assert.ok(first.equals(second));
  });

  test('streams the same document as it renders into memory', async () => {
    const model = buildReportModel();
    const chunks: Buffer[] = [];

    for await (const chunk of renderPdfStream(model, { generatedAt })) {
      chunks.push(chunk as Buffer);
    }

    assert.ok(
      Buffer.concat(chunks).equals(await renderPdf(model, { generatedAt })),
    );
  });
});
