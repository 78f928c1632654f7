/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal,
 * so pipes and CI logs stay clean.
 */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

const WIDTH = 30;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function progressBar(
  label: string,
  total: number | undefined,
): Progress {
  const stream = process.stderr;
  if (!stream.isTTY) return { update() {}, finish() {} };

  let last = 0;
  const draw = (done: number) => {
    const known = total !== undefined && total > 0;
    const ratio = known ? Math.min(1, done / total) : 0;
    const filled = Math.round(ratio * WIDTH);
    const bar = known
      ? `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.round(ratio * 100)}%`
      : '';
    stream.write(`\r${label} ${bar} ${megabytes(done)}`.padEnd(70));
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(done);
    },
    finish() {
      stream.write('\n');
    },
  };
}
