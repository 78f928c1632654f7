/**
 * Listing an org's reports: versions compare on (major, minor, patch,
 * pre-release key) in SQL, pages follow the (date desc, id) order with a
 * keyset cursor, and repeated questions are answered from the list cache.
 */
import { CompiledQuery, sql } from 'kysely';
import type { NormalizedVersion } from '../domain/version.js';
import type { Db } from './db.js';
import { ListCache } from './list-cache.js';
import { summaryQuery, type ReportSummary } from './reports.js';
import type { Micros } from './schema.js';

export interface VersionFilter {
  exact?: NormalizedVersion;
  min?: NormalizedVersion;
  max?: NormalizedVersion;
}

export interface Cursor {
  date: Micros;
  id: string;
}

/** One page of a list; the same object while the org's reports are unchanged. */
export interface ListPage {
  reports: ReportSummary[];
  next?: Cursor;
}

function versionTuple(v: NormalizedVersion) {
  return sql`(${v.major}, ${v.minor}, ${v.patch}, ${v.pre})`;
}

const versionColumns = sql`(r.ver_major, r.ver_minor, r.ver_patch, r.ver_pre)`;

const generationSql = {
  sqlite: 'select reports_generation from organizations where id = ?',
  postgres: 'select reports_generation from organizations where id = $1',
};

/**
 * The org's report generation, in SQL written once: this runs on every
 * list request, where building the query cost more than running it.
 */
async function readGeneration(
  db: Db,
  orgId: string,
): Promise<{ reports_generation: number } | undefined> {
  const query = CompiledQuery.raw(generationSql[db.dialect], [orgId]);
  const { rows } = await db.kysely.executeQuery<{
    reports_generation: number;
  }>(query);
  return rows[0];
}

/**
 * One page of an org's reports, newest first, from the cache when the org's
 * reports have not changed since the page was read.
 */
export async function listReports(
  db: Db,
  orgId: string,
  filter: VersionFilter,
  page: { limit: number; after?: Cursor | undefined },
): Promise<ListPage> {
  const org = await readGeneration(db, orgId);
  if (!org) return { reports: [] };

  const key = ListCache.key(orgId, org.reports_generation, { filter, page });
  const cached = db.listCache.get(key);
  if (cached) return cached;
  const fresh = await queryReports(db, orgId, filter, page);
  db.listCache.set(key, fresh);
  return fresh;
}

/** One page from the database; `limit + 1` rows to peek. */
async function queryReports(
  db: Db,
  orgId: string,
  filter: VersionFilter,
  page: { limit: number; after?: Cursor | undefined },
): Promise<ListPage> {
  let query = summaryQuery(db.kysely).where('r.org_id', '=', orgId);

  if (filter.exact) {
    const v = filter.exact;
    query = query
      .where('r.ver_major', '=', v.major)
      .where('r.ver_minor', '=', v.minor)
      .where('r.ver_patch', '=', v.patch)
      .where('r.ver_pre', '=', v.pre);
  }
  if (filter.min) {
    query = query.where(
      sql<boolean>`${versionColumns} >= ${versionTuple(filter.min)}`,
    );
  }
  if (filter.max) {
    query = query.where(
      sql<boolean>`${versionColumns} <= ${versionTuple(filter.max)}`,
    );
  }
  if (page.after) {
    const { date, id } = page.after;
    // The first bound is implied by the second; stated alone it lets the
    // planner walk the (org, date) index instead of scanning (the OR hides
    // it): 190 µs against 700 µs per page in the benchmark.
    query = query
      .where('r.date_us', '<=', date)
      .where((eb) =>
        eb.or([
          eb('r.date_us', '<', date),
          eb.and([eb('r.date_us', '=', date), eb('r.id', '>', id)]),
        ]),
      );
  }

  const rows = await query
    .orderBy('r.date_us', 'desc')
    .orderBy('r.id', 'asc')
    .limit(page.limit + 1)
    .execute();

  if (rows.length <= page.limit) return { reports: rows };
  const reports = rows.slice(0, page.limit);
  const last = reports[reports.length - 1]!;
  return { reports, next: { date: last.date, id: last.id } };
}
