/**
 * Resident memory of another process, read from /proc (Linux), so a server
 * is measured from outside without a route that could disturb it.
 */
import { readFileSync } from 'node:fs';

const MiB = 1024 * 1024;

/** VmRSS of `pid` in bytes. */
export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

export function toMiB(bytes: number): number {
  return bytes / MiB;
}

/** Samples VmRSS every `intervalMs` until stopped; keeps the peak. */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 50,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): { peakBytes: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakBytes: this.peak };
  }

  private sample(): void {
    this.peak = Math.max(this.peak, readRssBytes(this.pid));
  }
}

/** The median of `count` samples taken `intervalMs` apart. */
export async function settledRss(
  pid: number,
  count = 10,
  intervalMs = 100,
): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    samples.push(readRssBytes(pid));
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return samples.sort((a, b) => a - b)[Math.floor(count / 2)]!;
}
