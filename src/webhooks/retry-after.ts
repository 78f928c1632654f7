/**
 * The `Retry-After` header of a 429 or 503 answer (RFC 9110, section
 * 10.2.3): either whole seconds or an HTTP date. A receiver that says how
 * long it needs is not tried again sooner than that.
 */

/** Statuses whose `Retry-After` the dispatcher honours. */
export const retryAfterStatuses: ReadonlySet<number> = new Set([429, 503]);

/**
 * Seconds to wait from `nowMs`, or undefined when the header is absent or
 * unreadable. A date in the past means no wait (0).
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);

  // Only dates that name their zone: Date.parse would read a bare
  // "2026-01-01" as local midnight, which no HTTP date looks like.
  if (!/GMT$/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}
