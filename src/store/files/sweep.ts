/**
 * Removes stored files no report points at any more: the old files of a
 * replaced report, or files of an ingest that died before its commit.
 *
 * A file is written before the transaction that references it commits, so
 * a file that is unreferenced *now* may belong to an ingest in flight. The
 * sweep therefore deletes only what was already unreferenced on its
 * previous pass and has not been written since (a put of bytes already
 * stored refreshes their write time).
 */
import type { Db } from '../db.js';
import { unreferencedKeys } from '../reports.js';
import type { FileStore } from './file-store.js';

const BATCH = 500;

export class FileSweeper {
  private candidates = new Set<string>();
  private previousPassAt = new Date(0);

  constructor(
    private readonly db: Db,
    private readonly files: FileStore,
  ) {}

  /** One pass; returns how many files it deleted. */
  async sweep(): Promise<number> {
    const passStartedAt = new Date();
    const unreferenced = new Set<string>();
    let batch: string[] = [];
    const flush = async () => {
      for (const key of await unreferencedKeys(this.db, batch)) {
        unreferenced.add(key);
      }
      batch = [];
    };
    for await (const key of this.files.keys()) {
      batch.push(key);
      if (batch.length >= BATCH) await flush();
    }
    await flush();

    let deleted = 0;
    for (const key of unreferenced) {
      if (!(await this.isStale(key))) continue;
      await this.files.delete(key);
      unreferenced.delete(key);
      deleted += 1;
    }
    this.candidates = unreferenced;
    this.previousPassAt = passStartedAt;
    return deleted;
  }

  /** Unreferenced on the previous pass and not written since it began. */
  private async isStale(key: string): Promise<boolean> {
    if (!this.candidates.has(key)) return false;
    const written = await this.files.lastWritten(key);
    return written !== undefined && written < this.previousPassAt;
  }
}
