/**
 * Builders for stored reports, so tests state only what they care about.
 */
import { persistReports } from '../../src/ingest/persist.js';
import type { ReportSummary } from '../../src/store/reports.js';
import type { TestServer } from './server.js';

export interface SeedOptions {
  projectVersion: string;
  /** ISO date of the analysis. */
  date?: string;
  projectKey?: string;
  projectName?: string;
  reportType?: string;
  reportVersion?: number;
  vulnerabilitiesCount?: number;
  securityRating?: string;
  files?: Array<{ name: string; contentType: string; text: string }>;
}

let counter = 0;

/** Stores one report through the same path as ingest; returns it. */
export async function seedReport(
  server: TestServer,
  orgId: string,
  options: SeedOptions,
): Promise<ReportSummary> {
  counter += 1;
  const date = new Date(options.date ?? Date.UTC(2025, 0, 1, 0, 0, counter));
  const files = options.files ?? [
    {
      name: 'report.html',
      contentType: 'text/html',
      text: `<p>${options.projectVersion}</p>`,
    },
    { name: 'report.pdf', contentType: 'application/pdf', text: '%PDF-1.4' },
  ];
  const result = await persistReports(
    server.runtime,
    orgId,
    {
      projectKey: options.projectKey ?? 'product',
      projectName: options.projectName ?? 'Test product',
    },
    [
      {
        projectVersion: options.projectVersion,
        reportType: options.reportType ?? 'CWE Top 25',
        reportVersion: options.reportVersion ?? 2024,
        date: date.getTime() * 1000,
        vulnerabilitiesCount: options.vulnerabilitiesCount ?? 0,
        securityRating: options.securityRating ?? 'A',
        unmappedCount: 0,
        files: files.map((f) => ({ ...f, bytes: Buffer.from(f.text) })),
      },
    ],
  );
  return result.reports[0]!;
}
