/**
 * Wording, colours and ordering shared by the HTML and PDF renderers, so the
 * two files of one report always say the same thing.
 */
import type {
  Finding,
  FindingSeverity,
  ReportModel,
  SecurityRating,
  StandardRef,
} from '../domain/model.js';

/** Close to SonarQube's own rating colours, so readers recognise them. */
export const RATING_COLORS: Readonly<Record<SecurityRating, string>> = {
  A: '#00aa00',
  B: '#b0d513',
  C: '#eabe06',
  D: '#ed7d20',
  E: '#d4333f',
};

const RATING_MEANINGS: Readonly<Record<SecurityRating, string>> = {
  A: 'No open vulnerabilities of minor (low) severity or worse',
  B: 'At least one minor (low) vulnerability',
  C: 'At least one major (medium) vulnerability',
  D: 'At least one critical (high) vulnerability',
  E: 'At least one blocker vulnerability',
};

// Both severity scales share one order, so a mixed list still reads
// worst-first.
const SEVERITY_ORDER: Readonly<Record<FindingSeverity, number>> = {
  BLOCKER: 0,
  CRITICAL: 1,
  HIGH: 1,
  MAJOR: 2,
  MEDIUM: 2,
  MINOR: 3,
  LOW: 3,
  INFO: 4,
};

export const UNMAPPED_HEADING = 'Findings not placed in any category';

export const UNMAPPED_EXPLANATION =
  'These open vulnerabilities could not be placed in any category of any ' +
  'standard, because their rule has no known CWE or OWASP mapping. They are ' +
  'listed so that a missing mapping is not mistaken for a clean result.';

export const HOTSPOTS_NOTE =
  'Security hotspots need a manual review; they are not counted in the ' +
  'vulnerability count or the rating.';

export function ratingMeaning(rating: SecurityRating): string {
  return RATING_MEANINGS[rating] ?? '';
}

/** `CWE Top 25 2024`. */
export function standardTitle(standard: StandardRef): string {
  return `${standard.name} ${standard.edition}`;
}

export function reportTitle(model: ReportModel): string {
  return (
    `${model.projectName} ${model.projectVersion}: ` +
    `${standardTitle(model.standard)} security report`
  );
}

/**
 * Minutes in UTC, independent of the server's locale and time zone, so the
 * same model always renders the same text.
 */
export function formatUtc(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'unknown';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `CRITICAL` -> `Critical`. */
export function severityLabel(severity: FindingSeverity): string {
  return severity.charAt(0) + severity.slice(1).toLowerCase();
}

export function lineLabel(line: number | null): string {
  return line === null ? '' : String(line);
}

export function categoriesLabel(finding: Finding): string {
  return finding.categories.join(', ');
}

/**
 * Worst first, then by place in the code. Sorting here rather than trusting
 * the input keeps reports stable whatever order SonarQube paged issues in.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a) - severityRank(b) ||
    compareText(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareText(a.rule, b.rule) ||
    compareText(a.key, b.key)
  );
}

// Unknown severities sort last instead of making the comparison NaN.
function severityRank(finding: Finding): number {
  return SEVERITY_ORDER[finding.severity] ?? Object.keys(SEVERITY_ORDER).length;
}

// Plain code-unit order: locale-aware comparison is slow for 50k rows and
// would make output depend on the server's locale.
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** What a renderer may take besides the model. */
export interface RenderOptions {
  /**
   * The "generated" time printed in the report. Defaults to now; tests and
   * re-renders pass a fixed time to get identical bytes.
   */
  generatedAt?: Date;
}
