/**
 * Idle memory of `reporthub serve` on the embedded default (SQLite and a
 * folder), against a bare Fastify hello world, each in its own process.
 */
import { fileURLToPath } from 'node:url';
import { benchFile, spawnServer, stopChild } from '../support/children.js';
import { table } from '../support/markdown.js';
import { settledRss, toMiB } from '../support/rss.js';
import { withBenchData } from '../support/runtime.js';
import type { Scenario } from '../support/scenario.js';
import { fmt, ratio } from '../support/stats.js';

const reporthub = fileURLToPath(
  new URL('../../../bin/reporthub.js', import.meta.url),
);
const settleMs = 2_000;

async function idleRss(args: string[], env: Record<string, string>) {
  const server = await spawnServer(args, env);
  try {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return await settledRss(server.child.pid!);
  } finally {
    await stopChild(server.child);
  }
}

export const idleScenario: Scenario = {
  name: 'idle',
  run: (options) =>
    withBenchData(undefined, async (data) => {
      options.progress('idle: reporthub serve');
      const serve = await idleRss([reporthub, 'serve'], {
        ...data.env,
        PORT: '0',
        HOST: '127.0.0.1',
      } as Record<string, string>);
      options.progress('idle: Fastify hello world');
      const hello = await idleRss([benchFile('children/hello.js')], {});
      const body = [
        `Resident memory ${settleMs / 1000} s after each printed that it ` +
          'listens, median of 10 samples over 1 s, no request served. ' +
          '`serve` runs with a fresh DATA_DIR (SQLite, folder file store), ' +
          'its webhook dispatcher polling and no report builder worker ' +
          'started yet (workers start with the first ingest).',
        '',
        table(
          ['process', 'idle RSS MiB', 'vs hello world'],
          [
            [
              '`reporthub serve`',
              fmt(toMiB(serve)),
              `**${ratio(serve, hello)}**`,
            ],
            ['Fastify hello world', fmt(toMiB(hello)), '1.00x'],
          ],
        ),
      ].join('\n');
      const note =
        `\`reporthub serve\` idles at ${fmt(toMiB(serve))} MiB, ` +
        `${ratio(serve, hello)} a bare Fastify hello world ` +
        `(${fmt(toMiB(hello))} MiB).`;
      return [{ title: 'Idle memory', body, targets: [], notes: [note] }];
    }),
};
