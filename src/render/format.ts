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

// How bad the worst open vulnerability in scope is, per rating; A is worded
// on its own because it also covers "none at all".
const RATING_SEVERITIES: Readonly<Record<SecurityRating, string>> = {
  A: 'info',
  B: 'minor (low)',
  C: 'major (medium)',
  D: 'critical (high)',
  E: 'blocker',
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
  'standard, because their rule has no known CWE or OWASP mapping, so no ' +
  "report's count or rating includes them. They are listed so that a " +
  'missing mapping is not mistaken for a clean result.';

export const UNMAPPED_NONE =
  'None: every open vulnerability has a CWE or OWASP mapping.';

export const HOTSPOTS_NOTE =
  'Security hotspots need a manual review; they are not counted in the ' +
  'vulnerability count or the rating.';

/**
 * What the rating says, in words that name its scope: the rating covers
 * only this standard's categories, so "no vulnerabilities" alone would be
 * read as a clean analysis.
 */
export function ratingExplanation(model: ReportModel): string {
  const scope = `in the scope of ${standardTitle(model.standard)}`;
  const rating = model.securityRating;
  if (rating === 'A') {
    return model.vulnerabilitiesCount === 0
      ? noFindingsInScope(model.standard)
      : `No open vulnerabilities of minor (low) severity or worse ${scope}.`;
  }
  const severity = RATING_SEVERITIES[rating];
  if (severity === undefined) return '';
  return `The worst open vulnerability ${scope} is of ${severity} severity.`;
}

/** Said where a report has no findings: never without its scope. */
export function noFindingsInScope(standard: StandardRef): string {
  return `No open vulnerabilities in the scope of ${standardTitle(standard)}.`;
}

/**
 * Sentences for the open vulnerabilities this report's count and rating
 * leave out, shown beside the rating; none for an analysis with nothing
 * left out.
 */
export function uncountedNotices(model: ReportModel): string[] {
  const notices: string[] = [];
  const unmapped = model.unmapped.length;
  if (unmapped > 0) {
    notices.push(
      `${vulnerabilities(unmapped, worstSeverity(model.unmapped))} ` +
        `could not be placed in any category and ${isAre(unmapped)} not ` +
        `counted in this rating. See \u201c${UNMAPPED_HEADING}\u201d.`,
    );
  }
  const outside = model.outOfScopeCount;
  if (outside > 0) {
    notices.push(
      `${vulnerabilities(outside, model.outOfScopeWorstSeverity)} ` +
        `${outside === 1 ? 'falls' : 'fall'} outside ` +
        `${standardTitle(model.standard)} and ${isAre(outside)} not counted ` +
        `in this rating. Reports on other standards may count ` +
        `${outside === 1 ? 'it' : 'them'}.`,
    );
  }
  return notices;
}

/** `1 open vulnerability (Blocker)`, `3 ... (worst: Major)`. */
function vulnerabilities(count: number, worst: FindingSeverity | null): string {
  const noun = count === 1 ? 'vulnerability' : 'vulnerabilities';
  if (worst === null) return `${count} open ${noun}`;
  const label = severityLabel(worst);
  return `${count} open ${noun} (${count === 1 ? label : `worst: ${label}`})`;
}

function isAre(count: number): string {
  return count === 1 ? 'is' : 'are';
}

function worstSeverity(findings: readonly Finding[]): FindingSeverity | null {
  let worst: Finding | undefined;
  for (const finding of findings) {
    if (worst === undefined || severityRank(finding) < severityRank(worst)) {
      worst = finding;
    }
  }
  return worst?.severity ?? null;
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

/** The facts under the title, in the order both documents show them. */
export function titleFacts(
  model: ReportModel,
  generatedAt: Date,
): Array<[label: string, value: string]> {
  return [
    ['Version', model.projectVersion],
    ['Standard', standardTitle(model.standard)],
    ['SonarQube project', model.projectKey],
    ['Analysis date', formatUtc(model.analysisDate)],
    ['Generated', formatUtc(generatedAt)],
  ];
}
