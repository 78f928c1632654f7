/**
 * Seeds a few large reports through the store's own path (file store, then
 * saveReports), with random bytes standing in for the PDFs: random bytes
 * do not compress, like real PDFs, and each file is stored separately.
 */
import { randomBytes } from 'node:crypto';
import type { Runtime } from '../../src/runtime.js';
import { createOrganization } from '../../src/store/orgs.js';
import { saveReports, type ReportFile } from '../../src/store/reports.js';

export interface LargeReports {
  orgId: string;
  /** Report IDs in the order seeded. */
  reportIds: string[];
  /** One stored file holding the bytes of the first `baselineOf` reports. */
  baseline: { key: string; size: number };
}

const hourUs = 3_600_000_000;

async function storeFile(
  runtime: Runtime,
  name: string,
  contentType: string,
  bytes: Buffer,
): Promise<ReportFile> {
  const { key, size } = await runtime.files.put(bytes);
  return { name, storageKey: key, size, contentType };
}

export async function seedLargeReports(
  runtime: Runtime,
  options: { count: number; fileBytes: number; baselineOf: number },
  progress: (done: number) => void,
): Promise<LargeReports> {
  const org = await createOrganization(runtime.db, 'Large reports');
  const reportIds: string[] = [];
  const baselineParts: Buffer[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const html = Buffer.from(`<!doctype html><title>Report ${i}</title>`);
    const pdf = randomBytes(options.fileBytes);
    if (i < options.baselineOf) baselineParts.push(html, pdf);
    const files = [
      await storeFile(runtime, 'report.html', 'text/html; charset=utf-8', html),
      await storeFile(runtime, 'report.pdf', 'application/pdf', pdf),
    ];
    const saved = await saveReports(
      runtime.db,
      org.id,
      { projectKey: 'large', projectName: 'Large product' },
      [
        {
          projectVersion: `1.0.${i}`,
          reportType: 'CWE Top 25',
          reportVersion: 2024,
          date: Date.UTC(2025, 0, 1) * 1000 + i * hourUs,
          vulnerabilitiesCount: 3,
          securityRating: 'C',
          unmappedCount: 0,
          files,
        },
      ],
    );
    reportIds.push(saved.reports[0]!.id);
    progress(i + 1);
  }
  const baseline = await runtime.files.put(Buffer.concat(baselineParts));
  return { orgId: org.id, reportIds, baseline };
}
