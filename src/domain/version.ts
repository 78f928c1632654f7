/**
 * Lenient SemVer 2.0.0: real clients send `1.0` or `v1.2.3`, so missing
 * minor and patch count as 0, a leading `v` is dropped and build metadata is
 * ignored. Everything else follows the spec, including that a numeric
 * identifier has no leading zero (`01.2.3` is not a version).
 *
 * Versions become columns the database can compare: three integers and a
 * pre-release key whose byte order equals SemVer precedence.
 */

export interface NormalizedVersion {
  major: number;
  minor: number;
  patch: number;
  /** Byte-ordered pre-release key; see `prereleaseKey`. */
  pre: string;
}

const NUMBER = '0|[1-9]\\d*';
const IDENT = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const VERSION = new RegExp(
  `^[vV]?(${NUMBER})(?:\\.(${NUMBER}))?(?:\\.(${NUMBER}))?` +
    `(?:-(${IDENT}(?:\\.${IDENT})*))?` +
    `(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

/**
 * Sorts after every pre-release key, so `1.0.0` follows `1.0.0-rc.1`.
 * `~` is above every character an identifier may hold.
 */
export const RELEASE_KEY = '~';

/**
 * Separates identifiers. It must sort below every identifier character
 * (`-` included) so that `1.0.0-a` comes before `1.0.0-a-b` and `1.0.0-a.b`.
 */
const SEPARATOR = ' ';

/** The largest part we accept; beyond it, integers lose precision. */
const MAX_PART = Number.MAX_SAFE_INTEGER;

/**
 * Encodes one pre-release identifier. Numeric identifiers sort below
 * alphanumeric ones and by value, so they are written as `0`, their digit
 * count (two digits) and the digits: no leading zeros means length decides
 * first. Alphanumeric identifiers sort in ASCII order behind a `1`.
 */
function encodeIdentifier(identifier: string): string {
  if (/^\d+$/.test(identifier)) {
    return `0${String(identifier.length).padStart(2, '0')}${identifier}`;
  }
  return `1${identifier}`;
}

export function prereleaseKey(prerelease: string | undefined): string {
  if (prerelease === undefined) return RELEASE_KEY;
  return prerelease.split('.').map(encodeIdentifier).join(SEPARATOR);
}

/** Reads a version leniently; `undefined` when it is not one. */
export function parseVersion(text: string): NormalizedVersion | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;

  const [major, minor, patch] = [match[1], match[2], match[3]].map((part) =>
    Number(part ?? '0'),
  ) as [number, number, number];
  if ([major, minor, patch].some((part) => part > MAX_PART)) return undefined;

  const numericTooLong = (match[4] ?? '')
    .split('.')
    .some((id) => /^\d{100,}$/.test(id));
  if (numericTooLong) return undefined;

  return { major, minor, patch, pre: prereleaseKey(match[4]) };
}

/** SemVer precedence of two normalized versions: <0, 0 or >0. */
export function compareVersions(
  a: NormalizedVersion,
  b: NormalizedVersion,
): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.patch - b.patch ||
    (a.pre < b.pre ? -1 : a.pre > b.pre ? 1 : 0)
  );
}
