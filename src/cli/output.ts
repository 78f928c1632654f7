/**
 * How commands speak: a human line by default, JSON with `--json`, and one
 * clear line on stderr for a failure.
 */
import { isHubError } from '../errors.js';

export function print(json: boolean, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human}\n`);
}

/** The single line a failed command prints. */
export function failureLine(error: unknown): string {
  if (isHubError(error)) return `error: ${error.message} (${error.code})`;
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}

/** The fields of a report that one line shows. */
export interface ReportLineFields {
  id: string;
  projectName: string;
  projectVersion: string;
  reportType: string;
  reportVersion: number;
  vulnerabilitiesCount: number;
  securityRating: string;
}

/** `<id>  Acme 1.4.2  CWE Top 25 2024  3 vulnerabilities, rating C` */
export function reportLine(r: ReportLineFields): string {
  const product = `${r.projectName} ${r.projectVersion}`;
  const standard = `${r.reportType} ${r.reportVersion}`;
  const figures = `${r.vulnerabilitiesCount} vulnerabilities, rating ${r.securityRating}`;
  return `${r.id}  ${product}  ${standard}  ${figures}`;
}
