/**
 * Severities -> SonarQube's security rating. The rule is SonarQube's own:
 * the worst open vulnerability decides, BLOCKER=E, CRITICAL or HIGH=D, MAJOR
 * or MEDIUM=C, MINOR or LOW=B, and none (or only INFO) is A. Standard-mode
 * severities and MQR impact severities share one scale so that a bundle from
 * either SonarQube mode rates the same way.
 */
import type { FindingSeverity, SecurityRating } from './model.js';

const ratingBySeverity: Readonly<Record<FindingSeverity, SecurityRating>> = {
  BLOCKER: 'E',
  CRITICAL: 'D',
  HIGH: 'D',
  MAJOR: 'C',
  MEDIUM: 'C',
  MINOR: 'B',
  LOW: 'B',
  INFO: 'A',
};

/** The rating one open vulnerability of this severity gives on its own. */
export function severityRating(severity: FindingSeverity): SecurityRating {
  return ratingBySeverity[severity];
}

/** The worse of the given ratings; A when there are none. */
export function worstRating(ratings: Iterable<SecurityRating>): SecurityRating {
  let worst: SecurityRating = 'A';
  for (const rating of ratings) {
    if (rating > worst) worst = rating;
  }
  return worst;
}

/** The rating of a scope holding open vulnerabilities of these severities. */
export function ratingOf(
  severities: Iterable<FindingSeverity>,
): SecurityRating {
  let worst: SecurityRating = 'A';
  for (const severity of severities) {
    const rating = ratingBySeverity[severity];
    if (rating > worst) worst = rating;
  }
  return worst;
}

/**
 * Reads a severity as SonarQube writes it (any case); undefined for values
 * that are not on the scale, so that callers can say which field was wrong.
 */
export function toFindingSeverity(value: string): FindingSeverity | undefined {
  const upper = value.toUpperCase();
  return Object.hasOwn(ratingBySeverity, upper)
    ? (upper as FindingSeverity)
    : undefined;
}

/** True when `a` rates strictly worse than `b` (BLOCKER is worse than HIGH). */
export function isWorseSeverity(
  a: FindingSeverity,
  b: FindingSeverity,
): boolean {
  return ratingBySeverity[a] > ratingBySeverity[b];
}
