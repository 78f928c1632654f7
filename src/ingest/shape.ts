/**
 * Small readers for untrusted JSON. Each one names the exact field it
 * rejects, as a path like `sonarqube.issues[0].issues[3].key`, so that whoever
 * built the bundle can find the mistake without reading our code.
 */
import { HubError } from '../errors.js';

export type JsonObject = Record<string, unknown>;

/**
 * `a.b` + `c` -> `a.b.c`; `a` + 3 -> `a[3]`. A ZIP member's paths start
 * with `name.json: ` (ending in a space), which takes the key directly.
 */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (path === '' || path.endsWith(' ')) return path + key;
  return `${path}.${key}`;
}

/** The error for one field of the bundle. */
export function invalid(path: string, problem: string): HubError {
  const where = path.trim() === '' ? 'The bundle' : path.trim();
  return new HubError('invalid_bundle', `${where} ${problem}.`, {
    parameter: path.trim() === '' ? undefined : path.trim(),
  });
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw invalid(path, 'must be a JSON object');
  return value;
}

export function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(path, 'must be a JSON array');
  return value;
}

/**
 * Several SonarQube responses (one per page) or a single one: people who
 * fetch one page by hand should not have to wrap it in a list.
 */
export function listOrOne(value: unknown, path: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return [value];
  throw invalid(path, 'must be a response object or a list of them');
}

// SonarQube writes `null` for absent values in some versions, so null and a
// missing field mean the same.
export function optionalString(
  obj: JsonObject,
  key: string,
  path: string,
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw invalid(at(path, key), 'must be a string');
  return value;
}

export function requiredString(
  obj: JsonObject,
  key: string,
  path: string,
): string {
  const value = optionalString(obj, key, path);
  if (value === undefined || value.trim() === '') {
    throw invalid(at(path, key), 'must be a non-empty string');
  }
  return value;
}

export function optionalLine(
  obj: JsonObject,
  key: string,
  path: string,
): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw invalid(at(path, key), 'must be a whole number of 0 or more');
  }
  return value as number;
}

export function optionalStringList(
  obj: JsonObject,
  key: string,
  path: string,
): string[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  return expectArray(value, at(path, key)).map((item, i) => {
    if (typeof item !== 'string') {
      throw invalid(at(at(path, key), i), 'must be a string');
    }
    return item;
  });
}

const latestDate = Date.UTC(2200, 0, 1);

const sonarDate =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads SonarQube's timestamps (`2020-06-24T04:09:37+0000`) as well as
 * ISO 8601 with `Z` or `+00:00`. The offset is required: a time without one
 * would be read in the server's zone and shift every report's date.
 */
export function parseSonarDate(text: string): Date | undefined {
  const match = sonarDate.exec(text.trim());
  if (match === null) return undefined;
  const [, local, zone = 'Z'] = match;
  const offset =
    zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${local}${offset}`);
  // Times are stored as integer microseconds since 1970, exact up to 2^53
  // (the year 2255): no analysis ran before 1970 or runs after 2199.
  const time = date.getTime();
  return Number.isNaN(time) || time < 0 || time >= latestDate
    ? undefined
    : date;
}

export function optionalDate(
  obj: JsonObject,
  key: string,
  path: string,
): Date | undefined {
  const text = optionalString(obj, key, path);
  if (text === undefined) return undefined;
  const date = parseSonarDate(text);
  if (date === undefined) {
    throw invalid(
      at(path, key),
      'must be a date and time between 1970 and 2199 with an offset, ' +
        'like 2025-12-17T09:05:48+0000',
    );
  }
  return date;
}
