/**
 * Reports and their files: storing them with their events, and reading
 * them back for downloads and webhook bodies. Listing is report-list.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import { parseVersion } from '../domain/version.js';
import { isUniqueViolation, type Db } from './db.js';
import { recordEvent, type EventType } from './events.js';
import { newId, newUuid, nowMicros } from './ids.js';
import type { Database, Micros } from './schema.js';

/** One report as the list API and webhooks show it. */
export interface ReportSummary {
  projectName: string;
  id: string;
  reportType: string;
  reportVersion: number;
  projectVersion: string;
  date: Micros;
  uploadDate: Micros;
  vulnerabilitiesCount: number;
  securityRating: string;
}

export interface ReportFile {
  name: string;
  storageKey: string;
  size: number;
  contentType: string;
}

/** A report with what the ZIP needs: its files and folder name parts. */
export interface ReportWithFiles extends ReportSummary {
  reportFileName: string;
  files: ReportFile[];
}

/** A report to store: its identity, its figures and its files. */
export interface NewReport {
  projectVersion: string;
  reportType: string;
  reportVersion: number;
  date: Micros;
  vulnerabilitiesCount: number;
  securityRating: string;
  unmappedCount: number;
  files: ReportFile[];
}

export interface ProductRef {
  projectKey: string;
  projectName: string;
}

export interface SaveResult {
  /** True when at least one report did not exist before. */
  created: boolean;
  reports: ReportSummary[];
}

type Query = Kysely<Database>;

/** The select behind every ReportSummary: a report joined to its product. */
export function summaryQuery(db: Query) {
  return db
    .selectFrom('reports as r')
    .innerJoin('products as p', 'p.id', 'r.product_id')
    .select([
      'p.name as projectName',
      'r.id',
      'r.report_type as reportType',
      'r.report_version as reportVersion',
      'r.project_version as projectVersion',
      'r.date_us as date',
      'r.upload_date_us as uploadDate',
      'r.vulnerabilities_count as vulnerabilitiesCount',
      'r.security_rating as securityRating',
    ]);
}

/** The org's reports among `ids`, with their files; missing IDs are absent. */
export async function findReportsWithFiles(
  db: Db,
  orgId: string,
  ids: string[],
): Promise<ReportWithFiles[]> {
  if (ids.length === 0) return [];
  const rows = await summaryQuery(db.kysely)
    .select(['p.report_file_name as reportFileName'])
    .where('r.org_id', '=', orgId)
    .where('r.id', 'in', ids)
    .orderBy('r.date_us', 'desc')
    .orderBy('r.id', 'asc')
    .execute();
  const files = await db.kysely
    .selectFrom('report_files')
    .select([
      'report_id',
      'name',
      'storage_key as storageKey',
      'size_bytes as size',
      'content_type as contentType',
    ])
    .where('report_id', 'in', ids)
    .orderBy('name')
    .execute();

  return rows.map(({ reportFileName, ...summary }) => ({
    ...summary,
    reportFileName: reportFileName ?? summary.projectName,
    files: files
      .filter((f) => f.report_id === summary.id)
      .map(({ report_id: _, ...file }) => file),
  }));
}

/** Reports by ID in list order, for event bodies. */
export async function findReportSummaries(
  db: Query,
  ids: string[],
): Promise<ReportSummary[]> {
  if (ids.length === 0) return [];
  return summaryQuery(db)
    .where('r.id', 'in', ids)
    .orderBy('r.date_us', 'desc')
    .orderBy('r.id', 'asc')
    .execute();
}

async function upsertProduct(
  trx: Transaction<Database>,
  orgId: string,
  product: ProductRef,
): Promise<string> {
  const existing = await trx
    .selectFrom('products')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('project_key', '=', product.projectKey)
    .executeTakeFirst();
  if (existing) {
    // The latest analysis names the product, as SonarQube does: a project
    // renamed there is renamed here, for all of its reports.
    if (existing.name !== product.projectName) {
      await trx
        .updateTable('products')
        .set({ name: product.projectName })
        .where('id', '=', existing.id)
        .execute();
    }
    return existing.id;
  }

  const id = newId('prd');
  await trx
    .insertInto('products')
    .values({
      id,
      org_id: orgId,
      project_key: product.projectKey,
      name: product.projectName,
      report_file_name: null,
      sonar_url: null,
      created_at_us: nowMicros(),
    })
    .execute();
  return id;
}

/** The normalized version columns of a stored version; nulls if not SemVer. */
export function versionColumnsOf(projectVersion: string) {
  const v = parseVersion(projectVersion);
  return {
    ver_major: v?.major ?? null,
    ver_minor: v?.minor ?? null,
    ver_patch: v?.patch ?? null,
    ver_pre: v?.pre ?? null,
  };
}

/** Inserts or replaces one report; returns its ID and whether it is new. */
async function upsertReport(
  trx: Transaction<Database>,
  orgId: string,
  productId: string,
  report: NewReport,
  uploadDate: Micros,
): Promise<{ id: string; created: boolean }> {
  const existing = await trx
    .selectFrom('reports')
    .select('id')
    .where('org_id', '=', orgId)
    .where('product_id', '=', productId)
    .where('project_version', '=', report.projectVersion)
    .where('report_type', '=', report.reportType)
    .where('report_version', '=', report.reportVersion)
    .executeTakeFirst();

  const values = {
    date_us: report.date,
    upload_date_us: uploadDate,
    vulnerabilities_count: report.vulnerabilitiesCount,
    security_rating: report.securityRating,
    unmapped_count: report.unmappedCount,
  };
  const id = existing?.id ?? newUuid();
  if (existing) {
    await trx.updateTable('reports').set(values).where('id', '=', id).execute();
    await trx.deleteFrom('report_files').where('report_id', '=', id).execute();
  } else {
    await trx
      .insertInto('reports')
      .values({
        id,
        org_id: orgId,
        product_id: productId,
        project_version: report.projectVersion,
        ...versionColumnsOf(report.projectVersion),
        report_type: report.reportType,
        report_version: report.reportVersion,
        ...values,
      })
      .execute();
  }

  await trx
    .insertInto('report_files')
    .values(
      report.files.map((f) => ({
        report_id: id,
        name: f.name,
        storage_key: f.storageKey,
        size_bytes: f.size,
        content_type: f.contentType,
      })),
    )
    .execute();
  return { id, created: !existing };
}

/**
 * Stores reports whose files are already in the file store, and the events
 * that announce them, in one transaction: a report is never visible without
 * its event, nor an event without its report.
 */
export async function saveReports(
  db: Db,
  orgId: string,
  product: ProductRef,
  reports: NewReport[],
): Promise<SaveResult> {
  try {
    return await saveReportsOnce(db, orgId, product, reports);
  } catch (error) {
    // Two ingests of a new identity can race to insert it (PostgreSQL runs
    // them side by side). The loser retries once and finds the winner's
    // row, which it then replaces, as a later ingest would.
    if (!isUniqueViolation(error)) throw error;
    return saveReportsOnce(db, orgId, product, reports);
  }
}

/** Invalidates the org's cached list pages, in the same transaction. */
async function bumpReportsGeneration(
  trx: Transaction<Database>,
  orgId: string,
): Promise<void> {
  await trx
    .updateTable('organizations')
    .set((eb) => ({ reports_generation: eb('reports_generation', '+', 1) }))
    .where('id', '=', orgId)
    .execute();
}

async function saveReportsOnce(
  db: Db,
  orgId: string,
  product: ProductRef,
  reports: NewReport[],
): Promise<SaveResult> {
  return db.kysely.transaction().execute(async (trx) => {
    const productId = await upsertProduct(trx, orgId, product);
    await bumpReportsGeneration(trx, orgId);
    const uploadDate = nowMicros();
    const ids: Record<EventType, string[]> = {
      'report.created': [],
      'report.updated': [],
    };

    for (const report of reports) {
      const saved = await upsertReport(
        trx,
        orgId,
        productId,
        report,
        uploadDate,
      );
      ids[saved.created ? 'report.created' : 'report.updated'].push(saved.id);
    }
    for (const [type, reportIds] of Object.entries(ids)) {
      if (reportIds.length > 0) {
        await recordEvent(trx, { orgId, type: type as EventType, reportIds });
      }
    }

    const all = [...ids['report.created'], ...ids['report.updated']];
    return {
      created: ids['report.created'].length > 0,
      reports: await findReportSummaries(trx, all),
    };
  });
}

/** Storage keys no report file points at any more, among `keys`. */
export async function unreferencedKeys(
  db: Db,
  keys: string[],
): Promise<string[]> {
  if (keys.length === 0) return [];
  const used = await db.kysely
    .selectFrom('report_files')
    .select('storage_key')
    .where('storage_key', 'in', keys)
    .execute();
  const usedSet = new Set(used.map((row) => row.storage_key));
  return keys.filter((key) => !usedSet.has(key));
}
