/**
 * The shapes that flow from ingest to rendering and storage. Pure data: no
 * I/O lives here, so every step can be tested with plain values.
 */

/** SonarQube's security rating letters, A best to E worst. */
export type SecurityRating = 'A' | 'B' | 'C' | 'D' | 'E';

/**
 * How bad one open vulnerability is, normalized across SonarQube's two modes:
 * standard severities (BLOCKER..INFO) and MQR impact severities
 * (BLOCKER, HIGH, MEDIUM, LOW, INFO).
 */
export type FindingSeverity =
  | 'BLOCKER'
  | 'CRITICAL'
  | 'HIGH'
  | 'MAJOR'
  | 'MEDIUM'
  | 'MINOR'
  | 'LOW'
  | 'INFO';

/** One open vulnerability as it appears in a report. */
export interface Finding {
  /** SonarQube's issue key. */
  key: string;
  /** Rule key, e.g. `javasecurity:S3649`. */
  rule: string;
  severity: FindingSeverity;
  /** File path inside the project, without the `project:` prefix. */
  file: string;
  line: number | null;
  message: string;
  /** IDs of the standard's categories it falls in, e.g. `CWE-89`, `A03`. */
  categories: string[];
}

/** One category of a standard with what the analysis found in it. */
export interface CategoryResult {
  /** Stable ID within the standard: `CWE-79`, `A01`. */
  id: string;
  title: string;
  /** Position in the standard's own list (1-based). */
  rank: number;
  vulnerabilitiesCount: number;
  securityRating: SecurityRating;
}

/** A security standard edition, e.g. CWE Top 25 2024. */
export interface StandardRef {
  /** The report type as the API shows it: `CWE Top 25`. */
  name: string;
  /** The edition as a number: `2024`. */
  edition: number;
}

/** Everything needed to render and store one report. */
export interface ReportModel {
  standard: StandardRef;
  projectKey: string;
  projectName: string;
  projectVersion: string;
  /** When the analysis ran. */
  analysisDate: Date;
  vulnerabilitiesCount: number;
  securityRating: SecurityRating;
  /** One entry per category of the standard, in the standard's order. */
  categories: CategoryResult[];
  /** Open vulnerabilities in scope of this standard. */
  findings: Finding[];
  /**
   * Open vulnerabilities whose rule could not be placed in any category of
   * any standard (no mapping, no rule data): listed so nobody mistakes
   * "unknown" for "clean".
   */
  unmapped: Finding[];
  /**
   * Open vulnerabilities whose rule has CWE or OWASP facts, none of them a
   * category of this standard. Not counted here (the count and rating are
   * scoped to the standard), but reported so that a narrow standard cannot
   * make an analysis with serious findings look clean.
   */
  outOfScopeCount: number;
  /** The worst severity among those out of scope; null when there are none. */
  outOfScopeWorstSeverity: FindingSeverity | null;
  /** Hotspots are never counted; their total is shown for context. */
  hotspotsCount: number;
}
