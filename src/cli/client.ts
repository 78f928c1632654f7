/**
 * What the commands that talk to a Report Hub server share: building URLs
 * under the server's base path, and reading answers into values or one
 * clear error.
 */
import type { Dispatcher } from 'undici';

/** `https://host/hub` + `/security/report/list` keeps the `/hub` prefix. */
export function apiUrl(server: string, path: string): URL {
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new Error(
      `--server must be a URL such as http://localhost:8080, got "${server}"`,
    );
  }
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  return base;
}

interface ErrorBody {
  code?: string;
  message?: string;
}

/** The answer's JSON; throws with the server's own message on an error. */
export async function readAnswer<T>(
  response: Dispatcher.ResponseData,
): Promise<T> {
  const text = await response.body.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(
      `the server answered ${response.statusCode} with something that is ` +
        'not JSON; is --server a Report Hub?',
    );
  }
  if (response.statusCode >= 400) {
    const error = body as ErrorBody;
    throw new Error(
      `${error.message ?? 'the request failed'} (${error.code ?? response.statusCode})`,
    );
  }
  return body as T;
}

/** The token from --token, or from REPORTHUB_TOKEN so it stays out of `ps`. */
export function tokenOf(option: string | undefined): string {
  const token = option ?? process.env.REPORTHUB_TOKEN;
  if (!token) throw new Error('give --token or set REPORTHUB_TOKEN');
  return token;
}

/** `no such file or directory` rather than a raw `ENOENT: ...` line. */
export function describeFileError(error: NodeJS.ErrnoException): string {
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    ENOSPC: 'the disk is full',
  };
  return reasons[error.code ?? ''] ?? error.message;
}
