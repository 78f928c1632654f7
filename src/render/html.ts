/**
 * Report model -> report.html: one self-contained file with inline CSS and
 * no scripts, images, fonts or links to other hosts, so it reads the same
 * offline, from a ZIP, or printed.
 */
import type {
  CategoryResult,
  Finding,
  ReportModel,
  SecurityRating,
} from '../domain/model.js';
import { escapeHtml as esc } from './escape.js';
import {
  HOTSPOTS_NOTE,
  UNMAPPED_EXPLANATION,
  UNMAPPED_HEADING,
  UNMAPPED_NONE,
  categoriesLabel,
  formatUtc,
  lineLabel,
  noFindingsInScope,
  ratingExplanation,
  reportTitle,
  severityLabel,
  sortFindings,
  standardTitle,
  uncountedNotices,
  type RenderOptions,
  titleFacts,
} from './format.js';
import { REPORT_CSS } from './html-style.js';

// Even if some value escaped escaping, nothing could load or run: the file
// may be opened straight from disk or a mail attachment.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'";

/** Renders the complete report.html for one report. */
export function renderHtml(
  model: ReportModel,
  options: RenderOptions = {},
): string {
  const generatedAt = options.generatedAt ?? new Date();
  return [
    '<!doctype html>',
    '<html lang="en">',
    renderHead(model),
    '<body>',
    renderTitleBlock(model, generatedAt),
    renderSummary(model),
    renderCategories(model.categories),
    renderFindings(model),
    renderUnmapped(model.unmapped),
    renderFooter(model, generatedAt),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderHead(model: ReportModel): string {
  return [
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Report Hub">',
    `<title>${esc(reportTitle(model))}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
  ].join('\n');
}

function renderTitleBlock(model: ReportModel, generatedAt: Date): string {
  const facts = titleFacts(model, generatedAt);
  const rows = facts.map(([term, value]) => {
    return `<dt>${esc(term)}</dt><dd>${esc(value)}</dd>`;
  });
  return [
    '<header class="title">',
    `<p class="kicker">Security report · ${esc(
      standardTitle(model.standard),
    )}</p>`,
    `<h1>${esc(model.projectName)}</h1>`,
    `<dl class="facts">${rows.join('')}</dl>`,
    '</header>',
  ].join('\n');
}

function renderSummary(model: ReportModel): string {
  // Typed as a letter, but the model may come from a looser producer.
  const rating = esc(model.securityRating);
  const unmapped = model.unmapped.length;
  return [
    '<section class="summary" aria-label="Summary">',
    '<div class="stat rating-stat">',
    `<span class="badge rating-${rating}" ` +
      `aria-label="Security rating ${rating}">${rating}</span>`,
    '<div><div class="label">Security rating</div>',
    `<p class="note">${esc(ratingExplanation(model))}</p></div>`,
    '</div>',
    stat('Vulnerabilities', model.vulnerabilitiesCount, 'Open, in scope'),
    stat('Security hotspots', model.hotspotsCount, HOTSPOTS_NOTE),
    stat(
      'Not in any category',
      unmapped,
      unmapped === 0
        ? 'Every open vulnerability has a CWE or OWASP mapping.'
        : 'No CWE or OWASP mapping; listed at the end.',
    ),
    ...renderNotices(uncountedNotices(model)),
    '</section>',
  ].join('\n');
}

/** Directly under the rating, so the letter is never read on its own. */
function renderNotices(notices: readonly string[]): string[] {
  if (notices.length === 0) return [];
  const paragraphs = notices.map((notice) => `<p>${esc(notice)}</p>`);
  return [
    '<div class="notices" role="note" ' +
      'aria-label="Not counted in this rating">' +
      `${paragraphs.join('')}</div>`,
  ];
}

function stat(label: string, value: number, note: string): string {
  return (
    `<div class="stat"><div class="label">${esc(label)}</div>` +
    `<div class="value">${esc(value)}</div>` +
    `<p class="note">${esc(note)}</p></div>`
  );
}

function ratingCell(rating: SecurityRating): string {
  const letter = esc(rating);
  return `<span class="rating rating-${letter}">${letter}</span>`;
}

function renderCategories(categories: readonly CategoryResult[]): string {
  const rows = categories.map((category) => {
    const rowClass =
      category.vulnerabilitiesCount === 0 ? ' class="empty"' : '';
    return (
      `<tr${rowClass}><td class="num">${esc(category.rank)}</td>` +
      `<td>${esc(category.id)}</td><td>${esc(category.title)}</td>` +
      `<td class="num">${esc(category.vulnerabilitiesCount)}</td>` +
      `<td>${ratingCell(category.securityRating)}</td></tr>`
    );
  });
  return [
    '<section id="categories">',
    '<h2>Categories</h2>',
    '<table><thead><tr><th class="num">Rank</th><th>ID</th><th>Title</th>' +
      '<th class="num">Vulnerabilities</th><th>Rating</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
    '</section>',
  ].join('\n');
}

function renderFindings(model: ReportModel): string {
  const { findings } = model;
  const body =
    findings.length === 0
      ? `<p class="none">${esc(noFindingsInScope(model.standard))}</p>`
      : findingsTable(findings, true);
  return [
    '<section id="findings">',
    `<h2>Findings (${esc(findings.length)})</h2>`,
    body,
    '</section>',
  ].join('\n');
}

function renderUnmapped(unmapped: readonly Finding[]): string {
  const body =
    unmapped.length === 0
      ? `<p class="none">${esc(UNMAPPED_NONE)}</p>`
      : findingsTable(unmapped, false);
  return [
    '<section id="unmapped">',
    `<h2>${esc(UNMAPPED_HEADING)} (${esc(unmapped.length)})</h2>`,
    `<p class="explanation">${esc(UNMAPPED_EXPLANATION)}</p>`,
    body,
    '</section>',
  ].join('\n');
}

function findingsTable(
  findings: readonly Finding[],
  withCategories: boolean,
): string {
  const head =
    '<th>Rule</th><th>Severity</th><th>File</th><th class="num">Line</th>' +
    '<th>Message</th>' +
    (withCategories ? '<th>Categories</th>' : '');
  const rows = sortFindings(findings).map((finding) => {
    return findingRow(finding, withCategories);
  });
  return (
    `<table><thead><tr>${head}</tr></thead>\n<tbody>\n` +
    `${rows.join('\n')}\n</tbody></table>`
  );
}

function findingRow(finding: Finding, withCategories: boolean): string {
  const categories = withCategories
    ? `<td>${esc(categoriesLabel(finding))}</td>`
    : '';
  return (
    `<tr><td class="code">${esc(finding.rule)}</td>` +
    `<td class="sev-${esc(finding.severity)}">` +
    `${esc(severityLabel(finding.severity))}</td>` +
    `<td class="code">${esc(finding.file)}</td>` +
    `<td class="num">${esc(lineLabel(finding.line))}</td>` +
    `<td class="message">${esc(finding.message)}</td>${categories}</tr>`
  );
}

function renderFooter(model: ReportModel, generatedAt: Date): string {
  return (
    `<footer>Generated by Report Hub on ${esc(formatUtc(generatedAt))} ` +
    `from the SonarQube analysis of ${esc(model.projectKey)} ` +
    `(${esc(formatUtc(model.analysisDate))}).</footer>`
  );
}
