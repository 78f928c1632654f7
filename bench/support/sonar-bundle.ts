/**
 * A large bundle in SonarQube's api/issues/search format: pages of 500
 * issues (the API's largest page), with the fields a real server sends,
 * a mix of vulnerabilities, bugs and code smells, open and resolved,
 * standard severities and MQR impacts, and rules both mapped and not.
 */

const pageSize = 500;
const projectKey = 'bench-large';

interface Rule {
  key: string;
  type: 'VULNERABILITY' | 'BUG' | 'CODE_SMELL';
  standards?: string[];
}

const rules: Rule[] = [
  {
    key: 'javasecurity:S3649',
    type: 'VULNERABILITY',
    standards: ['cwe:89', 'owaspTop10-2021:a3'],
  },
  {
    key: 'javasecurity:S5131',
    type: 'VULNERABILITY',
    standards: ['cwe:79', 'owaspTop10-2021:a3'],
  },
  {
    key: 'javasecurity:S2083',
    type: 'VULNERABILITY',
    standards: ['cwe:22', 'owaspTop10-2021:a1'],
  },
  {
    key: 'javasecurity:S2076',
    type: 'VULNERABILITY',
    standards: ['cwe:78', 'owaspTop10-2021:a3'],
  },
  {
    key: 'javasecurity:S5144',
    type: 'VULNERABILITY',
    standards: ['cwe:918', 'owaspTop10-2021:a10'],
  },
  {
    key: 'java:S2068',
    type: 'VULNERABILITY',
    standards: ['cwe:798', 'owaspTop10-2021:a7'],
  },
  {
    key: 'java:S4790',
    type: 'VULNERABILITY',
    standards: ['cwe:328', 'owaspTop10-2021:a2'],
  },
  {
    key: 'java:S5547',
    type: 'VULNERABILITY',
    standards: ['cwe:327', 'owaspTop10-2021:a2'],
  },
  {
    key: 'java:S4423',
    type: 'VULNERABILITY',
    standards: ['cwe:326', 'owaspTop10-2021:a2'],
  },
  {
    key: 'java:S2755',
    type: 'VULNERABILITY',
    standards: ['cwe:611', 'owaspTop10-2021:a5'],
  },
  { key: 'java:S9001', type: 'VULNERABILITY' },
  { key: 'java:S9002', type: 'VULNERABILITY' },
  { key: 'java:S2259', type: 'BUG' },
  { key: 'java:S1481', type: 'CODE_SMELL' },
  { key: 'java:S1192', type: 'CODE_SMELL' },
];

const severities = ['BLOCKER', 'CRITICAL', 'MAJOR', 'MINOR', 'INFO'];
const impactSeverity: Record<string, string> = {
  BLOCKER: 'BLOCKER',
  CRITICAL: 'HIGH',
  MAJOR: 'MEDIUM',
  MINOR: 'LOW',
  INFO: 'INFO',
};
const quality: Record<Rule['type'], string> = {
  VULNERABILITY: 'SECURITY',
  BUG: 'RELIABILITY',
  CODE_SMELL: 'MAINTAINABILITY',
};

function fileOf(n: number): string {
  return `${projectKey}:src/main/java/com/example/m${n % 40}/Service${n % 2000}.java`;
}

function issue(n: number) {
  const rule = rules[n % rules.length]!;
  const severity = severities[(n >> 3) % severities.length]!;
  const resolved = n % 10 === 9;
  const line = 10 + (n % 900);
  const date = '2025-11-03T10:15:30+0000';
  return {
    key: `AZ${n.toString(36).padStart(18, '0')}`,
    rule: rule.key,
    severity,
    component: fileOf(n),
    project: projectKey,
    line,
    hash: (n * 2654435761).toString(16).padStart(32, '0').slice(-32),
    textRange: {
      startLine: line,
      endLine: line,
      startOffset: 4,
      endOffset: 40,
    },
    flows: [],
    status: resolved ? 'CLOSED' : 'OPEN',
    ...(resolved ? { resolution: 'FIXED' } : {}),
    message: `Finding ${n}: review how this value reaches ${rule.key}.`,
    effort: '10min',
    debt: '10min',
    author: 'dev@example.com',
    tags: rule.standards ? ['cwe', 'owasp'] : [],
    creationDate: date,
    updateDate: date,
    // MQR-mode servers send impacts and no type; mix both kinds.
    ...(n % 2 === 0 ? { type: rule.type } : {}),
    scope: 'MAIN',
    quickFixAvailable: false,
    cleanCodeAttribute: 'COMPLETE',
    cleanCodeAttributeCategory: 'INTENTIONAL',
    impacts: [
      {
        softwareQuality: quality[rule.type],
        severity: impactSeverity[severity],
      },
    ],
  };
}

function page(index: number, total: number) {
  const first = index * pageSize;
  const issues = [];
  for (let n = first; n < Math.min(total, first + pageSize); n += 1) {
    issues.push(issue(n));
  }
  const files = [...new Set(issues.map((i) => i.component))];
  return {
    total,
    p: index + 1,
    ps: pageSize,
    paging: { pageIndex: index + 1, pageSize, total },
    effortTotal: total * 10,
    issues,
    components: [
      ...files.map((key) => ({
        key,
        enabled: true,
        qualifier: 'FIL',
        name: key.slice(key.lastIndexOf('/') + 1),
        longName: key.slice(key.indexOf(':') + 1),
        path: key.slice(key.indexOf(':') + 1),
      })),
      { key: projectKey, enabled: true, qualifier: 'TRK', name: 'Bench large' },
    ],
    facets: [],
  };
}

/** The bundle as JSON bytes, with `findings` issues in all. */
export function buildLargeBundle(findings: number): Buffer {
  const pages = Math.ceil(findings / pageSize);
  const issuePages = Array.from({ length: pages }, (_, i) => page(i, findings));
  const securityStandards = Object.fromEntries(
    rules.filter((r) => r.standards).map((r) => [r.key, r.standards]),
  );
  return Buffer.from(
    JSON.stringify({
      projectKey,
      projectName: 'Bench large',
      projectVersion: '3.1.0',
      sonarqube: { issues: issuePages, securityStandards },
    }),
  );
}
