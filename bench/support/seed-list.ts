/**
 * Seeds many small reports straight through SQL, in the rows ingest writes
 * (products, reports with their version columns as the store fills them, two
 * files each, one event per analysis), but in bulk: 100,000 reports through
 * the HTTP ingest would take longer than the whole bench may.
 */
import { versionColumnsOf } from '../../src/store/reports.js';
import type { Transaction } from 'kysely';
import type { Runtime } from '../../src/runtime.js';
import { newId, newUuid, nowMicros } from '../../src/store/ids.js';
import { createOrganization } from '../../src/store/orgs.js';
import type { Database, ReportsTable } from '../../src/store/schema.js';

export interface ListPlan {
  orgs: number;
  productsPerOrg: number;
  versionsPerProduct: number;
}

const standards = [
  { report_type: 'CWE Top 25', report_version: 2024 },
  { report_type: 'OWASP Top 10', report_version: 2021 },
];

export const reportsPerVersion = standards.length;

const ratings = ['A', 'B', 'C', 'D', 'E'];
const hourUs = 3_600_000_000;
const startUs = Date.UTC(2023, 0, 1) * 1000;
/** Rows per INSERT: below SQLite's and PostgreSQL's bound-parameter caps. */
const batchRows = 500;

/** `1.0.0` .. `2.4.9`; every seventh is a release candidate. */
export function versionAt(index: number): string {
  const core = `${1 + Math.floor(index / 50)}.${Math.floor((index % 50) / 10)}.${index % 10}`;
  return index % 7 === 6 ? `${core}-rc.1` : core;
}

async function insertInBatches<T extends keyof Database>(
  trx: Transaction<Database>,
  table: T,
  rows: Database[T][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += batchRows) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + batchRows) as never)
      .execute();
  }
}

interface OrgRows {
  products: Database['products'][];
  reports: ReportsTable[];
  files: Database['report_files'][];
  events: Database['events'][];
}

function orgRows(
  orgId: string,
  plan: ListPlan,
  fileKeys: { html: string; pdf: string },
): OrgRows {
  const rows: OrgRows = { products: [], reports: [], files: [], events: [] };
  for (let p = 0; p < plan.productsPerOrg; p += 1) {
    const productId = newId('prd');
    rows.products.push({
      id: productId,
      org_id: orgId,
      project_key: `product-${p}`,
      name: `Product ${p}`,
      report_file_name: null,
      sonar_url: null,
      created_at_us: nowMicros(),
    });
    for (let v = 0; v < plan.versionsPerProduct; v += 1) {
      const date = startUs + (v * plan.productsPerOrg + p) * hourUs;
      const ids = standards.map((standard, s) => {
        const id = newUuid();
        const projectVersion = versionAt(v);
        rows.reports.push({
          id,
          org_id: orgId,
          product_id: productId,
          project_version: projectVersion,
          ...versionColumnsOf(projectVersion),
          ...standard,
          date_us: date,
          upload_date_us: date + 60_000_000,
          vulnerabilities_count: (v * 7 + p + s) % 40,
          security_rating: ratings[(v + p + s) % ratings.length]!,
          unmapped_count: 0,
        });
        rows.files.push(
          fileRow(id, 'report.html', fileKeys.html, 'text/html; charset=utf-8'),
          fileRow(id, 'report.pdf', fileKeys.pdf, 'application/pdf'),
        );
        return id;
      });
      rows.events.push({
        id: newId('evt'),
        org_id: orgId,
        type: 'report.created',
        report_ids: JSON.stringify(ids),
        created_at_us: date + 60_000_000,
      } as Database['events']);
    }
  }
  return rows;
}

function fileRow(
  reportId: string,
  name: string,
  key: string,
  contentType: string,
): Database['report_files'] {
  return {
    report_id: reportId,
    name,
    storage_key: key,
    size_bytes: 1024,
    content_type: contentType,
  };
}

/** Stores `plan.orgs` organizations full of reports; returns their IDs. */
export async function seedReportList(
  runtime: Runtime,
  plan: ListPlan,
  progress: (done: number) => void,
): Promise<string[]> {
  // Every report shares two small files, as identical bytes would.
  const html = await runtime.files.put(Buffer.alloc(1024, 'h'));
  const pdf = await runtime.files.put(Buffer.alloc(1024, 'p'));
  const orgIds: string[] = [];
  for (let o = 0; o < plan.orgs; o += 1) {
    const org = await createOrganization(runtime.db, `Organization ${o}`);
    const rows = orgRows(org.id, plan, { html: html.key, pdf: pdf.key });
    await runtime.db.kysely.transaction().execute(async (trx) => {
      await insertInBatches(trx, 'products', rows.products);
      await insertInBatches(trx, 'reports', rows.reports);
      await insertInBatches(trx, 'report_files', rows.files);
      await insertInBatches(trx, 'events', rows.events);
    });
    orgIds.push(org.id);
    progress(orgIds.length);
  }
  return orgIds;
}
