/**
 * Runs report builds in a small pool of worker threads. Workers are made
 * once and reused: loading the renderer takes longer than most builds.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HubError, type ErrorCode } from '../errors.js';
import type { BuiltAnalysis, BundleFormat } from './build.js';
import type { BundleLimits } from './bundle.js';
import type { BuildJob } from './worker.js';

interface Reply {
  jobId: number;
  result?: BuiltAnalysis;
  hubError?: { code: ErrorCode; message: string; parameter?: string };
  message?: string;
  stack?: string;
}

interface Task {
  job: BuildJob;
  resolve(result: BuiltAnalysis): void;
  reject(error: Error): void;
}

function errorOf(reply: Reply): Error {
  if (reply.hubError) {
    const { code, message, parameter } = reply.hubError;
    return new HubError(code, message, parameter ? { parameter } : {});
  }
  const error = new Error(reply.message ?? 'report build failed');
  if (reply.stack) error.stack = reply.stack;
  return error;
}

export class ReportBuilder {
  private readonly busy = new Map<Worker, Task>();
  private readonly idle: Worker[] = [];
  private readonly queue: Task[] = [];
  private nextJobId = 1;

  constructor(
    private readonly size = Math.max(
      1,
      Math.min(2, availableParallelism() - 1),
    ),
  ) {}

  /** Queues one bundle for a worker; resolves with its rendered reports. */
  build(
    bytes: Uint8Array,
    format: BundleFormat,
    limits: BundleLimits,
  ): Promise<BuiltAnalysis> {
    return new Promise((resolve, reject) => {
      const job = { jobId: this.nextJobId++, bytes, format, limits };
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? this.spawn();
      if (!worker) return;
      const task = this.queue.shift()!;
      this.busy.set(worker, task);
      worker.postMessage(task.job);
    }
  }

  private spawn(): Worker | undefined {
    if (this.idle.length + this.busy.size >= this.size) return undefined;
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (reply: Reply) => this.finish(worker, reply));
    worker.on('error', (error) => this.crash(worker, error));
    return worker;
  }

  private finish(worker: Worker, reply: Reply): void {
    const task = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (task) {
      if (reply.result) task.resolve(reply.result);
      else task.reject(errorOf(reply));
    }
    this.pump();
  }

  /** A worker that died takes only its own task with it. */
  private crash(worker: Worker, error: Error): void {
    this.busy.get(worker)?.reject(error);
    this.busy.delete(worker);
    void worker.terminate();
    this.pump();
  }
}
