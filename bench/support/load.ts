/**
 * HTTP load from this process against a server in another one, with
 * autocannon: a fixed number of connections for a fixed time, so every
 * run stops by itself.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

export interface LoadOptions {
  url: string;
  /** Paths to cycle through, one per request. */
  paths: string[];
  seconds: number;
  connections?: number;
}

function run(options: LoadOptions): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: options.url,
    connections: options.connections ?? 10,
    duration: options.seconds,
    requests: [
      {
        setupRequest: (request) => {
          const path = options.paths[next % options.paths.length]!;
          next += 1;
          return { ...request, path };
        },
      },
    ],
  });
}

/** Runs a short warm-up, then the measured run; fails on any non-2xx. */
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  await run({ ...options, seconds: 1 });
  const result = await run(options);
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `load on ${options.paths[0]} had ${result.non2xx} non-2xx, ` +
        `${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
  };
}
