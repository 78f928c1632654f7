/**
 * Webhook delivery figures (issue 3, "Speed (benchmark)"), from a real
 * `reporthub serve` (HTTP API and dispatcher) in a child process, to a
 * receiver in this process on 127.0.0.1 that answers 204 at once:
 *
 * - throughput: a backlog of deliveries drained by the dispatcher, against
 *   a bare undici POST loop in a child process at the same concurrency,
 *   sending the same bytes to the same receiver;
 * - latency: from an ingest's commit to the delivery's arrival, over a
 *   series of ingests one after another;
 * - fan-out: one event to 500 endpoints, until the last one arrived.
 *
 * Every figure is taken at the receiver, so both sides of the throughput
 * ratio are timed by the same clock in the same way. With
 * BENCH_CPU_PROF_DIR set, the `serve` that drains the backlog writes a
 * CPU profile (`node --cpu-prof`) there when it stops.
 */
import { execFile, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { recordEvent } from '../../src/store/events.js';
import {
  defaultConcurrency,
  defaultPerEndpointConcurrency,
} from '../../src/webhooks/dispatcher.js';
import { benchFile, spawnServer, stopChild } from '../support/children.js';
import { table } from '../support/markdown.js';
import {
  epochMs,
  startBenchReceiver,
  type Arrival,
  type BenchReceiver,
} from '../support/receiver.js';
import { withBenchData, type BenchData } from '../support/runtime.js';
import type { BenchOptions, Scenario, Section } from '../support/scenario.js';
import { fmt, median, percentile, ratio } from '../support/stats.js';

const reporthub = fileURLToPath(
  new URL('../../../bin/reporthub.js', import.meta.url),
);
const run = promisify(execFile);

/**
 * Endpoints the throughput backlog is spread over. The dispatcher sends at
 * most `defaultPerEndpointConcurrency` at once to one endpoint, so fewer
 * than concurrency / per-endpoint endpoints would cap the case below the
 * dispatcher's concurrency (16 endpoints x 2 held it at 32 in flight while
 * the baseline ran 64) and compare it to a baseline with more in flight.
 */
const throughputEndpoints = Math.max(
  16,
  Math.ceil(defaultConcurrency / defaultPerEndpointConcurrency),
);
/** Events in the backlog; each goes to every throughput endpoint. */
const backlogEvents = 250;
const latencyIngests = 200;
const fanOutEndpoints = 500;
/** No phase waits longer than this for its deliveries. */
const phaseTimeoutMs = 120_000;

type Env = Record<string, string>;

interface Org {
  id: string;
  ingestToken: string;
  adminToken: string;
}

async function cli(args: string[], env: Env) {
  const { stdout } = await run(
    process.execPath,
    [reporthub, ...args, '--json'],
    { env: { ...process.env, ...env } },
  );
  return JSON.parse(stdout) as Record<string, string>;
}

async function createOrg(name: string, env: Env): Promise<Org> {
  const org = await cli(['org', 'create', '--name', name], env);
  const ingest = await cli(['token', 'create', '--org', org.id!], env);
  const admin = await cli(
    ['token', 'create', '--org', org.id!, '--admin'],
    env,
  );
  return { id: org.id!, ingestToken: ingest.token!, adminToken: admin.token! };
}

async function addEndpoint(server: string, org: Org, url: string) {
  const response = await fetch(`${server}/admin/webhooks`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${org.adminToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ url }),
  });
  if (response.status !== 201) {
    throw new Error(`adding an endpoint answered ${response.status}`);
  }
}

/** A bundle with no findings: the cheapest real ingest. */
async function ingest(server: string, org: Org, version: string) {
  const response = await fetch(`${server}/security/report/analysis`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${org.ingestToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      projectKey: 'bench',
      projectName: 'Bench',
      projectVersion: version,
      sonarqube: { issues: [{ issues: [] }] },
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { reports: Array<{ id: string }> };
  if (response.status >= 300) {
    throw new Error(`ingest answered ${response.status}`);
  }
  return body.reports.map((r) => r.id);
}

/**
 * Epoch ms of a delivery's `uploadDate`: set inside the ingest's
 * transaction just before it commits, so arrival minus this is an upper
 * bound on commit-to-arrival.
 */
function uploadDateMs(body: string): number {
  const { reports } = JSON.parse(body) as {
    reports: Array<{ uploadDate: string }>;
  };
  const text = reports[0]!.uploadDate;
  const match = /^(.{19})\.(\d{7})\+00:00$/.exec(text);
  if (!match) throw new Error(`unexpected uploadDate ${text}`);
  return Date.parse(`${match[1]}Z`) + Number(match[2]) / 10_000;
}

/** Deliveries per second between the first and the last arrival. */
function arrivalRate(arrivals: Arrival[]): number {
  const times = arrivals.map((a) => a.atMs);
  const span = (Math.max(...times) - Math.min(...times)) / 1000;
  return (arrivals.length - 1) / span;
}

/** The bare undici loop in a child process; resolves when it is done. */
function rawPostLoop(job: {
  urls: string[];
  headers: Record<string, string>;
  body: string;
  count: number;
  concurrency: number;
}): Promise<void> {
  const child = fork(benchFile('children/post-loop.js'), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const timeout = setTimeout(() => void stopChild(child), phaseTimeoutMs);
  child.send({ ...job, maxSeconds: phaseTimeoutMs / 1000 });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { error?: string }) => {
      if (message.error) reject(new Error(message.error));
    });
    child.once('exit', (code) => {
      clearTimeout(timeout);
      if (code === 0) resolve();
      else reject(new Error(`the undici loop exited with ${code}`));
    });
  });
}

/** The headers a delivery arrived with, for the baseline to replay. */
function replayHeaders(receiver: BenchReceiver): {
  headers: Record<string, string>;
  body: string;
} {
  const sample = receiver.sample!;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sample.headers)) {
    if (['host', 'connection', 'content-length'].includes(name)) continue;
    if (typeof value === 'string') headers[name] = value;
  }
  return { headers, body: sample.body };
}

interface Figures {
  dispatcherRate: number;
  rawRate: number;
  backlog: number;
  bodyBytes: number;
  latencies: number[];
  fanOut: { firstMs: number; lastMs: number; rawMs: number };
}

async function measure(
  data: BenchData,
  receiver: BenchReceiver,
  options: BenchOptions,
): Promise<Figures> {
  const env: Env = {
    ...(data.env as Env),
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
  };
  const origin = receiver.origin;
  let server = await spawnServer([reporthub, 'serve'], env);
  try {
    options.progress('webhooks: organizations and endpoints');
    const [latencyOrg, fanOrg, bulkOrg] = await Promise.all(
      ['Latency', 'Fan-out', 'Throughput'].map((name) => createOrg(name, env)),
    );
    await addEndpoint(server.url, latencyOrg, `${origin}/latency/0`);
    for (let i = 0; i < fanOutEndpoints; i++) {
      await addEndpoint(server.url, fanOrg, `${origin}/fan/${i}`);
    }
    // Ingested before its endpoints exist: the reports the backlog's
    // events announce, with no deliveries of their own.
    const bulkReports = await ingest(server.url, bulkOrg, '1.0.0');
    for (let i = 0; i < throughputEndpoints; i++) {
      await addEndpoint(server.url, bulkOrg, `${origin}/bulk/${i}`);
    }

    options.progress(`webhooks: ${latencyIngests} ingests, one at a time`);
    for (let i = 0; i < latencyIngests; i++) {
      await ingest(server.url, latencyOrg, `2.0.${i}`);
      await receiver.waitFor('/latency', i + 1, phaseTimeoutMs);
    }
    const latencies = receiver
      .arrivals('/latency')
      .map((a) => a.atMs - uploadDateMs(a.body));

    options.progress(`webhooks: one event to ${fanOutEndpoints} endpoints`);
    await ingest(server.url, fanOrg, '3.0.0');
    await receiver.waitFor('/fan', fanOutEndpoints, phaseTimeoutMs);
    const fan = receiver.arrivals('/fan');
    const committed = uploadDateMs(fan[0]!.body);
    const fanTimes = fan.map((a) => a.atMs - committed);

    const sample = replayHeaders(receiver);
    const rawFan = await timeRaw(receiver, '/rawfan', fanOutEndpoints, {
      ...sample,
      urls: [`${origin}/rawfan/0`],
    });

    // The backlog is written while no dispatcher runs, then drained by a
    // fresh `serve`: the rate is the dispatcher's, not the ingest's.
    await stopChild(server.child);
    const backlog = await seedBacklog(data, bulkOrg.id, bulkReports);
    options.progress(`webhooks: draining ${backlog} deliveries`);
    server = await spawnServer([...profileArgs(), reporthub, 'serve'], env);
    await receiver.waitFor('/bulk', backlog, phaseTimeoutMs);
    const dispatcherRate = arrivalRate(receiver.arrivals('/bulk'));
    const bulkBody = receiver.arrivals('/bulk')[0]!.body;

    options.progress(`webhooks: raw undici loop, ${backlog} POSTs`);
    const urls = Array.from(
      { length: throughputEndpoints },
      (_, i) => `${origin}/raw/${i}`,
    );
    await rawPostLoop({
      urls,
      headers: sample.headers,
      body: bulkBody,
      count: backlog,
      concurrency: defaultConcurrency,
    });
    const rawRate = arrivalRate(receiver.arrivals('/raw'));

    return {
      dispatcherRate,
      rawRate,
      backlog,
      bodyBytes: Buffer.byteLength(bulkBody),
      latencies,
      fanOut: {
        firstMs: Math.min(...fanTimes),
        lastMs: Math.max(...fanTimes),
        rawMs: rawFan,
      },
    };
  } finally {
    await stopChild(server.child);
  }
}

function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Milliseconds the raw loop takes for `count` POSTs, at the receiver. */
async function timeRaw(
  receiver: BenchReceiver,
  prefix: string,
  count: number,
  job: { urls: string[]; headers: Record<string, string>; body: string },
): Promise<number> {
  const started = epochMs();
  await rawPostLoop({ ...job, count, concurrency: defaultConcurrency });
  const times = receiver.arrivals(prefix).map((a) => a.atMs);
  return Math.max(...times) - started;
}

/** Writes `backlogEvents` events, each due to every endpoint of the org. */
async function seedBacklog(
  data: BenchData,
  orgId: string,
  reportIds: string[],
): Promise<number> {
  const runtime = await data.open();
  try {
    await runtime.db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < backlogEvents; i++) {
        await recordEvent(trx, { orgId, type: 'report.updated', reportIds });
      }
    });
  } finally {
    await runtime.close();
  }
  return backlogEvents * throughputEndpoints;
}

function section(figures: Figures, backend: string): Section {
  const share = figures.dispatcherRate / figures.rawRate;
  const p50 = percentile(figures.latencies, 50);
  const p99 = percentile(figures.latencies, 99);
  const { fanOut } = figures;
  const body = [
    `\`reporthub serve\` on ${backend}, its dispatcher at its defaults ` +
      `(${defaultConcurrency} deliveries in flight), in a child process; ` +
      'the receiver, in the bench process on 127.0.0.1, answers 204 as ' +
      'soon as a body has arrived. Every time is taken at the receiver.',
    '',
    `**Throughput.** ${fmt(figures.backlog)} deliveries ` +
      `(${backlogEvents} events to ${throughputEndpoints} endpoints, ` +
      `${fmt(figures.bodyBytes)}-byte bodies) written while no dispatcher ` +
      'ran, then drained by a freshly started `serve`: each one claimed, ' +
      'its body read from the reports, signed, sent and its attempt ' +
      'recorded. The baseline is a bare undici `request` loop in a child ' +
      `process with ${defaultConcurrency} requests in flight, sending the ` +
      'same body and headers to the same receiver. Rates run from the ' +
      'first arrival to the last. With at most ' +
      `${defaultPerEndpointConcurrency} in flight per endpoint, the ` +
      `${throughputEndpoints} endpoints let the dispatcher fill all ` +
      `${defaultConcurrency} of its slots, as the baseline does.`,
    '',
    table(
      ['sender', 'deliveries', 'per second', 'vs raw undici'],
      [
        [
          'dispatcher',
          fmt(figures.backlog),
          fmt(figures.dispatcherRate),
          `**${ratio(figures.dispatcherRate, figures.rawRate)}**`,
        ],
        [
          'raw undici loop',
          fmt(figures.backlog),
          fmt(figures.rawRate),
          '1.00x',
        ],
      ],
    ),
    '',
    `**Commit to first attempt.** ${latencyIngests} ingests of a bundle ` +
      'with no findings, one after another, to an org with one endpoint. ' +
      "From the reports' `uploadDate` (taken inside the ingest's " +
      'transaction, just before it commits, so this slightly overstates) ' +
      'to the arrival of the delivery:',
    '',
    table(
      ['ingests', 'p50 ms', 'p99 ms', 'max ms'],
      [
        [
          fmt(figures.latencies.length),
          fmt(p50),
          fmt(p99),
          fmt(Math.max(...figures.latencies)),
        ],
      ],
    ),
    '',
    `**Fan-out.** One ingest to an org with ${fanOutEndpoints} endpoints ` +
      '(distinct paths on the one receiver). From the commit (as above) ' +
      `to the first and the last of the ${fanOutEndpoints} arrivals; the ` +
      `baseline is the raw loop sending ${fanOutEndpoints} POSTs at the ` +
      'same concurrency, from its start:',
    '',
    table(
      ['sender', 'first ms', `all ${fanOutEndpoints} ms`],
      [
        ['dispatcher', fmt(fanOut.firstMs), fmt(fanOut.lastMs)],
        ['raw undici loop', '', fmt(fanOut.rawMs)],
      ],
    ),
  ].join('\n');
  return {
    title: `Webhook deliveries (${backend})`,
    body,
    targets: [
      {
        figure: `webhook deliveries/s vs raw undici, ${backend}`,
        aim: '>= 0.6x',
        measured: ratio(figures.dispatcherRate, figures.rawRate),
        met: share >= 0.6,
      },
      {
        figure: `ingest commit to first webhook attempt p99, ${backend}`,
        aim: '< 1,000 ms',
        measured: `${fmt(p99)} ms`,
        met: p99 < 1000,
      },
    ],
    notes: [
      `One event reached all ${fanOutEndpoints} endpoints ` +
        `${fmt(fanOut.lastMs)} ms after its commit on ${backend} ` +
        `(a raw undici loop: ${fmt(fanOut.rawMs)} ms; median ` +
        `commit-to-attempt over ${latencyIngests} ingests: ` +
        `${fmt(median(figures.latencies))} ms).`,
    ],
  };
}

async function runOn(
  backend: string,
  databaseUrl: string | undefined,
  options: BenchOptions,
): Promise<Section> {
  const receiver = await startBenchReceiver();
  try {
    const figures = await withBenchData(databaseUrl, (data) =>
      measure(data, receiver, options),
    );
    return section(figures, backend);
  } finally {
    await receiver.close();
  }
}

export const webhookScenario: Scenario = {
  name: 'webhooks',
  async run(options) {
    const sections = [await runOn('SQLite', undefined, options)];
    if (options.databaseUrl) {
      sections.push(await runOn('PostgreSQL', options.databaseUrl, options));
    }
    return sections;
  },
};
