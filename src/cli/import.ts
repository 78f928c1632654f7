/**
 * `reporthub import FILE`: sends a saved bundle (JSON or ZIP) to a Report
 * Hub server, as CI would.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { request } from 'undici';
import { apiUrl, describeFileError, readAnswer, tokenOf } from './client.js';
import { print, reportLine, type ReportLineFields } from './output.js';

interface ImportOptions {
  server: string;
  token?: string;
  json?: boolean;
}

interface IngestAnswer {
  organizationId: string;
  reports: ReportLineFields[];
}

function isZip(bytes: Buffer): boolean {
  return bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}

export async function importBundle(
  file: string,
  options: ImportOptions,
): Promise<{ status: number; body: IngestAnswer }> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${file}: ${describeFileError(error)}`);
  });
  const response = await request(
    apiUrl(options.server, '/security/report/analysis'),
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenOf(options.token)}`,
        'content-type': isZip(bytes) ? 'application/zip' : 'application/json',
      },
      body: bytes,
    },
  );
  const body = await readAnswer<IngestAnswer>(response);
  return { status: response.statusCode, body };
}

export function registerImportCommand(program: Command): void {
  program
    .command('import <file>')
    .description('send a saved SonarQube bundle (JSON or ZIP) to a server')
    .requiredOption('--server <url>', 'Report Hub base URL')
    .option('--token <token>', 'ingest token (or set REPORTHUB_TOKEN)')
    .option('--json', 'print the server answer as JSON')
    .action(async (file: string, options: ImportOptions) => {
      const { status, body } = await importBundle(file, options);
      const verb = status === 201 ? 'created' : 'replaced';
      const lines = body.reports.map(reportLine);
      print(!!options.json, body, [`${verb}:`, ...lines].join('\n'));
    });
}
