/**
 * GET /security/report/files: throughput against streaming the same bytes
 * as one file from the same server, and the server's peak memory while it
 * streams an archive of about 1 GiB.
 */
import type { ChildProcess } from 'node:child_process';
import { forkServer, stopChild } from '../support/children.js';
import { download, type Download } from '../support/download.js';
import { table } from '../support/markdown.js';
import { RssSampler, settledRss, toMiB } from '../support/rss.js';
import { withBenchData } from '../support/runtime.js';
import type { Scenario, Section } from '../support/scenario.js';
import {
  seedLargeReports,
  type LargeReports,
} from '../support/seed-archive.js';
import { fmt, median, ratio } from '../support/stats.js';

const MiB = 1024 * 1024;
const fileBytes = 20 * MiB;
const throughputReports = 20;
const memoryReports = 50;
const rounds = 3;
const throughputAim = 0.8;
const growthAimMiB = 64;

function archivePath(seeded: LargeReports, count: number): string {
  const ids = seeded.reportIds.slice(0, count);
  return (
    `/security/report/files?org=${seeded.orgId}&` +
    ids.map((id) => `reports=${id}`).join('&')
  );
}

function baselinePath(seeded: LargeReports): string {
  const { key, size } = seeded.baseline;
  return `/bench/file/${key}?size=${size}`;
}

function mibPerSecond(runs: Download[]): number {
  return median(runs.map((r) => r.bytes / MiB / r.seconds));
}

/** Peak RSS growth of the server while one download runs. */
async function rssGrowth(child: ChildProcess, url: string) {
  const before = await settledRss(child.pid!);
  const sampler = new RssSampler(child.pid!, 50);
  const result = await download(url);
  const { peakBytes } = sampler.stop();
  return { before, peak: peakBytes, growth: peakBytes - before, result };
}

export const zipScenario: Scenario = {
  name: 'zip',
  run: (options) =>
    withBenchData(undefined, async (data): Promise<Section[]> => {
      options.progress(`zip: seeding ${memoryReports} reports of 20 MiB`);
      const runtime = await data.open();
      const seeded = await seedLargeReports(
        runtime,
        { count: memoryReports, fileBytes, baselineOf: throughputReports },
        (done) => {
          if (done % 10 === 0) options.progress(`zip: seeded ${done}`);
        },
      );
      await runtime.close();

      const server = await forkServer('children/server.js', data.env);
      try {
        // Memory first, on a fresh server: the first archive also pays
        // for loading the code paths, which is the honest worst case.
        options.progress('zip: 1 GiB archive, sampling server RSS');
        const memory = await rssGrowth(
          server.child,
          server.url + archivePath(seeded, memoryReports),
        );
        const single = await rssGrowth(
          server.child,
          server.url + baselinePath(seeded),
        );

        options.progress(`zip: throughput, ${rounds} rounds`);
        const zip: Download[] = [];
        const file: Download[] = [];
        for (let i = 0; i < rounds; i += 1) {
          file.push(await download(server.url + baselinePath(seeded)));
          zip.push(
            await download(server.url + archivePath(seeded, throughputReports)),
          );
        }
        return [section(zip, file, memory, single)];
      } finally {
        await stopChild(server.child);
      }
    }),
};

type Growth = Awaited<ReturnType<typeof rssGrowth>>;

function section(
  zip: Download[],
  file: Download[],
  memory: Growth,
  single: Growth,
): Section {
  const zipRate = mibPerSecond(zip);
  const fileRate = mibPerSecond(file);
  const growthMiB = toMiB(memory.growth);
  const body = [
    `${throughputReports} reports, each a 20 MiB file of random bytes and a ` +
      'small HTML file, in the folder file store (SQLite). The baseline is ' +
      'a bench-only route on the same server streaming one file holding ' +
      'the same bytes. Median of ' +
      `${rounds} downloads each, alternated; the client counts bytes and ` +
      'drops them. Files were just written, so both read from the page ' +
      'cache.',
    '',
    table(
      ['download', 'bytes', 'median MiB/s', 'vs one file'],
      [
        [
          `ZIP of ${throughputReports} reports`,
          fmt(zip[0]!.bytes),
          fmt(zipRate),
          `**${ratio(zipRate, fileRate)}**`,
        ],
        ['one file, same bytes', fmt(file[0]!.bytes), fmt(fileRate), '1.00x'],
      ],
    ),
    '',
    'Peak resident memory of the server process (VmRSS from /proc every ' +
      '50 ms) while it streams, on a fresh server, against its settled ' +
      'RSS just before:',
    '',
    table(
      ['download', 'bytes', 'RSS before MiB', 'peak MiB', 'growth MiB'],
      [memoryRow(`ZIP of ${memoryReports} reports`, memory)].concat([
        memoryRow('one file (baseline route)', single),
      ]),
    ),
  ].join('\n');
  return {
    title: 'ZIP download',
    body,
    targets: [
      {
        figure: 'ZIP MiB/s vs one file',
        aim: `>= ${throughputAim}x`,
        measured: ratio(zipRate, fileRate),
        met: zipRate / fileRate >= throughputAim,
      },
      {
        figure: `RSS growth streaming a ${fmt(memory.result.bytes / MiB)} MiB ZIP`,
        aim: `< ${growthAimMiB} MiB`,
        measured: `${fmt(growthMiB)} MiB`,
        met: growthMiB < growthAimMiB,
      },
    ],
  };
}

function memoryRow(label: string, growth: Growth): string[] {
  return [
    label,
    fmt(growth.result.bytes),
    fmt(toMiB(growth.before)),
    fmt(toMiB(growth.peak)),
    fmt(toMiB(growth.growth)),
  ];
}
