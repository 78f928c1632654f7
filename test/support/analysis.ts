/** Shared helpers for the analysis tests: standards, lookups, summaries. */
import assert from 'node:assert/strict';
import type { ReportModel } from '../../src/domain/model.js';

export const CWE = 'CWE Top 25:2024';
export const OWASP = 'OWASP Top 10:2021';
export const now = new Date('2026-01-01T00:00:00Z');

export function report(reports: ReportModel[], name: string): ReportModel {
  const found = reports.find(
    (r) => `${r.standard.name}:${r.standard.edition}` === name,
  );
  assert.ok(found, `no ${name} report`);
  return found;
}

/** Count and rating per standard, the way the list API shows them. */
export function summary(reports: ReportModel[]) {
  return Object.fromEntries(
    reports.map((r) => [
      `${r.standard.name}:${r.standard.edition}`,
      [r.vulnerabilitiesCount, r.securityRating],
    ]),
  );
}

/** Non-empty categories as `id count rating`. */
export function busyCategories(model: ReportModel): string[] {
  return model.categories
    .filter((c) => c.vulnerabilitiesCount > 0)
    .map((c) => `${c.id} ${c.vulnerabilitiesCount} ${c.securityRating}`);
}
