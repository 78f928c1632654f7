/**
 * `reporthub reports list` and `reports download`: the published read API
 * from the shell, against any Report Hub server.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Command } from 'commander';
import { request } from 'undici';
import { apiUrl, describeFileError, readAnswer } from './client.js';
import { print, reportLine } from './output.js';
import { progressBar } from './progress.js';

interface ListOptions {
  server: string;
  org: string;
  version?: string;
  minver?: string;
  maxver?: string;
  json?: boolean;
}

interface ListedReport {
  id: string;
  projectName: string;
  projectVersion: string;
  reportType: string;
  reportVersion: number;
  date: string;
  vulnerabilitiesCount: number;
  securityRating: string;
}

/** Every matching report, following `nextPageToken` to the end. */
export async function listAllReports(
  options: ListOptions,
): Promise<ListedReport[]> {
  const reports: ListedReport[] = [];
  let pageToken: string | undefined;
  do {
    const url = apiUrl(options.server, '/security/report/list');
    url.searchParams.set('org', options.org);
    url.searchParams.set('pageSize', '1000');
    for (const key of ['version', 'minver', 'maxver'] as const) {
      if (options[key]) url.searchParams.set(key, options[key]!);
    }
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    const page = await readAnswer<ListPage>(await request(url));
    reports.push(...page.reports);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return reports;
}

interface ListPage {
  reports: ListedReport[];
  nextPageToken?: string;
}

interface DownloadOptions {
  server: string;
  org: string;
  reports: string;
  out?: string;
}

/**
 * Where to save the ZIP: --out, or the server's suggested name reduced to
 * a plain file name (a hostile server must not pick `../../.bashrc`).
 */
export function outputPath(
  out: string | undefined,
  disposition: string,
): string {
  if (out) return out;
  const suggested = basename(/filename="([^"]+)"/.exec(disposition)?.[1] ?? '');
  return /^[\w.-]+\.zip$/.test(suggested) ? suggested : 'security-reports.zip';
}

async function download(options: DownloadOptions): Promise<string> {
  const url = apiUrl(options.server, '/security/report/files');
  url.searchParams.set('org', options.org);
  for (const id of options.reports.split(',').filter(Boolean)) {
    url.searchParams.append('reports', id.trim());
  }
  const response = await request(url);
  if (response.statusCode === 204) {
    throw new Error('one or more reports do not exist in that organization');
  }
  if (response.statusCode !== 200) {
    await readAnswer(response); // throws the server's error for 4xx and 5xx
    throw new Error(`the server answered ${response.statusCode}`);
  }

  const out = outputPath(
    options.out,
    String(response.headers['content-disposition'] ?? ''),
  );
  const total = Number(response.headers['content-length']) || undefined;
  const bar = progressBar('downloading', total);
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      bar.update(done);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response.body, counter, createWriteStream(out));
  } catch (error) {
    // A cut transfer must not leave a ZIP that looks whole.
    await rm(out, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code
      ? `cannot write ${out}: ${describeFileError(error as NodeJS.ErrnoException)}`
      : 'the download was interrupted; nothing was saved';
    throw new Error(reason, { cause: error });
  } finally {
    bar.finish();
  }
  return out;
}

export function registerReportCommands(program: Command): void {
  const reports = program
    .command('reports')
    .description('list and download reports');
  reports
    .command('list')
    .description('list reports by version (follows every page)')
    .requiredOption('--server <url>', 'Report Hub base URL')
    .requiredOption('--org <id>', 'organization ID')
    .option('--version <v>', 'exact version')
    .option('--minver <v>', 'lowest version, inclusive')
    .option('--maxver <v>', 'highest version, inclusive')
    .option('--json', 'print JSON')
    .action(async (options: ListOptions) => {
      const list = await listAllReports(options);
      const lines = list.map(reportLine);
      print(!!options.json, list, lines.join('\n') || '(no reports)');
    });

  reports
    .command('download')
    .description(
      'download reports as one ZIP, with a progress bar on a terminal',
    )
    .requiredOption('--server <url>', 'Report Hub base URL')
    .requiredOption('--org <id>', 'organization ID')
    .requiredOption('--reports <ids>', 'report IDs, comma-separated')
    .option('--out <file>', 'where to write the ZIP (default: the server name)')
    .option('--json', 'print JSON')
    .action(async (options: DownloadOptions & { json?: boolean }) => {
      const out = await download(options);
      print(!!options.json, { file: out }, `saved ${out}`);
    });
}
