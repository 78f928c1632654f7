/**
 * Reading the public API's query parameters into domain values, with the
 * catalogue's codes for each way they can be wrong.
 */
import { HubError } from '../errors.js';
import {
  compareVersions,
  parseVersion,
  type NormalizedVersion,
} from '../domain/version.js';
import type { Cursor, VersionFilter } from '../store/report-list.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID in lower case; any case is accepted. */
export function readUuid(value: string, parameter: string): string {
  if (!UUID.test(value)) {
    throw new HubError(
      'invalid_parameter',
      `"${parameter}" must be a UUID such as 00000000-0000-0000-0000-000000000001.`,
      { parameter },
    );
  }
  return value.toLowerCase();
}

function readVersion(
  value: string | undefined,
  parameter: string,
): NormalizedVersion | undefined {
  if (value === undefined) return undefined;
  const version = parseVersion(value);
  if (!version) {
    throw new HubError(
      'invalid_version',
      `"${parameter}" is not a version: use SemVer such as 1.2.3, 1.0 or 2.0.0-rc.1.`,
      { parameter },
    );
  }
  return version;
}

/** version, minver and maxver as a filter: at least one, minver <= maxver. */
export function readVersionFilter(query: {
  version?: string | undefined;
  minver?: string | undefined;
  maxver?: string | undefined;
}): VersionFilter {
  const filter: VersionFilter = {};
  const exact = readVersion(query.version, 'version');
  const min = readVersion(query.minver, 'minver');
  const max = readVersion(query.maxver, 'maxver');
  if (!exact && !min && !max) throw new HubError('version_filter_required');
  if (min && max && compareVersions(min, max) > 0) {
    throw new HubError('invalid_version_range', undefined, {
      parameter: 'minver',
    });
  }
  if (exact) filter.exact = exact;
  if (min) filter.min = min;
  if (max) filter.max = max;
  return filter;
}

/** The pageToken for the page after this cursor. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.date}.${cursor.id}`).toString('base64url');
}

/** The cursor in a pageToken; invalid_page_token when it is not ours. */
export function decodeCursor(token: string | undefined): Cursor | undefined {
  if (token === undefined) return undefined;
  const text = Buffer.from(token, 'base64url').toString();
  const match = /^(-?\d{1,19})\.([0-9a-f-]{36})$/.exec(text);
  if (!match) {
    throw new HubError('invalid_page_token', undefined, {
      parameter: 'pageToken',
    });
  }
  return { date: Number(match[1]), id: match[2]! };
}

export const MAX_DOWNLOAD_REPORTS = 100;

/** Report IDs for a download: deduplicated, 1 to 100, each a UUID. */
export function readReportIds(values: string[]): string[] {
  const ids = [...new Set(values.map((v) => readUuid(v, 'reports')))];
  if (ids.length === 0) {
    throw new HubError('missing_parameter', 'Give at least one report ID.', {
      parameter: 'reports',
    });
  }
  if (ids.length > MAX_DOWNLOAD_REPORTS) {
    throw new HubError(
      'too_many_reports',
      `At most ${MAX_DOWNLOAD_REPORTS} report IDs can be downloaded at once; got ${ids.length}.`,
      { parameter: 'reports' },
    );
  }
  return ids;
}
