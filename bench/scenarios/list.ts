/**
 * GET /security/report/list under load, against a route on the same server
 * that answers a constant JSON body of the same size (the framework's
 * ceiling: routing, hooks and writing, but no query or serialization).
 */
import { forkServer, stopChild } from '../support/children.js';
import { measureLoad, type LoadResult } from '../support/load.js';
import { table } from '../support/markdown.js';
import { withBenchData, type BenchData } from '../support/runtime.js';
import type { BenchOptions, Scenario, Section } from '../support/scenario.js';
import { reportsPerVersion, seedReportList } from '../support/seed-list.js';
import { fmt, ratio } from '../support/stats.js';

const plan = { orgs: 100, productsPerOrg: 5, versionsPerProduct: 100 };
const totalReports =
  plan.orgs * plan.productsPerOrg * plan.versionsPerProduct * reportsPerVersion;
const aim = 0.6;
/** Ceiling and list runs alternate; each side reports its median run. */
const rounds = 3;
const listPath = '/security/report/list';

interface Shape {
  name: string;
  query: string;
  /** The query for one org; may walk pages to find its token. */
  pathFor(url: string, orgId: string): Promise<string>;
  expectedReports: number;
}

async function getJson(url: string): Promise<{
  reports: unknown[];
  nextPageToken?: string;
}> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(
      `${url} answered ${response.status}: ${await response.text()}`,
    );
  return (await response.json()) as { reports: unknown[] };
}

const shapes: Shape[] = [
  {
    name: 'exact',
    query: 'version=1.2.3',
    pathFor: async (_url, org) => `${listPath}?org=${org}&version=1.2.3`,
    expectedReports: plan.productsPerOrg * reportsPerVersion,
  },
  {
    name: 'range',
    query: 'minver=1.1&maxver=1.4.9 (first page of 400)',
    pathFor: async (_url, org) =>
      `${listPath}?org=${org}&minver=1.1&maxver=1.4.9`,
    expectedReports: 100,
  },
  {
    name: 'paging',
    query: 'minver=1.0&pageToken=... (page 4 of 10)',
    async pathFor(url, org) {
      const first = `${listPath}?org=${org}&minver=1.0`;
      let path = first;
      for (let page = 1; page < 4; page += 1) {
        const body = await getJson(url + path);
        path = `${first}&pageToken=${body.nextPageToken}`;
      }
      return path;
    },
    expectedReports: 100,
  },
];

interface ShapeResult {
  shape: Shape;
  bodyBytes: number;
  list: LoadResult;
  /** The same requests with the list cache turned off: every one queries. */
  uncached: LoadResult;
  ceiling: LoadResult;
}

function medianRun(runs: LoadResult[]): LoadResult {
  const sorted = [...runs].sort(
    (a, b) => a.requestsPerSecond - b.requestsPerSecond,
  );
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function storeConstant(url: string, name: string, body: string) {
  const response = await fetch(`${url}/bench/constant/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain' },
    body,
  });
  if (!response.ok) throw new Error(`storing the constant: ${response.status}`);
}

async function measureShape(
  url: string,
  uncachedUrl: string,
  orgIds: string[],
  shape: Shape,
  options: BenchOptions,
): Promise<ShapeResult> {
  const paths: string[] = [];
  for (const org of orgIds) paths.push(await shape.pathFor(url, org));
  const sample = await fetch(url + paths[0]).then((r) => r.text());
  const count = (JSON.parse(sample) as { reports: unknown[] }).reports.length;
  if (count !== shape.expectedReports) {
    throw new Error(
      `${shape.name}: ${count} reports, not ${shape.expectedReports}`,
    );
  }
  await storeConstant(url, shape.name, sample);

  const lists: LoadResult[] = [];
  const uncached: LoadResult[] = [];
  const ceilings: LoadResult[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    options.progress(`list ${shape.name}: round ${round} of ${rounds}`);
    const ceilingPath = `/bench/constant/${shape.name}`;
    ceilings.push(
      await measureLoad({
        url,
        paths: [ceilingPath],
        seconds: options.seconds,
      }),
    );
    lists.push(await measureLoad({ url, paths, seconds: options.seconds }));
    uncached.push(
      await measureLoad({ url: uncachedUrl, paths, seconds: options.seconds }),
    );
  }
  return {
    shape,
    bodyBytes: Buffer.byteLength(sample),
    list: medianRun(lists),
    uncached: medianRun(uncached),
    ceiling: medianRun(ceilings),
  };
}

async function seed(data: BenchData, options: BenchOptions, label: string) {
  const runtime = await data.open();
  try {
    return await seedReportList(runtime, plan, (done) => {
      if (done % 20 === 0) options.progress(`${label}: seeded ${done} orgs`);
    });
  } finally {
    await runtime.close();
  }
}

function section(label: string, results: ShapeResult[]): Section {
  const rows = results.map(({ shape, bodyBytes, list, uncached, ceiling }) => [
    `${shape.name}: \`${shape.query}\``,
    fmt(bodyBytes),
    fmt(list.requestsPerSecond),
    fmt(uncached.requestsPerSecond),
    fmt(ceiling.requestsPerSecond),
    `**${ratio(list.requestsPerSecond, ceiling.requestsPerSecond)}**`,
    ratio(uncached.requestsPerSecond, ceiling.requestsPerSecond),
    `${fmt(list.p50Ms)} / ${fmt(list.p99Ms)}`,
    `${fmt(uncached.p50Ms)} / ${fmt(uncached.p99Ms)}`,
  ]);
  const body = [
    `${totalReports.toLocaleString('en')} reports across ${plan.orgs} ` +
      `organizations (${plan.productsPerOrg} products x ` +
      `${plan.versionsPerProduct} versions x ${reportsPerVersion} ` +
      'standards each), seeded in the rows ingest writes. autocannon, 10 ' +
      'connections, in the bench process; the server in a child process. ' +
      'Each list run cycles through all organizations. The ceiling is a ' +
      'bench-only route on the same app instance answering the list ' +
      "response's bytes as a constant. Ceiling and list runs alternate, " +
      `${rounds} of each per query; each side shows its median run ` +
      "(by req/s) with that run's latencies. Repeated questions are " +
      'answered from the list cache (LIST_CACHE_REPORTS), as a polling ' +
      'client is; the uncached columns are a second server on the same ' +
      'data with the cache off, so every request runs its query.',
    '',
    table(
      [
        'query',
        'body bytes',
        'list req/s',
        'uncached req/s',
        'ceiling req/s',
        'list / ceiling',
        'uncached / ceiling',
        'list p50 / p99 ms',
        'uncached p50 / p99 ms',
      ],
      rows,
    ),
  ].join('\n');
  return {
    title: `List on ${label}`,
    body,
    targets: results.map(({ shape, list, ceiling }) => {
      const r = list.requestsPerSecond / ceiling.requestsPerSecond;
      return {
        figure: `list req/s vs ceiling, ${label}, ${shape.name}`,
        aim: `>= ${aim}x`,
        measured: `${r.toFixed(2)}x`,
        met: r >= aim,
      };
    }),
  };
}

async function listOn(
  label: string,
  postgresUrl: string | undefined,
  options: BenchOptions,
): Promise<Section> {
  return withBenchData(postgresUrl, async (data) => {
    options.progress(`${label}: seeding ${totalReports} reports`);
    const orgIds = await seed(data, options, label);
    const server = await forkServer('children/server.js', data.env);
    const uncached = await forkServer('children/server.js', {
      ...data.env,
      LIST_CACHE_REPORTS: '0',
    });
    try {
      const results: ShapeResult[] = [];
      for (const shape of shapes) {
        results.push(
          await measureShape(server.url, uncached.url, orgIds, shape, options),
        );
      }
      return section(label, results);
    } finally {
      await stopChild(server.child);
      await stopChild(uncached.child);
    }
  });
}

export const listScenario: Scenario = {
  name: 'list',
  async run(options) {
    const sections = [await listOn('SQLite', undefined, options)];
    if (options.databaseUrl) {
      sections.push(await listOn('PostgreSQL', options.databaseUrl, options));
    }
    return sections;
  },
};
