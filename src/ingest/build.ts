/**
 * From the bytes of a bundle to rendered report files: CPU work only, no
 * database and no storage, so it can run in a worker thread.
 */
import { labelProblem } from '../domain/labels.js';
import type { SecurityRating } from '../domain/model.js';
import { HubError } from '../errors.js';
import { renderHtml } from '../render/html.js';
import { renderPdf } from '../render/pdf.js';
import { analyzeBundle } from './analysis.js';
import { readBundle, type BundleLimits } from './bundle.js';

export type BundleFormat = 'json' | 'zip';

export interface BuiltReport {
  reportType: string;
  reportVersion: number;
  vulnerabilitiesCount: number;
  securityRating: SecurityRating;
  unmappedCount: number;
  html: Uint8Array;
  pdf: Uint8Array;
}

export interface BuiltAnalysis {
  projectKey: string;
  projectName: string;
  projectVersion: string;
  /** Milliseconds since the epoch. */
  analysisDate: number;
  reports: BuiltReport[];
}

/** The project's identity must fit the store, wherever it came from. */
function checkLabels(analysis: {
  projectKey: string;
  projectName: string;
  projectVersion: string;
}): void {
  for (const field of [
    'projectKey',
    'projectName',
    'projectVersion',
  ] as const) {
    const problem = labelProblem(field, analysis[field]);
    if (problem) {
      throw new HubError('invalid_bundle', `The bundle's ${problem}.`, {
        parameter: field,
      });
    }
  }
}

/** Bundle bytes to one rendered report per standard (runs in a worker). */
export async function buildAnalysisReports(
  bytes: Uint8Array,
  format: BundleFormat,
  limits: BundleLimits,
): Promise<BuiltAnalysis> {
  const bundle = await readBundle(Buffer.from(bytes), format, limits);
  const analysis = analyzeBundle(bundle, {});
  checkLabels(analysis);

  const reports: BuiltReport[] = [];
  for (const model of analysis.reports) {
    reports.push({
      reportType: model.standard.name,
      reportVersion: model.standard.edition,
      vulnerabilitiesCount: model.vulnerabilitiesCount,
      securityRating: model.securityRating,
      unmappedCount: model.unmapped.length,
      html: Buffer.from(renderHtml(model)),
      pdf: await renderPdf(model),
    });
  }
  return {
    projectKey: analysis.projectKey,
    projectName: analysis.projectName,
    projectVersion: analysis.projectVersion,
    analysisDate: analysis.analysisDate.getTime(),
    reports,
  };
}
