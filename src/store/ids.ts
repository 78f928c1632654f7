/**
 * Identifiers and clocks. Contract IDs (organizations, reports) are UUIDs;
 * our own carry a prefix a person can tell apart in logs (`tok_`, `evt_`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Micros } from './schema.js';

export function newUuid(): string {
  return randomUUID();
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** The current time in microseconds; sub-millisecond from the monotonic clock. */
export function nowMicros(): Micros {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

export function dateToMicros(date: Date): Micros {
  return date.getTime() * 1000;
}

/**
 * Formats as the contract's timestamp: UTC, exactly seven fractional digits
 * and a `+00:00` offset, e.g. `2025-12-17T09:05:48.5946430+00:00`.
 */
export function formatTimestamp(micros: Micros): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${base}.${String(fraction).padStart(6, '0')}0+00:00`;
}
