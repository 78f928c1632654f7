/**
 * Builders for report models in tests. Defaults are realistic and
 * self-consistent (counts and ratings follow from the findings), so a test
 * overrides only the field it is about.
 *
 *   buildReportModel()                                  a small CWE report
 *   buildReportModel({ findings: buildFindings(500) })  many pages
 *   buildReportModel({ standard: OWASP_TOP_10_2021 })   an OWASP report
 *   buildCleanReportModel()                             nothing found at all
 */
import type {
  CategoryResult,
  Finding,
  FindingSeverity,
  ReportModel,
  SecurityRating,
  StandardRef,
} from '../../src/domain/model.js';
import { ratingOf as ratingOfSeverities } from '../../src/domain/rating.js';

export const CWE_TOP_25_2024: StandardRef = {
  name: 'CWE Top 25',
  edition: 2024,
};
export const OWASP_TOP_10_2021: StandardRef = {
  name: 'OWASP Top 10',
  edition: 2021,
};

type CategoryDef = readonly [id: string, title: string];

// Kept here rather than imported from src/domain/standards so that test
// fixtures do not change when the production lists are edited.
const CWE_CATEGORIES: readonly CategoryDef[] = [
  ['CWE-79', 'Cross-site Scripting'],
  ['CWE-787', 'Out-of-bounds Write'],
  ['CWE-89', 'SQL Injection'],
  ['CWE-352', 'Cross-Site Request Forgery (CSRF)'],
  ['CWE-22', 'Path Traversal'],
  ['CWE-125', 'Out-of-bounds Read'],
  ['CWE-78', 'OS Command Injection'],
  ['CWE-416', 'Use After Free'],
  ['CWE-862', 'Missing Authorization'],
  ['CWE-434', 'Unrestricted Upload of File with Dangerous Type'],
  ['CWE-94', 'Code Injection'],
  ['CWE-20', 'Improper Input Validation'],
  ['CWE-77', 'Command Injection'],
  ['CWE-287', 'Improper Authentication'],
  ['CWE-269', 'Improper Privilege Management'],
  ['CWE-502', 'Deserialization of Untrusted Data'],
  ['CWE-200', 'Exposure of Sensitive Information to an Unauthorized Actor'],
  ['CWE-863', 'Incorrect Authorization'],
  ['CWE-918', 'Server-Side Request Forgery (SSRF)'],
  ['CWE-119', 'Improper Restriction of Operations within Memory Buffer Bounds'],
  ['CWE-476', 'NULL Pointer Dereference'],
  ['CWE-798', 'Use of Hard-coded Credentials'],
  ['CWE-190', 'Integer Overflow or Wraparound'],
  ['CWE-400', 'Uncontrolled Resource Consumption'],
  ['CWE-306', 'Missing Authentication for Critical Function'],
];

const OWASP_CATEGORIES: readonly CategoryDef[] = [
  ['A01', 'Broken Access Control'],
  ['A02', 'Cryptographic Failures'],
  ['A03', 'Injection'],
  ['A04', 'Insecure Design'],
  ['A05', 'Security Misconfiguration'],
  ['A06', 'Vulnerable and Outdated Components'],
  ['A07', 'Identification and Authentication Failures'],
  ['A08', 'Software and Data Integrity Failures'],
  ['A09', 'Security Logging and Monitoring Failures'],
  ['A10', 'Server-Side Request Forgery (SSRF)'],
];

interface FindingTemplate {
  rule: string;
  severity: FindingSeverity;
  cwe: string[];
  owasp: string[];
  message: string;
  file: string;
}

// A spread of both severity scales (standard and MQR) and of messages and
// paths long enough to test wrapping.
const TEMPLATES: readonly FindingTemplate[] = [
  {
    rule: 'javasecurity:S3649',
    severity: 'CRITICAL',
    cwe: ['CWE-89'],
    owasp: ['A03'],
    message: 'A request parameter is concatenated into an SQL statement.',
    file: 'src/main/java/com/acme/orders/OrderRepository.java',
  },
  {
    rule: 'javasecurity:S5131',
    severity: 'MAJOR',
    cwe: ['CWE-79'],
    owasp: ['A03'],
    message: 'Untrusted input is written into the HTML response unescaped.',
    file: 'src/main/java/com/acme/web/SearchController.java',
  },
  {
    rule: 'javasecurity:S2083',
    severity: 'HIGH',
    cwe: ['CWE-22'],
    owasp: ['A01'],
    message:
      'A file name taken from the upload form is joined to the storage ' +
      'directory without checking that the result stays inside it, so a ' +
      'name with "../" segments can overwrite files elsewhere.',
    file: 'src/main/java/com/acme/storage/internal/fs/LocalBlobStore.java',
  },
  {
    rule: 'javasecurity:S2076',
    severity: 'BLOCKER',
    cwe: ['CWE-78', 'CWE-77'],
    owasp: ['A03'],
    message: 'A shell command is built from a query-string value.',
    file: 'src/main/java/com/acme/ops/DiagnosticsRunner.java',
  },
  {
    rule: 'java:S6437',
    severity: 'MEDIUM',
    cwe: ['CWE-798'],
    owasp: ['A07'],
    message: 'A database password is written in the source code.',
    file: 'src/main/resources/application-production.properties',
  },
  {
    rule: 'javasecurity:S5144',
    severity: 'MINOR',
    cwe: ['CWE-918'],
    owasp: ['A10'],
    message: 'An outgoing request uses a URL chosen by the caller.',
    file: 'src/main/java/com/acme/integrations/WebhookClient.java',
  },
  {
    rule: 'javasecurity:S5135',
    severity: 'LOW',
    cwe: ['CWE-502'],
    owasp: ['A08'],
    message: 'Objects are deserialized from an untrusted request body.',
    file: 'src/main/java/com/acme/session/SessionCodec.java',
  },
];

/** One finding: an SQL injection unless overridden. */
export function buildFinding(overrides: Partial<Finding> = {}): Finding {
  return { ...findingFromTemplate(0, CWE_TOP_25_2024), ...overrides };
}

/**
 * `count` distinct findings cycling through several rules, severities and
 * files. Deterministic: the same count gives the same list.
 */
export function buildFindings(
  count: number,
  options: { standard?: StandardRef; overrides?: Partial<Finding> } = {},
): Finding[] {
  const standard = options.standard ?? CWE_TOP_25_2024;
  return Array.from({ length: count }, (_, index) => ({
    ...findingFromTemplate(index, standard),
    ...options.overrides,
  }));
}

function findingFromTemplate(index: number, standard: StandardRef): Finding {
  const template = TEMPLATES[index % TEMPLATES.length]!;
  const copy = Math.floor(index / TEMPLATES.length);
  return {
    key: `AZf${String(index).padStart(7, '0')}`,
    rule: template.rule,
    severity: template.severity,
    file: copy === 0 ? template.file : template.file.replace('.', `${copy}.`),
    line: 10 + ((index * 37) % 900),
    message: template.message,
    categories: isOwasp(standard) ? [...template.owasp] : [...template.cwe],
  };
}

/** A finding whose rule maps to no category (a custom rule, say). */
export function buildUnmappedFinding(
  overrides: Partial<Finding> = {},
): Finding {
  return {
    key: 'AZu0000001',
    rule: 'acme-custom:NoRawCrypto',
    severity: 'MAJOR',
    file: 'src/main/java/com/acme/crypto/TokenSigner.java',
    line: 42,
    message: 'A home-grown signature scheme is used instead of the library.',
    categories: [],
    ...overrides,
  };
}

/**
 * A whole report model. Unless overridden, categories, the count and the
 * rating are computed from the findings, so they always agree.
 */
export function buildReportModel(
  overrides: Partial<ReportModel> = {},
): ReportModel {
  const standard = overrides.standard ?? CWE_TOP_25_2024;
  const findings =
    overrides.findings ?? buildFindings(TEMPLATES.length, { standard });
  return {
    standard,
    projectKey: 'acme-web',
    projectName: 'Acme Web',
    projectVersion: '1.4.2',
    analysisDate: new Date('2025-12-17T09:05:48Z'),
    vulnerabilitiesCount: findings.length,
    securityRating: ratingOf(findings),
    categories: buildCategories(standard, findings),
    findings,
    unmapped: [buildUnmappedFinding()],
    outOfScopeCount: 0,
    outOfScopeWorstSeverity: null,
    hotspotsCount: 3,
    ...overrides,
  };
}

/** An analysis with no open vulnerabilities anywhere: rated A, no notices. */
export function buildCleanReportModel(
  overrides: Partial<ReportModel> = {},
): ReportModel {
  return buildReportModel({ findings: [], unmapped: [], ...overrides });
}

/** One result per category of the standard, counted from the findings. */
export function buildCategories(
  standard: StandardRef,
  findings: readonly Finding[],
): CategoryResult[] {
  const defs = isOwasp(standard) ? OWASP_CATEGORIES : CWE_CATEGORIES;
  return defs.map(([id, title], index) => {
    const inCategory = findings.filter((f) => f.categories.includes(id));
    return {
      id,
      title,
      rank: index + 1,
      vulnerabilitiesCount: inCategory.length,
      securityRating: ratingOf(inCategory),
    };
  });
}

/** SonarQube's rule, from the production code: the worst finding decides. */
export function ratingOf(findings: readonly Finding[]): SecurityRating {
  return ratingOfSeverities(findings.map((finding) => finding.severity));
}

function isOwasp(standard: StandardRef): boolean {
  return standard.name.startsWith('OWASP');
}
