/**
 * What every standard edition provides: its categories in the standard's own
 * order and a way to place a rule's weaknesses in them. Each edition lives in
 * its own file, with the source of its list named there.
 */
import type { StandardRef } from '../model.js';

/** The security facts known about one rule, whatever source gave them. */
export interface Weaknesses {
  /** CWE numbers, e.g. 89 for CWE-89. */
  readonly cwes: ReadonlySet<number>;
  /** OWASP Top 10 2021 category IDs, `A01`..`A10`. */
  readonly owasp2021: ReadonlySet<string>;
}

export interface StandardCategory {
  /** Stable ID within the standard: `CWE-79`, `A01`. */
  readonly id: string;
  readonly title: string;
}

export interface Standard {
  readonly ref: StandardRef;
  /** How clients name it in a bundle's `standards` list: `Name:Edition`. */
  readonly key: string;
  /** In the standard's order; rank is the position plus one. */
  readonly categories: readonly StandardCategory[];
  /** IDs of the categories these weaknesses fall in, in category order. */
  categoriesOf(weaknesses: Weaknesses): string[];
}

/** `CWE Top 25` + 2024 -> `CWE Top 25:2024`, the form bundles use. */
export function standardKey(ref: StandardRef): string {
  return `${ref.name}:${ref.edition}`;
}
