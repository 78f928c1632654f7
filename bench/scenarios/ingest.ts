/**
 * Ingest of a 50,000-finding bundle into a real `reporthub serve`, and how
 * long the server's event loop is held meanwhile: /healthz latency from a
 * probe process during the ingest, against the same probe while idle.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchFile, spawnServer, stopChild } from '../support/children.js';
import { table } from '../support/markdown.js';
import { withBenchData } from '../support/runtime.js';
import type { Scenario, Section } from '../support/scenario.js';
import { buildLargeBundle } from '../support/sonar-bundle.js';
import { fmt, percentile } from '../support/stats.js';

const findings = 50_000;
const idleProbeSeconds = 3;
/** The probe stops by itself after this, whatever happens to the ingest. */
const maxIngestSeconds = 240;
const reporthub = fileURLToPath(
  new URL('../../../bin/reporthub.js', import.meta.url),
);
const run = promisify(execFile);

async function cli(args: string[], env: Record<string, string>) {
  const { stdout } = await run(
    process.execPath,
    [reporthub, ...args, '--json'],
    {
      env: { ...process.env, ...env },
    },
  );
  return JSON.parse(stdout) as Record<string, string>;
}

interface Probe {
  /** Resolves once the first probe answered. */
  ready: Promise<void>;
  /** Resolves with the latencies once the probe has ended. */
  done: Promise<number[]>;
  /** Asks it to end now (closes its stdin); resolves like `done`. */
  stop(): Promise<number[]>;
}

function startProbe(url: string, maxSeconds: number): Probe {
  const child = spawn(
    process.execPath,
    [benchFile('children/probe.js'), url, String(maxSeconds)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let output = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.startsWith('ready\n')) markReady();
  });
  const done = new Promise<number[]>((resolve, reject) =>
    child.on('exit', (code) => {
      const last = output.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`probe exited with ${code}`));
      else resolve((JSON.parse(last) as { latenciesMs: number[] }).latenciesMs);
    }),
  );
  return {
    ready,
    done,
    stop() {
      child.stdin!.end();
      return done;
    },
  };
}

async function ingest(url: string, token: string, bundle: Buffer) {
  const started = performance.now();
  const response = await fetch(`${url}/security/report/analysis`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: bundle,
    signal: AbortSignal.timeout(maxIngestSeconds * 1000),
  });
  const body = (await response.json()) as { reports?: unknown[] };
  if (response.status !== 201) {
    throw new Error(
      `ingest answered ${response.status}: ${JSON.stringify(body)}`,
    );
  }
  return {
    seconds: (performance.now() - started) / 1000,
    reports: body.reports?.length ?? 0,
  };
}

function latencyRow(label: string, latencies: number[]): string[] {
  return [
    label,
    fmt(latencies.length),
    fmt(percentile(latencies, 50)),
    fmt(percentile(latencies, 99)),
    fmt(Math.max(...latencies)),
  ];
}

export const ingestScenario: Scenario = {
  name: 'ingest',
  run: (options) =>
    withBenchData(undefined, async (data): Promise<Section[]> => {
      const env = { ...data.env, PORT: '0', HOST: '127.0.0.1' } as Record<
        string,
        string
      >;
      const server = await spawnServer([reporthub, 'serve'], env);
      try {
        const org = await cli(['org', 'create', '--name', 'Bench'], env);
        const { token } = await cli(
          ['token', 'create', '--org', org.id!, '--name', 'bench'],
          env,
        );
        options.progress(`ingest: building a ${findings}-finding bundle`);
        const bundle = buildLargeBundle(findings);

        options.progress(`ingest: idle /healthz for ${idleProbeSeconds} s`);
        const idle = await startProbe(server.url, idleProbeSeconds).done;

        options.progress(
          `ingest: ${fmt(bundle.length / 1024 ** 2)} MiB bundle`,
        );
        const busyProbe = startProbe(server.url, maxIngestSeconds);
        await busyProbe.ready;
        let result;
        try {
          result = await ingest(server.url, token!, bundle);
        } finally {
          await busyProbe.stop();
        }
        const busy = await busyProbe.done;
        return [section(bundle.length, result, idle, busy)];
      } finally {
        await stopChild(server.child);
      }
    }),
};

function section(
  bundleBytes: number,
  result: { seconds: number; reports: number },
  idle: number[],
  busy: number[],
): Section {
  const body = [
    `One POST /security/report/analysis of a ${fmt(bundleBytes / 1024 ** 2)} ` +
      `MiB JSON bundle holding ${findings.toLocaleString('en')} issues in ` +
      "SonarQube's api/issues/search format (pages of 500), to " +
      '`reporthub serve` on SQLite. It answered 201 with ' +
      `${result.reports} reports after **${fmt(result.seconds)} s** ` +
      '(analysis, HTML and PDF rendering in a worker thread; storing on the ' +
      'main thread).',
    '',
    'Meanwhile a probe process asked GET /healthz one request at a time, ' +
      'about every 10 ms. The same probe against the idle server is the ' +
      'baseline:',
    '',
    table(
      ['/healthz', 'probes', 'p50 ms', 'p99 ms', 'max ms'],
      [latencyRow('idle', idle), latencyRow('during the ingest', busy)],
    ),
  ].join('\n');
  const note =
    `Ingesting ${findings.toLocaleString('en')} findings took ` +
    `${fmt(result.seconds)} s; meanwhile /healthz answered in ` +
    `${fmt(percentile(busy, 99))} ms at p99 and ${fmt(Math.max(...busy))} ` +
    `ms at worst, against ${fmt(percentile(idle, 99))} ms and ` +
    `${fmt(Math.max(...idle))} ms idle.`;
  return {
    title: 'Ingest of 50,000 findings',
    body,
    targets: [],
    notes: [note],
  };
}
