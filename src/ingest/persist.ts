/**
 * The last step of every ingest: file bytes into the file store first, then
 * report rows and their events in one transaction. A crash between the two
 * leaves only unreferenced files, which the sweep removes.
 */
import type { FileStore } from '../store/files/file-store.js';
import type { BuiltAnalysis } from './build.js';
import type { Db } from '../store/db.js';
import {
  saveReports,
  type NewReport,
  type ProductRef,
  type ReportFile,
  type SaveResult,
} from '../store/reports.js';

export interface FileToStore {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

export type ReportToStore = Omit<NewReport, 'files'> & {
  files: FileToStore[];
};

async function storeFiles(
  files: FileStore,
  list: FileToStore[],
): Promise<ReportFile[]> {
  const stored: ReportFile[] = [];
  for (const file of list) {
    const { key, size } = await files.put(Buffer.from(file.bytes));
    stored.push({
      name: file.name,
      storageKey: key,
      size,
      contentType: file.contentType,
    });
  }
  return stored;
}

/** The rendered reports of one analysis as rows and files to store. */
export function builtToStore(built: BuiltAnalysis): ReportToStore[] {
  return built.reports.map((report) => ({
    projectVersion: built.projectVersion,
    reportType: report.reportType,
    reportVersion: report.reportVersion,
    date: built.analysisDate * 1000,
    vulnerabilitiesCount: report.vulnerabilitiesCount,
    securityRating: report.securityRating,
    unmappedCount: report.unmappedCount,
    files: [
      {
        name: 'report.html',
        contentType: 'text/html; charset=utf-8',
        bytes: report.html,
      },
      { name: 'report.pdf', contentType: 'application/pdf', bytes: report.pdf },
    ],
  }));
}

/** Stores the files, then the reports and their events in one transaction. */
export async function persistReports(
  services: { db: Db; files: FileStore },
  orgId: string,
  product: ProductRef,
  reports: ReportToStore[],
): Promise<SaveResult> {
  const ready: NewReport[] = [];
  for (const report of reports) {
    ready.push({
      ...report,
      files: await storeFiles(services.files, report.files),
    });
  }
  return saveReports(services.db, orgId, product, ready);
}
