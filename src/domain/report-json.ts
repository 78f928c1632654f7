/**
 * The report as the published API shows it: one schema that the list
 * route, the ZIP's manifest.json and webhook bodies all serialize from, so
 * the three are identical byte for byte and keep the published field order.
 */
import { Type, type Static } from '@sinclair/typebox';
import fastJson from 'fast-json-stringify';
import type { SecurityRating } from './model.js';
import { formatTimestamp } from '../store/ids.js';
import type { ReportSummary } from '../store/reports.js';

export const ReportJson = Type.Object(
  {
    projectName: Type.String(),
    id: Type.String({ format: 'uuid' }),
    reportType: Type.String({ examples: ['CWE Top 25'] }),
    reportVersion: Type.Integer({ examples: [2024] }),
    projectVersion: Type.String({ examples: ['1.0'] }),
    date: Type.String({
      description: 'When the analysis ran (UTC, seven fractional digits).',
      examples: ['2025-12-17T09:05:48.5946432+00:00'],
    }),
    uploadDate: Type.String({
      description: 'When the report was stored or last replaced.',
    }),
    vulnerabilitiesCount: Type.Integer({ minimum: 0 }),
    // An enum, not a union of literals: fast-json-stringify serializes a
    // union by validating each branch per value, which made a 100-report
    // page several times slower to write.
    securityRating: Type.Unsafe<SecurityRating>({
      type: 'string',
      enum: ['A', 'B', 'C', 'D', 'E'],
    }),
  },
  { $id: 'Report' },
);

export const ReportListJson = Type.Object({
  organizationId: Type.String({ format: 'uuid' }),
  reports: Type.Array(ReportJson),
  nextPageToken: Type.Optional(
    Type.String({ description: 'Pass as pageToken for the next page.' }),
  ),
});

export type ReportListBody = Static<typeof ReportListJson>;

export function toReportJson(
  summary: ReportSummary,
): Static<typeof ReportJson> {
  return {
    projectName: summary.projectName,
    id: summary.id,
    reportType: summary.reportType,
    reportVersion: summary.reportVersion,
    projectVersion: summary.projectVersion,
    date: formatTimestamp(summary.date),
    uploadDate: formatTimestamp(summary.uploadDate),
    vulnerabilitiesCount: summary.vulnerabilitiesCount,
    securityRating: summary.securityRating as SecurityRating,
  };
}

export function reportListBody(
  organizationId: string,
  summaries: ReportSummary[],
  nextPageToken?: string,
): ReportListBody {
  const body: ReportListBody = {
    organizationId,
    reports: summaries.map(toReportJson),
  };
  if (nextPageToken !== undefined) body.nextPageToken = nextPageToken;
  return body;
}

/** Serializes a list body exactly as the list route does. */
export const stringifyReportList: (body: ReportListBody) => string = fastJson(
  ReportListJson as object,
);
