import type { Logger } from '../../log.js';
import type { FileSweeper } from './sweep.js';

/**
 * Runs the file sweep now (which only marks) and then every interval; a
 * failed pass is logged and the next one tries again. Returns a stop
 * function.
 */
export function scheduleSweeps(
  sweeper: FileSweeper,
  intervalSeconds: number,
  log: Logger,
): () => void {
  const pass = () => {
    sweeper.sweep().then(
      (deleted) => {
        if (deleted > 0) log.info({ deleted }, 'unreferenced files removed');
      },
      (error: unknown) => log.error({ err: error }, 'file sweep failed'),
    );
  };
  pass();
  const timer = setInterval(pass, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
