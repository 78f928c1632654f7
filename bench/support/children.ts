/**
 * Child processes the bench starts: the servers under test and the probe.
 * Each is stopped by its own PID, never by name, and killed if it does not
 * stop in time, so a failed run leaves nothing behind.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const stopTimeoutMs = 10_000;
const startTimeoutMs = 30_000;

/** A compiled file next to this one's parent: `children/server.js`. */
export function benchFile(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/**
 * Forks a bench child that reports `{ url }` over IPC once it listens.
 * Its stdout (the request log) goes to /dev/null: reading it would cost the
 * load generator CPU that the measurement needs.
 */
export function forkServer(
  script: string,
  env: Record<string, string | undefined>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(benchFile(script), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return waitFor(child, (resolve) => {
    child.on('message', (message: { url?: string }) => {
      if (message.url) resolve(message.url);
    });
  });
}

/** Spawns a command that prints `listening on URL` on stdout. */
export function spawnServer(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return waitFor(child, (resolve) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
  });
}

function waitFor(
  child: ChildProcess,
  listen: (resolve: (url: string) => void) => void,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error('a bench server did not start in time'));
    }, startTimeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`a bench server exited early with code ${code}`));
    };
    child.once('exit', onExit);
    listen((url) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ child, url });
    });
  });
}

/** SIGTERM, then SIGKILL after a grace period; resolves once it exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
