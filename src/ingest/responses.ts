/**
 * The SonarQube Web API responses a bundle carries, validated and cut down
 * to the fields Report Hub reads. Unknown fields are dropped rather than
 * rejected: every SonarQube version adds some, and a bundle from a newer
 * server must still be accepted.
 */
import type { RuleFacts } from '../domain/classify.js';
import {
  at,
  expectArray,
  expectObject,
  invalid,
  isObject,
  listOrOne,
  optionalDate,
  optionalLine,
  optionalString,
  optionalStringList,
  requiredString,
  type JsonObject,
} from './shape.js';

/** One entry of an issue's `impacts` (MQR mode). */
export interface SonarImpact {
  softwareQuality: string;
  severity: string;
}

/** An issue from api/issues/search. */
export interface SonarIssue {
  key: string;
  rule: string;
  /** Absent in MQR-mode responses. */
  type?: string;
  severity?: string;
  resolution?: string;
  impacts: SonarImpact[];
  component?: string;
  project?: string;
  line?: number;
  message?: string;
}

export interface SonarComponent {
  key: string;
  name?: string;
  qualifier?: string;
}

export interface IssueSearchResponse {
  issues: SonarIssue[];
  components: SonarComponent[];
}

export interface SonarHotspot {
  key: string;
  status?: string;
}

export interface HotspotSearchResponse {
  hotspots: SonarHotspot[];
}

/** The `component` of api/measures/component. */
export interface MeasuresComponent {
  key?: string;
  name?: string;
  version?: string;
}

/** One analysis of api/project_analyses/search. */
export interface ProjectAnalysis {
  key?: string;
  date?: Date;
  projectVersion?: string;
}

function readImpacts(issue: JsonObject, path: string): SonarImpact[] {
  if (issue.impacts === undefined || issue.impacts === null) return [];
  const where = at(path, 'impacts');
  return expectArray(issue.impacts, where).map((value, i) => {
    const impact = expectObject(value, at(where, i));
    return {
      softwareQuality: requiredString(impact, 'softwareQuality', at(where, i)),
      severity: requiredString(impact, 'severity', at(where, i)),
    };
  });
}

// Issues spanning lines have `textRange` but older servers also set `line`;
// either gives the first line.
function readLine(issue: JsonObject, path: string): number | undefined {
  const line = optionalLine(issue, 'line', path);
  if (line !== undefined || !isObject(issue.textRange)) return line;
  return optionalLine(issue.textRange, 'startLine', at(path, 'textRange'));
}

function readIssue(value: unknown, path: string): SonarIssue {
  const issue = expectObject(value, path);
  return {
    key: requiredString(issue, 'key', path),
    rule: requiredString(issue, 'rule', path),
    type: optionalString(issue, 'type', path),
    severity: optionalString(issue, 'severity', path),
    resolution: optionalString(issue, 'resolution', path) || undefined,
    impacts: readImpacts(issue, path),
    component: optionalString(issue, 'component', path),
    project: optionalString(issue, 'project', path),
    line: readLine(issue, path),
    message: optionalString(issue, 'message', path),
  };
}

function readComponents(response: JsonObject, path: string): SonarComponent[] {
  if (response.components === undefined) return [];
  const where = at(path, 'components');
  return expectArray(response.components, where).map((value, i) => {
    const component = expectObject(value, at(where, i));
    return {
      key: requiredString(component, 'key', at(where, i)),
      name: optionalString(component, 'name', at(where, i)),
      qualifier: optionalString(component, 'qualifier', at(where, i)),
    };
  });
}

/** api/issues/search: one response, or a list of pages. */
export function readIssueResponses(
  value: unknown,
  path: string,
): IssueSearchResponse[] {
  return listOrOne(value, path).map((page, i) => {
    const where = Array.isArray(value) ? at(path, i) : path;
    const response = expectObject(page, where);
    if (response.issues === undefined) {
      throw invalid(
        at(where, 'issues'),
        'is missing; is this api/issues/search?',
      );
    }
    const issues = expectArray(response.issues, at(where, 'issues'));
    return {
      issues: issues.map((v, j) => readIssue(v, at(at(where, 'issues'), j))),
      components: readComponents(response, where),
    };
  });
}

/** api/hotspots/search: one response, or a list of pages. */
export function readHotspotResponses(
  value: unknown,
  path: string,
): HotspotSearchResponse[] {
  return listOrOne(value, path).map((page, i) => {
    const where = Array.isArray(value) ? at(path, i) : path;
    const response = expectObject(page, where);
    const list = expectArray(response.hotspots, at(where, 'hotspots'));
    return {
      hotspots: list.map((v, j) => {
        const hotspot = expectObject(v, at(at(where, 'hotspots'), j));
        const path = at(at(where, 'hotspots'), j);
        return {
          key: requiredString(hotspot, 'key', path),
          status: optionalString(hotspot, 'status', path),
        };
      }),
    };
  });
}

// Every field in which some SonarQube version puts rule documentation:
// htmlDesc and mdDesc (up to 9.x), descriptionSections (10.x and later) and
// the hotspot rule texts of api/hotspots/show.
const descriptionFields = [
  'htmlDesc',
  'mdDesc',
  'riskDescription',
  'vulnerabilityDescription',
  'fixRecommendations',
];

function readDescriptions(rule: JsonObject, path: string): string[] {
  const texts: string[] = [];
  for (const field of descriptionFields) {
    const text = optionalString(rule, field, path);
    if (text) texts.push(text);
  }
  const sections = rule.descriptionSections;
  if (sections === undefined || sections === null) return texts;
  const where = at(path, 'descriptionSections');
  expectArray(sections, where).forEach((value, i) => {
    const section = expectObject(value, at(where, i));
    const text = optionalString(section, 'content', at(where, i));
    if (text) texts.push(text);
  });
  return texts;
}

function readRule(value: unknown, path: string): RuleFacts {
  const rule = expectObject(value, path);
  return {
    key: requiredString(rule, 'key', path),
    securityStandards: optionalStringList(rule, 'securityStandards', path),
    descriptions: readDescriptions(rule, path),
  };
}

/**
 * Rule data from api/rules/search (`rules[]`), api/rules/show (`rule`) or
 * a bare rule object (as in api/hotspots/show); one of them or a list.
 */
export function readRules(value: unknown, path: string): RuleFacts[] {
  return listOrOne(value, path).flatMap((item, i) => {
    const where = Array.isArray(value) ? at(path, i) : path;
    const response = expectObject(item, where);
    if (response.rules !== undefined) {
      const list = expectArray(response.rules, at(where, 'rules'));
      return list.map((rule, j) => readRule(rule, at(at(where, 'rules'), j)));
    }
    if (response.rule !== undefined) {
      return [readRule(response.rule, at(where, 'rule'))];
    }
    return [readRule(response, where)];
  });
}

/** api/measures/component: its `component` is all Report Hub reads. */
export function readMeasures(value: unknown, path: string): MeasuresComponent {
  const response = expectObject(value, path);
  const component = expectObject(response.component, at(path, 'component'));
  const where = at(path, 'component');
  return {
    key: optionalString(component, 'key', where),
    name: optionalString(component, 'name', where),
    version: optionalString(component, 'version', where),
  };
}

/** api/project_analyses/search: one response or pages, flattened. */
export function readAnalyses(value: unknown, path: string): ProjectAnalysis[] {
  return listOrOne(value, path).flatMap((page, i) => {
    const where = Array.isArray(value) ? at(path, i) : path;
    const response = expectObject(page, where);
    const list = expectArray(response.analyses, at(where, 'analyses'));
    return list.map((v, j) => {
      const path = at(at(where, 'analyses'), j);
      const analysis = expectObject(v, path);
      return {
        key: optionalString(analysis, 'key', path),
        date: optionalDate(analysis, 'date', path),
        projectVersion: optionalString(analysis, 'projectVersion', path),
      };
    });
  });
}

/** Rule key -> SonarQube standard keys (`cwe:89`, `owaspTop10-2021:a3`). */
export function readSecurityStandards(
  value: unknown,
  path: string,
): Record<string, string[]> {
  const map = expectObject(value, path);
  const result: Record<string, string[]> = Object.create(null);
  for (const ruleKey of Object.keys(map)) {
    const keys = optionalStringList(map, ruleKey, path);
    if (keys === undefined) throw invalid(at(path, ruleKey), 'must be a list');
    result[ruleKey] = keys;
  }
  return result;
}
