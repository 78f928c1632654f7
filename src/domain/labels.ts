/**
 * Limits for the names that identify a report: they end up in database
 * keys, ZIP folder names and webhook bodies, so they are bounded and free
 * of control characters (a NUL byte is not even storable in PostgreSQL).
 * The lengths follow SonarQube's own limits where it has them.
 */

export const labelLimits = {
  projectKey: 400,
  projectName: 400,
  projectVersion: 100,
  reportType: 200,
} as const;

export type LabelField = keyof typeof labelLimits;

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why the value is not acceptable, or undefined when it is. */
export function labelProblem(
  field: LabelField,
  value: string,
): string | undefined {
  if (value.trim() === '') return `${field} must not be empty`;
  if (value.length > labelLimits[field]) {
    return `${field} is longer than ${labelLimits[field]} characters`;
  }
  if (CONTROL.test(value)) return `${field} must not hold control characters`;
  return undefined;
}
