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
