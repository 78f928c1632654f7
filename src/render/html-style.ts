/**
 * The report's only stylesheet, inlined into report.html so the file works
 * offline, from a ZIP, and under a CSP that forbids loading anything.
 */
import type { SecurityRating } from '../domain/model.js';
import { RATING_COLORS } from './format.js';

// White on SonarQube's light green and yellow is hard to read.
const DARK_TEXT_RATINGS: ReadonlySet<SecurityRating> = new Set(['B', 'C']);

function ratingRules(): string {
  return Object.entries(RATING_COLORS)
    .map(([rating, color]) => {
      const ink = DARK_TEXT_RATINGS.has(rating as SecurityRating)
        ? '#1f2933'
        : '#ffffff';
      return `.rating-${rating}{background:${color};color:${ink}}`;
    })
    .join('\n');
}

const BASE_CSS = `
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee4;--head:#f1f3f6}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:24px;color:var(--ink);
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,
  sans-serif}
h1{font-size:28px;margin:0 0 8px}
h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid var(--ink);
  padding-bottom:4px}
.kicker{margin:0;color:var(--muted);text-transform:uppercase;
  letter-spacing:.06em;font-size:12px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;
  margin:12px 0 0}
.facts dt{color:var(--muted)}
.facts dd{margin:0}
.summary{display:flex;flex-wrap:wrap;gap:16px;margin-top:24px}
.stat{flex:1 1 200px;border:1px solid var(--line);border-radius:6px;
  padding:12px 16px}
.stat .label{color:var(--muted);font-size:12px;text-transform:uppercase;
  letter-spacing:.04em}
.stat .value{font-size:36px;font-weight:700;line-height:1.2}
.stat .note{color:var(--muted);font-size:12px;margin:4px 0 0}
.rating-stat{display:flex;gap:16px;align-items:center}
.badge{display:inline-flex;align-items:center;justify-content:center;
  width:72px;height:72px;border-radius:50%;font-size:40px;font-weight:700;
  flex:none}
.notices{flex:1 1 100%;border:1px solid #b45309;border-left-width:6px;
  border-radius:6px;background:#fff7e6;padding:8px 16px}
.notices p{margin:4px 0;font-weight:600}
.rating{display:inline-block;min-width:22px;padding:0 6px;border-radius:4px;
  text-align:center;font-weight:700}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;
  vertical-align:top}
thead th{background:var(--head);position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;
  overflow-wrap:anywhere}
td.message{overflow-wrap:anywhere}
tr.empty td{color:var(--muted)}
.sev-BLOCKER,.sev-CRITICAL,.sev-HIGH{font-weight:700}
.explanation{color:var(--muted);max-width:70ch}
.none{color:var(--muted);font-style:italic}
footer{margin-top:32px;color:var(--muted);font-size:12px}
@page{size:A4;margin:14mm}
@media print{
  body{max-width:none;padding:0;font-size:10pt}
  table{font-size:8.5pt}
  thead{display:table-header-group}
  thead th{position:static}
  tr,.stat,.notices{break-inside:avoid}
  h2{break-after:avoid}
  .badge,.rating,.notices,thead th{-webkit-print-color-adjust:exact;
    print-color-adjust:exact}
}
`;

export const REPORT_CSS = `${BASE_CSS}${ratingRules()}\n`;
