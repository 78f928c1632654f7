/**
 * Housekeeping that `serve` runs at start and then every interval: removing
 * report files no report points at, and refreshing SQLite's planner
 * statistics. A failed task is logged and tried again next time.
 */
import type { Logger } from './log.js';
import { optimize, type Db } from './store/db.js';
import type { FileStore } from './store/files/file-store.js';
import { FileSweeper } from './store/files/sweep.js';

/** Runs maintenance now and every `intervalSeconds`; returns a stop function. */
export function scheduleMaintenance(
  runtime: { db: Db; files: FileStore; log: Logger },
  intervalSeconds: number,
): () => void {
  const sweeper = new FileSweeper(runtime.db, runtime.files);
  const { log } = runtime;

  const run = async () => {
    const deleted = await sweeper.sweep();
    if (deleted > 0) log.info({ deleted }, 'unreferenced files removed');
    await optimize(runtime.db);
  };
  const pass = () => {
    run().catch((error: unknown) =>
      log.error({ err: error }, 'maintenance failed'),
    );
  };

  pass();
  const timer = setInterval(pass, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
