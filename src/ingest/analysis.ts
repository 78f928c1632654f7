/**
 * Turns a validated bundle into one report model per requested standard.
 * Pure: no I/O, so it is tested with plain values.
 *
 * Decisions the contract leaves open, made here:
 * - An issue key seen twice (pages overlapping while SonarQube changes) is
 *   one finding; the more severe copy is kept, so a paging accident can
 *   never make a report look better than the analysis.
 * - `not provided` is SonarQube's placeholder for an analysis without
 *   `sonar.projectVersion`; it is treated as no version, wherever it comes
 *   from, rather than stored as if it were one.
 * - The version and date come from the latest analysis only: an older
 *   analysis's version would describe different code.
 * - The measures response's `period` is not used as a date: it is the
 *   start of the new-code period, not when the analysis ran.
 * - Hotspots are counted for context (those not yet reviewed); they never
 *   count towards a rating.
 */
import { HubError } from '../errors.js';
import {
  createRuleClassifier,
  isUnmapped,
  type RuleClassification,
} from '../domain/classify.js';
import type {
  CategoryResult,
  Finding,
  FindingSeverity,
  ReportModel,
  SecurityRating,
} from '../domain/model.js';
import {
  isWorseSeverity,
  severityRating,
  toFindingSeverity,
  worstRating,
} from '../domain/rating.js';
import { resolveStandards, type Standard } from '../domain/standards/index.js';
import type { Bundle, ProjectAnalysis, SonarIssue } from './bundle.js';

export interface AnalysisOptions {
  /** `Name:Edition` keys; overrides the bundle's own list. */
  standards?: readonly string[];
  /** The date used when neither the bundle nor SonarQube gives one. */
  now?: Date;
}

export interface AnalysisResult {
  projectKey: string;
  projectName: string;
  projectVersion: string;
  analysisDate: Date;
  /** One per standard, in the order requested. */
  reports: ReportModel[];
}

interface Project {
  projectKey: string;
  projectName: string;
  projectVersion: string;
  analysisDate: Date;
}

interface OpenVulnerability {
  issue: SonarIssue;
  severity: FindingSeverity;
}

function severityOf(issue: SonarIssue, value: string): FindingSeverity {
  const severity = toFindingSeverity(value);
  if (severity !== undefined) return severity;
  throw new HubError(
    'invalid_bundle',
    `Issue ${issue.key} has the unknown severity "${value}".`,
    { parameter: 'sonarqube.issues' },
  );
}

function securityImpactSeverity(
  issue: SonarIssue,
): FindingSeverity | undefined {
  let worst: FindingSeverity | undefined;
  for (const impact of issue.impacts) {
    if (impact.softwareQuality.toUpperCase() !== 'SECURITY') continue;
    const severity = severityOf(issue, impact.severity);
    if (worst === undefined || isWorseSeverity(severity, worst))
      worst = severity;
  }
  return worst;
}

/** The severity that rates this issue, or undefined if it does not count. */
function vulnerabilitySeverity(
  issue: SonarIssue,
  mode: Bundle['mode'],
): FindingSeverity | undefined {
  if (issue.resolution !== undefined) return undefined;
  if (mode === 'mqr' || issue.type === undefined) {
    return securityImpactSeverity(issue);
  }
  if (issue.type.toUpperCase() !== 'VULNERABILITY') return undefined;
  if (issue.severity !== undefined) return severityOf(issue, issue.severity);

  const fromImpacts = securityImpactSeverity(issue);
  if (fromImpacts !== undefined) return fromImpacts;
  throw new HubError(
    'invalid_bundle',
    `Issue ${issue.key} is a vulnerability without a severity.`,
    { parameter: 'sonarqube.issues' },
  );
}

function openVulnerabilities(bundle: Bundle): OpenVulnerability[] {
  const byKey = new Map<string, OpenVulnerability>();
  for (const response of bundle.sonarqube.issues) {
    for (const issue of response.issues) {
      const severity = vulnerabilitySeverity(issue, bundle.mode);
      if (severity === undefined) continue;
      const seen = byKey.get(issue.key);
      if (seen === undefined || isWorseSeverity(severity, seen.severity)) {
        byKey.set(issue.key, { issue, severity });
      }
    }
  }
  return [...byKey.values()];
}

function countHotspots(bundle: Bundle): number {
  const open = new Set<string>();
  for (const response of bundle.sonarqube.hotspots) {
    for (const hotspot of response.hotspots) {
      if (hotspot.status?.toUpperCase() !== 'REVIEWED') open.add(hotspot.key);
    }
  }
  return open.size;
}

function usableVersion(version: string | undefined): string | undefined {
  if (version === undefined || version.trim() === '') return undefined;
  return version.trim().toLowerCase() === 'not provided' ? undefined : version;
}

function latestAnalysis(
  analyses: readonly ProjectAnalysis[],
): ProjectAnalysis | undefined {
  let latest = analyses[0];
  for (const analysis of analyses) {
    const time = analysis.date?.getTime() ?? -Infinity;
    if (time > (latest?.date?.getTime() ?? -Infinity)) latest = analysis;
  }
  return latest;
}

function projectName(bundle: Bundle): string {
  if (bundle.projectName?.trim()) return bundle.projectName;
  const measures = bundle.sonarqube.measures;
  const sameProject =
    measures?.key === undefined || measures.key === bundle.projectKey;
  if (sameProject && measures?.name?.trim()) return measures.name;
  for (const response of bundle.sonarqube.issues) {
    const project = response.components.find(
      (c) => c.key === bundle.projectKey && c.name?.trim(),
    );
    if (project?.name !== undefined) return project.name;
  }
  return bundle.projectKey;
}

function describeProject(bundle: Bundle, now: Date): Project {
  const latest = latestAnalysis(bundle.sonarqube.analyses);
  const version =
    usableVersion(bundle.projectVersion) ??
    usableVersion(latest?.projectVersion) ??
    usableVersion(bundle.sonarqube.measures?.version);
  if (version === undefined) {
    throw new HubError('missing_project_version', undefined, {
      parameter: 'projectVersion',
    });
  }
  return {
    projectKey: bundle.projectKey,
    projectName: projectName(bundle),
    projectVersion: version,
    analysisDate: bundle.analysisDate ?? latest?.date ?? now,
  };
}

/** Component keys are `project:path`; the report shows the path. */
function filePath(issue: SonarIssue, projectKey: string): string {
  const component = issue.component ?? '';
  for (const prefix of [issue.project, projectKey]) {
    if (prefix === undefined) continue;
    if (component === prefix) return '';
    if (component.startsWith(`${prefix}:`)) {
      return component.slice(prefix.length + 1);
    }
  }
  return component;
}

function toFinding(
  vulnerability: OpenVulnerability,
  projectKey: string,
  categories: string[],
): Finding {
  const { issue, severity } = vulnerability;
  return {
    key: issue.key,
    rule: issue.rule,
    severity,
    file: filePath(issue, projectKey),
    line: issue.line ?? null,
    message: issue.message ?? '',
    categories,
  };
}

interface Tally {
  count: number;
  rating: SecurityRating;
}

/** Placed by CWE or OWASP facts, but in none of the standard's categories. */
interface OutOfScope {
  count: number;
  worstSeverity: FindingSeverity | null;
}

function addOutOfScope(tally: OutOfScope, severity: FindingSeverity): void {
  tally.count += 1;
  const worst = tally.worstSeverity;
  if (worst === null || isWorseSeverity(severity, worst)) {
    tally.worstSeverity = severity;
  }
}

function categoryResults(
  standard: Standard,
  tallies: ReadonlyMap<string, Tally>,
): CategoryResult[] {
  return standard.categories.map((c, i) => ({
    id: c.id,
    title: c.title,
    rank: i + 1,
    vulnerabilitiesCount: tallies.get(c.id)?.count ?? 0,
    securityRating: tallies.get(c.id)?.rating ?? 'A',
  }));
}

function buildReport(
  standard: Standard,
  project: Project,
  vulnerabilities: readonly OpenVulnerability[],
  classify: (ruleKey: string) => RuleClassification,
  shared: { unmapped: readonly Finding[]; hotspotsCount: number },
): ReportModel {
  const idsByRule = new Map<string, string[]>();
  const tallies = new Map<string, Tally>(
    standard.categories.map((c) => [c.id, { count: 0, rating: 'A' }]),
  );
  const findings: Finding[] = [];
  const outOfScope: OutOfScope = { count: 0, worstSeverity: null };
  let rating: SecurityRating = 'A';

  for (const vulnerability of vulnerabilities) {
    const rule = vulnerability.issue.rule;
    let ids = idsByRule.get(rule);
    if (ids === undefined) {
      ids = standard.categoriesOf(classify(rule));
      idsByRule.set(rule, ids);
    }
    if (ids.length === 0) {
      // Unmapped findings are listed in every report instead.
      if (!isUnmapped(classify(rule))) {
        addOutOfScope(outOfScope, vulnerability.severity);
      }
      continue;
    }

    const own = severityRating(vulnerability.severity);
    findings.push(toFinding(vulnerability, project.projectKey, ids));
    rating = worstRating([rating, own]);
    for (const id of ids) {
      const tally = tallies.get(id);
      if (tally === undefined) continue;
      tally.count += 1;
      tally.rating = worstRating([tally.rating, own]);
    }
  }

  return {
    standard: { ...standard.ref },
    ...project,
    vulnerabilitiesCount: findings.length,
    securityRating: rating,
    categories: categoryResults(standard, tallies),
    findings,
    unmapped: [...shared.unmapped],
    outOfScopeCount: outOfScope.count,
    outOfScopeWorstSeverity: outOfScope.worstSeverity,
    hotspotsCount: shared.hotspotsCount,
  };
}

/**
 * One report model per standard (the options' list, else the bundle's,
 * else the defaults). Counts and ratings cover only the open
 * vulnerabilities in each standard's scope; those placed elsewhere are
 * counted as out of scope, those placed nowhere listed as unmapped. Throws
 * `unknown_standard` and `missing_project_version` as the contract
 * describes. Linear in the number of issues: each rule is classified once
 * per bundle and placed once per standard.
 */
export function analyzeBundle(
  bundle: Bundle,
  options: AnalysisOptions = {},
): AnalysisResult {
  const standards = resolveStandards(options.standards ?? bundle.standards);
  const project = describeProject(bundle, options.now ?? new Date());
  const vulnerabilities = openVulnerabilities(bundle);
  const classify = createRuleClassifier(bundle.sonarqube);

  const unmapped = vulnerabilities
    .filter((v) => isUnmapped(classify(v.issue.rule)))
    .map((v) => toFinding(v, project.projectKey, []));
  const shared = { unmapped, hotspotsCount: countHotspots(bundle) };

  const reports = standards.map((standard) =>
    buildReport(standard, project, vulnerabilities, classify, shared),
  );
  return { ...project, reports };
}
