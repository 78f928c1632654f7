/**
 * Worker-thread entry: builds reports off the main thread, so a bundle with
 * 50,000 findings does not stall other requests while it is analysed and
 * rendered.
 */
import { parentPort } from 'node:worker_threads';
import { isHubError } from '../errors.js';
import { buildAnalysisReports, type BundleFormat } from './build.js';
import type { BundleLimits } from './bundle.js';

export interface BuildJob {
  jobId: number;
  bytes: Uint8Array;
  format: BundleFormat;
  limits: BundleLimits;
}

parentPort?.on('message', async (job: BuildJob) => {
  try {
    const result = await buildAnalysisReports(
      job.bytes,
      job.format,
      job.limits,
    );
    const transfer = result.reports.flatMap((r) => [
      r.html.buffer as ArrayBuffer,
      r.pdf.buffer as ArrayBuffer,
    ]);
    parentPort!.postMessage({ jobId: job.jobId, result }, transfer);
  } catch (error) {
    const hubError = isHubError(error)
      ? { code: error.code, message: error.message, parameter: error.parameter }
      : undefined;
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error ? error.stack : undefined;
    parentPort!.postMessage({ jobId: job.jobId, hubError, message, stack });
  }
});
