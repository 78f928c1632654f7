import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderHtml } from '../../src/render/html.js';
import {
  buildCleanReportModel,
  buildFinding,
  buildFindings,
  buildReportModel,
  buildUnmappedFinding,
} from '../support/report-model.js';

const generatedAt = new Date('2026-01-02T03:04:05Z');

function render(...args: Parameters<typeof buildReportModel>): string {
  return renderHtml(buildReportModel(...args), { generatedAt });
}

/** The text of one section, so assertions do not match elsewhere. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  assert.notEqual(start, -1, `section ${id} is missing`);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The notices beside the rating, one sentence each; none when absent. */
function notices(html: string): string[] {
  const block = /<div class="notices"[^>]*>(.*?)<\/div>/.exec(html)?.[1];
  if (block === undefined) return [];
  return [...block.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1]!);
}

// Only "No open vulnerabilities in the scope of <standard>" is true of a
// report that leaves findings out of its count.
const NONE_IN_SCOPE =
  'No open vulnerabilities in the scope of CWE Top 25 2024.';
const UNSCOPED_CLEAN = /No open vulnerabilities(?! in the scope of CWE Top 25)/;

describe('renderHtml', () => {
  test('shows the vulnerability count and the rating in the summary', () => {
    const model = buildReportModel();
    const html = renderHtml(model, { generatedAt });

    assert.equal(model.vulnerabilitiesCount, 7);
    assert.match(html, /Vulnerabilities<\/div><div class="value">7</);
    assert.match(html, /class="badge rating-E"[^>]*>E</);
  });

  test('shows product, version, standard and dates at the top', () => {
    const html = render();

    assert.match(html, /<h1>Acme Web<\/h1>/);
    assert.match(html, /<dd>1\.4\.2<\/dd>/);
    assert.match(html, /<dd>CWE Top 25 2024<\/dd>/);
    assert.match(html, /<dd>2025-12-17 09:05 UTC<\/dd>/);
    assert.match(html, /<dd>2026-01-02 03:04 UTC<\/dd>/);
  });

  test('lists every category of the standard with its count and rating', () => {
    const model = buildReportModel();
    const categories = section(
      renderHtml(model, { generatedAt }),
      'categories',
    );

    assert.equal(model.categories.length, 25);
    for (const category of model.categories) {
      const row =
        `<td class="num">${category.rank}</td><td>${category.id}</td>` +
        `<td>${category.title}</td>` +
        `<td class="num">${category.vulnerabilitiesCount}</td>`;
      assert.ok(categories.includes(row), `row for ${category.id}`);
    }
    assert.match(categories, /<td>CWE-89<\/td>.*?rating-D">D</);
  });

  test('shows each finding with its rule, file, line and message', () => {
    const findings = section(render(), 'findings');

    assert.match(findings, /Findings \(7\)/);
    assert.match(findings, /javasecurity:S3649/);
    assert.match(findings, /src\/main\/java\/com\/acme\/orders\/OrderRepo/);
    assert.match(
      findings,
      /A request parameter is concatenated into an SQL statement\./,
    );
  });

  test('escapes markup in the product name', () => {
    const html = render({ projectName: 'Acme <script>alert(1)</script>' });

    assert.ok(html.includes('Acme &lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  test('escapes markup in a finding message and file path', () => {
    const finding = buildFinding({
      message: 'Bad <script>steal()</script> & "quotes"',
      file: 'src/<img src=x onerror=alert(1)>.js',
    });
    const html = render({ findings: [finding] });

    assert.ok(
      html.includes(
        'Bad &lt;script&gt;steal()&lt;/script&gt; &amp; &quot;quotes&quot;',
      ),
    );
    assert.ok(html.includes('src/&lt;img src=x onerror=alert(1)&gt;.js'));
  });

  test('contains no script and loads nothing from elsewhere', () => {
    const html = render({
      projectName: '<script src="https://evil.example/x.js"></script>',
      findings: [buildFinding({ message: '<a href="http://x">x</a>' })],
    });

    assert.doesNotMatch(html, /<script/i);
    // Escaped text may mention src=; only a real tag could load anything.
    assert.doesNotMatch(html, /<[a-z][^>]*\s(src|href)=/i);
    assert.doesNotMatch(html, /<link|@import|url\(/i);
  });

  test('labels findings that could not be placed in any category', () => {
    const unmapped = section(render(), 'unmapped');

    assert.match(unmapped, /Findings not placed in any category \(1\)/);
    assert.match(unmapped, /could not be placed in any category/);
    assert.match(unmapped, /acme-custom:NoRawCrypto/);
  });

  test('says so when there are no findings and nothing unmapped', () => {
    const html = renderHtml(buildCleanReportModel(), { generatedAt });

    assert.match(html, /class="badge rating-A"/);
    assert.ok(html.includes(`<p class="note">${NONE_IN_SCOPE}</p>`));
    assert.ok(section(html, 'findings').includes(NONE_IN_SCOPE));
    assert.match(section(html, 'unmapped'), /None: every open vulnerability/);
  });

  test('shows no notice beside the rating of a clean analysis', () => {
    const html = renderHtml(buildCleanReportModel(), { generatedAt });

    assert.deepEqual(notices(html), []);
    assert.doesNotMatch(html, /not counted in this rating/);
  });

  test('explains the rating by the worst open vulnerability in scope', () => {
    const html = render({ findings: [buildFinding({ severity: 'MAJOR' })] });

    assert.ok(
      html.includes(
        '<p class="note">The worst open vulnerability in the scope of ' +
          'CWE Top 25 2024 is of major (medium) severity.</p>',
      ),
    );
  });

  test('an A with only info findings does not claim there are none', () => {
    const html = render({
      findings: [buildFinding({ severity: 'INFO' })],
      unmapped: [],
    });

    assert.ok(
      html.includes(
        'No open vulnerabilities of minor (low) severity or worse ' +
          'in the scope of CWE Top 25 2024.',
      ),
    );
  });

  test('regression: an unmapped BLOCKER leaves no A that reads clean', () => {
    const html = render({
      findings: [],
      unmapped: [buildUnmappedFinding({ severity: 'BLOCKER' })],
    });

    assert.match(html, /class="badge rating-A"/);
    assert.doesNotMatch(html, UNSCOPED_CLEAN);
    assert.doesNotMatch(html, /of minor \(low\) severity or worse/);
    assert.deepEqual(notices(html), [
      '1 open vulnerability (Blocker) could not be placed in any category ' +
        'and is not counted in this rating. ' +
        'See \u201cFindings not placed in any category\u201d.',
    ]);
  });

  test('counts every unplaced finding in the notice, naming the worst', () => {
    const html = render({
      unmapped: [
        buildUnmappedFinding({ key: 'u1', severity: 'MINOR' }),
        buildUnmappedFinding({ key: 'u2', severity: 'CRITICAL' }),
        buildUnmappedFinding({ key: 'u3', severity: 'INFO' }),
      ],
    });

    assert.ok(
      notices(html)[0]?.startsWith(
        '3 open vulnerabilities (worst: Critical) could not be placed in ' +
          'any category and are not counted in this rating.',
      ),
    );
  });

  test('regression: findings outside the standard are announced by the A', () => {
    const html = render({
      findings: [],
      unmapped: [],
      outOfScopeCount: 3,
      outOfScopeWorstSeverity: 'BLOCKER',
    });

    assert.match(html, /class="badge rating-A"/);
    assert.doesNotMatch(html, UNSCOPED_CLEAN);
    assert.doesNotMatch(html, /Every open vulnerability was placed/);
    assert.deepEqual(notices(html), [
      '3 open vulnerabilities (worst: Blocker) fall outside CWE Top 25 2024 ' +
        'and are not counted in this rating. ' +
        'Reports on other standards may count them.',
    ]);
  });

  test('puts the notices in the summary, before the categories', () => {
    const html = render({ outOfScopeCount: 1, outOfScopeWorstSeverity: 'LOW' });
    const summary = html.slice(
      html.indexOf('<section class="summary"'),
      html.indexOf('<section id="categories">'),
    );

    assert.equal(notices(summary).length, 2);
    assert.match(
      notices(summary)[1] ?? '',
      /^1 open vulnerability \(Low\) falls outside/,
    );
  });

  test('escapes markup in the standard name inside a notice', () => {
    const html = render({
      standard: { name: 'CWE <b>Top</b>', edition: 2024 },
      outOfScopeCount: 1,
      outOfScopeWorstSeverity: 'MAJOR',
    });

    assert.match(
      notices(html)[1] ?? '',
      /outside CWE &lt;b&gt;Top&lt;\/b&gt; 2024/,
    );
  });

  test('lists findings worst first', () => {
    const findings = section(render(), 'findings');

    assert.ok(findings.indexOf('Blocker') < findings.indexOf('Critical'));
    assert.ok(findings.indexOf('Critical') < findings.indexOf('Minor'));
  });

  test('renders 50,000 findings in well under a second', () => {
    const model = buildReportModel({ findings: buildFindings(50_000) });

    const started = performance.now();
    const html = renderHtml(model, { generatedAt });
    const elapsedMs = performance.now() - started;

    assert.equal(html.match(/<tr><td class="code">/g)?.length, 50_001);
    assert.ok(elapsedMs < 2_000, `took ${elapsedMs.toFixed(0)} ms`);
  });
});
