/**
 * Reads and validates a bundle of raw SonarQube Web API responses (contract
 * part 2), sent either as one JSON document or as a ZIP of response files.
 * Every problem becomes an `invalid_bundle` error naming the field, and a
 * size limit broken becomes `payload_too_large`; nothing else escapes.
 *
 * ZIP layout. Members are recognized by their file name, in any folder and
 * in any letter case; members with other names (READMEs, folders) are
 * skipped without being inflated:
 *
 * - `bundle.json` or `metadata.json` (at most one): the top-level fields
 *   (`projectKey`, `projectName`, `projectVersion`, `analysisDate`,
 *   `standards`, `mode`), optionally with a `sonarqube` object whose parts
 *   are combined with the files below;
 * - `issues*.json`: api/issues/search responses, one page per file;
 * - `hotspots*.json`: api/hotspots/search responses;
 * - `rules*.json`: api/rules/search or api/rules/show responses;
 * - `measures*.json`: the api/measures/component response (at most one);
 * - `analyses*.json`, `project_analyses*.json`: api/project_analyses/search;
 * - `securityStandards*.json`, `security_standards*.json`: the rule key ->
 *   standard keys map; several files are merged.
 *
 * Files are taken in name order, numbers compared as numbers, so that
 * `issues-2.json` comes before `issues-10.json`.
 */
import { HubError } from '../errors.js';
import type { RuleFacts } from '../domain/classify.js';
import {
  readAnalyses,
  readHotspotResponses,
  readIssueResponses,
  readMeasures,
  readRules,
  readSecurityStandards,
  type HotspotSearchResponse,
  type IssueSearchResponse,
  type MeasuresComponent,
  type ProjectAnalysis,
} from './responses.js';
import {
  at,
  expectObject,
  invalid,
  optionalDate,
  optionalString,
  optionalStringList,
  requiredString,
  type JsonObject,
} from './shape.js';
import {
  readZipMembers,
  type ZipLimits,
  type ZipMember,
} from './zip-members.js';

export type * from './responses.js';

/** `mqr`: rate by SECURITY impacts even where issues carry a `type`. */
export type AnalysisMode = 'standard' | 'mqr';

/** A validated bundle, cut down to what Report Hub reads. */
export interface Bundle {
  projectKey: string;
  projectName?: string;
  projectVersion?: string;
  analysisDate?: Date;
  standards?: string[];
  mode?: AnalysisMode;
  sonarqube: {
    /** At least one response; each may hold no issues. */
    issues: IssueSearchResponse[];
    hotspots: HotspotSearchResponse[];
    rules: RuleFacts[];
    measures?: MeasuresComponent;
    analyses: ProjectAnalysis[];
    securityStandards: Record<string, string[]>;
  };
}

/** For JSON, `maxTotalBytes` bounds the document itself. */
export type BundleLimits = ZipLimits;

export const defaultBundleLimits: Readonly<BundleLimits> = {
  maxEntries: 10_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
};

type Part = keyof Bundle['sonarqube'];

interface RawParts {
  top?: { value: unknown; path: string };
  parts: Array<{ part: Part; value: unknown; path: string }>;
}

function readMode(obj: JsonObject, path: string): AnalysisMode | undefined {
  const mode = optionalString(obj, 'mode', path);
  if (mode === undefined) return undefined;
  const lower = mode.toLowerCase();
  if (lower === 'mqr' || lower === 'standard') return lower;
  throw invalid(at(path, 'mode'), 'must be "mqr" or "standard"');
}

function readStandards(obj: JsonObject, path: string): string[] | undefined {
  const standards = optionalStringList(obj, 'standards', path);
  if (standards?.length === 0) {
    throw invalid(
      at(path, 'standards'),
      'must name at least one standard, or be left out for the defaults',
    );
  }
  return standards;
}

function readTop(value: unknown, path: string): Omit<Bundle, 'sonarqube'> {
  const obj = expectObject(value, path);
  return {
    projectKey: requiredString(obj, 'projectKey', path),
    projectName: optionalString(obj, 'projectName', path),
    projectVersion: optionalString(obj, 'projectVersion', path),
    analysisDate: optionalDate(obj, 'analysisDate', path),
    standards: readStandards(obj, path),
    mode: readMode(obj, path),
  };
}

function emptyParts(): Bundle['sonarqube'] {
  return {
    issues: [],
    hotspots: [],
    rules: [],
    analyses: [],
    securityStandards: Object.create(null),
  };
}

function addPart(
  into: Bundle['sonarqube'],
  part: Part,
  value: unknown,
  path: string,
): void {
  if (value === undefined || value === null) return;
  switch (part) {
    case 'issues':
      into.issues.push(...readIssueResponses(value, path));
      return;
    case 'hotspots':
      into.hotspots.push(...readHotspotResponses(value, path));
      return;
    case 'rules':
      into.rules.push(...readRules(value, path));
      return;
    case 'analyses':
      into.analyses.push(...readAnalyses(value, path));
      return;
    case 'securityStandards':
      Object.assign(into.securityStandards, readSecurityStandards(value, path));
      return;
    case 'measures':
      if (into.measures !== undefined) {
        throw invalid(path, 'is a second measures response; send only one');
      }
      into.measures = readMeasures(value, path);
  }
}

const partNames: readonly Part[] = [
  'issues',
  'hotspots',
  'rules',
  'measures',
  'analyses',
  'securityStandards',
];

/** Splits a JSON bundle's `sonarqube` object into its parts. */
function inlineParts(top: unknown, path: string): RawParts['parts'] {
  const obj = expectObject(top, path);
  if (obj.sonarqube === undefined) return [];
  const where = at(path, 'sonarqube');
  const sonarqube = expectObject(obj.sonarqube, where);
  return partNames.map((part) => ({
    part,
    value: sonarqube[part],
    path: at(where, part),
  }));
}

function assemble(raw: RawParts, missingIssues: string): Bundle {
  if (raw.top === undefined) {
    throw invalid('', 'has no bundle.json or metadata.json giving projectKey');
  }
  const top = readTop(raw.top.value, raw.top.path);
  const sonarqube = emptyParts();
  for (const { part, value, path } of raw.parts) {
    addPart(sonarqube, part, value, path);
  }
  if (sonarqube.issues.length === 0) {
    throw new HubError('invalid_bundle', `The bundle ${missingIssues}.`, {
      parameter: 'sonarqube.issues',
    });
  }
  return { ...top, sonarqube };
}

/** Validates a bundle that is already parsed JSON. */
export function parseBundle(value: unknown): Bundle {
  return assemble(
    { top: { value, path: '' }, parts: inlineParts(value, '') },
    'has no sonarqube.issues: give at least one api/issues/search response',
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Buffer, what: string): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new HubError('invalid_bundle', `${what} is not UTF-8 text.`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new HubError('invalid_bundle', `${what} is not valid JSON${detail}.`);
  }
}

const memberPatterns: ReadonlyArray<readonly [RegExp, Part | 'top']> = [
  [/^(bundle|metadata)\.json$/i, 'top'],
  [/^issues.*\.json$/i, 'issues'],
  [/^hotspots.*\.json$/i, 'hotspots'],
  [/^rules.*\.json$/i, 'rules'],
  [/^measures.*\.json$/i, 'measures'],
  [/^(project_)?analyses.*\.json$/i, 'analyses'],
  [/^(securityStandards|security_standards).*\.json$/i, 'securityStandards'],
];

function memberKind(name: string): Part | 'top' | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return memberPatterns.find(([pattern]) => pattern.test(base))?.[1];
}

function byName(a: ZipMember, b: ZipMember): number {
  return a.name.localeCompare(b.name, 'en', { numeric: true });
}

function zipParts(members: ZipMember[]): RawParts {
  const raw: RawParts = { parts: [] };
  for (const member of [...members].sort(byName)) {
    const kind = memberKind(member.name);
    const value = parseJson(member.data, member.name);
    const path = `${member.name}: `;
    if (kind !== 'top') {
      raw.parts.push({ part: kind as Part, value, path });
      continue;
    }
    if (raw.top !== undefined) {
      throw invalid(path, 'repeats the bundle metadata; send one bundle.json');
    }
    raw.top = { value, path };
    raw.parts.push(...inlineParts(value, path));
  }
  return raw;
}

/**
 * Reads a bundle from the request body: `json` for one JSON document,
 * `zip` for an archive laid out as described at the top of this file.
 */
export async function readBundle(
  bytes: Buffer,
  contentType: 'json' | 'zip',
  limits: BundleLimits = defaultBundleLimits,
): Promise<Bundle> {
  if (contentType === 'json') {
    if (bytes.length > limits.maxTotalBytes) {
      throw new HubError(
        'payload_too_large',
        `The bundle is larger than ${limits.maxTotalBytes} bytes.`,
      );
    }
    return parseBundle(parseJson(bytes, 'The bundle'));
  }
  const members = await readZipMembers(
    bytes,
    limits,
    (name) => memberKind(name) !== undefined,
  );
  return assemble(
    zipParts(members),
    'has no issues*.json file and no sonarqube.issues in bundle.json',
  );
}
