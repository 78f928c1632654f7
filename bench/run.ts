/**
 * `npm run bench`: runs every scenario in order and writes
 * docs/performance.md. `--only list,zip` runs some and prints instead of
 * writing; `--seconds N` sets the length of each timed load run.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderDocument } from './support/document.js';
import { describeMachine } from './support/machine.js';
import type { Scenario, Section } from './support/scenario.js';
import { idleScenario } from './scenarios/idle.js';
import { ingestScenario } from './scenarios/ingest.js';
import { listScenario } from './scenarios/list.js';
import { webhookScenario } from './scenarios/webhooks.js';
import { zipScenario } from './scenarios/zip.js';

/** In report order. The webhook dispatcher's figures (issue 3) go last. */
const scenarios: Scenario[] = [
  listScenario,
  zipScenario,
  idleScenario,
  ingestScenario,
  webhookScenario,
];

const outputPath = 'docs/performance.md';

function progress(message: string): void {
  const seconds = (performance.now() / 1000).toFixed(0).padStart(4);
  process.stdout.write(`[bench ${seconds}s] ${message}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      seconds: { type: 'string', default: '3' },
    },
  });
  const only = values.only?.split(',');
  const seconds = Number(values.seconds);
  const chosen = scenarios.filter((s) => !only || only.includes(s.name));
  const options = {
    seconds,
    databaseUrl: process.env.DATABASE_URL || undefined,
    progress,
  };
  const startedAt = new Date();

  const sections: Section[] = [];
  for (const scenario of chosen) {
    // Let the previous scenario's writes reach the disk first: a kernel
    // still flushing a gigabyte slows every fsync the next one makes.
    execFileSync('sync');
    progress(`${scenario.name}: start`);
    sections.push(...(await scenario.run(options)));
  }
  const document = renderDocument(
    startedAt,
    seconds,
    describeMachine(),
    sections,
  );
  if (only) {
    process.stdout.write(document);
    return;
  }
  await writeFile(outputPath, document);
  progress(`wrote ${outputPath}`);
}

await main();
