/**
 * Group commit for attempt records. Each attempt must be recorded before
 * its slot and lease are given up, but a commit per attempt (an fsync on
 * SQLite) capped the dispatcher far below what the network allows. The
 * batcher records whatever finished meanwhile in one transaction, and
 * resolves each caller once its record is committed.
 */
import type { Db } from '../store/db.js';
import {
  recordAttempts,
  type AttemptOutcome,
  type AttemptRecord,
  type AttemptToRecord,
} from '../store/deliveries.js';

interface Pending extends AttemptToRecord {
  resolve(): void;
  reject(error: unknown): void;
}

/** Bounds one transaction's size; the rest waits for the next. */
export const defaultMaxBatch = 100;

export class AttemptBatcher {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = defaultMaxBatch,
  ) {}

  /** Resolves once the attempt is committed; rejects if its batch failed. */
  record(
    claim: AttemptToRecord['claim'],
    attempt: AttemptRecord,
    outcome: AttemptOutcome,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ claim, attempt, outcome, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Attempts that finish in this turn of the event loop join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await recordAttempts(this.db, batch);
        for (const pending of batch) pending.resolve();
      } catch (error) {
        // Unrecorded attempts keep their lease until it runs out; then
        // they are claimed and sent again: at least once, never lost.
        for (const pending of batch) pending.reject(error);
      }
    }
    this.draining = undefined;
  }
}
