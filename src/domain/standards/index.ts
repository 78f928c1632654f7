/**
 * The standards Report Hub can report on, looked up by the `Name:Edition`
 * strings that bundles and clients use (`CWE Top 25:2024`).
 */
import { HubError } from '../../errors.js';
import { cweTop25of2024 } from './cwe-top25-2024.js';
import { owaspTop10of2021 } from './owasp-top10-2021.js';
import type { Standard } from './standard.js';

export type { Standard, StandardCategory, Weaknesses } from './standard.js';
export { standardKey } from './standard.js';

/** Every known standard edition, in the order reports are listed. */
export const standards: readonly Standard[] = [
  cweTop25of2024,
  owaspTop10of2021,
];

/** What a bundle gets when it names no standards. */
export const defaultStandardKeys: readonly string[] = standards.map(
  (s) => s.key,
);

// Case and spacing are forgiven because people type these keys by hand;
// the edition still has to match exactly.
function normalizeKey(key: string): string {
  return key
    .split(':')
    .map((part) => part.trim().replace(/\s+/g, ' ').toLowerCase())
    .join(':');
}

const byKey = new Map(standards.map((s) => [normalizeKey(s.key), s]));

/** The standard named `Name:Edition`, or undefined when none has that name. */
export function findStandard(key: string): Standard | undefined {
  return byKey.get(normalizeKey(key));
}

/**
 * The standards behind these keys, in the order given and without
 * repeats; the default list when no keys are given. An unknown key is the
 * client's mistake, so it is reported with the keys that would work.
 */
export function resolveStandards(
  keys: readonly string[] | undefined,
): Standard[] {
  if (keys === undefined || keys.length === 0) return [...standards];

  const chosen = new Set<Standard>();
  for (const key of keys) {
    const standard = findStandard(key);
    if (standard === undefined) {
      throw new HubError(
        'unknown_standard',
        `The standard "${key}" is not one Report Hub knows; use one of: ` +
          `${defaultStandardKeys.join(', ')}.`,
        { parameter: 'standards' },
      );
    }
    chosen.add(standard);
  }
  return [...chosen];
}
