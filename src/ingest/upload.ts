/**
 * A report rendered elsewhere: metadata plus its files, checked before
 * anything is stored.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { safeSegment } from '../archive/names.js';
import { labelProblem } from '../domain/labels.js';
import { HubError } from '../errors.js';
import { parseSonarDate } from './shape.js';
import { dateToMicros } from '../store/ids.js';
import type { FileToStore, ReportToStore } from './persist.js';

export const UploadMetadata = Type.Object(
  {
    projectKey: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
    projectName: Type.String({ minLength: 1, maxLength: 400 }),
    projectVersion: Type.String({ minLength: 1, maxLength: 200 }),
    reportType: Type.String({ minLength: 1, maxLength: 200 }),
    reportVersion: Type.Integer({ minimum: 0, maximum: 9999 }),
    date: Type.String({ minLength: 1, description: 'ISO 8601' }),
    vulnerabilitiesCount: Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 }),
    securityRating: Type.Union(
      ['A', 'B', 'C', 'D', 'E'].map((r) => Type.Literal(r)),
    ),
  },
  { additionalProperties: false },
);

export type UploadMetadata = Static<typeof UploadMetadata>;

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json',
  csv: 'text/csv',
  txt: 'text/plain; charset=utf-8',
  sarif: 'application/json',
};

function extensionOf(name: string): string {
  return /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
}

export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[extensionOf(name)] ?? 'application/octet-stream';
}

export function readMetadata(text: string): UploadMetadata {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HubError('invalid_upload', 'The metadata part is not JSON.', {
      parameter: 'metadata',
    });
  }
  const issue = Value.Errors(UploadMetadata, value).First();
  if (issue) {
    const field = issue.path.split('/').filter(Boolean)[0] ?? 'metadata';
    throw new HubError(
      'invalid_upload',
      `metadata.${field}: ${issue.message}.`,
      { parameter: field },
    );
  }
  const metadata = value as UploadMetadata;
  for (const field of [
    'projectKey',
    'projectName',
    'projectVersion',
    'reportType',
  ] as const) {
    const text = metadata[field];
    const problem = text === undefined ? undefined : labelProblem(field, text);
    if (problem) {
      throw new HubError('invalid_upload', `metadata.${problem}.`, {
        parameter: field,
      });
    }
  }
  if (!parseSonarDate(metadata.date)) {
    throw new HubError(
      'invalid_upload',
      'metadata.date must be a date and time between 1970 and 2199 ' +
        'with an offset, like 2025-12-17T09:05:48Z.',
      { parameter: 'date' },
    );
  }
  return metadata;
}

/** Checks the files: names unique, one report file at least, PDFs real. */
export function checkFiles(files: FileToStore[]): void {
  const names = new Set<string>();
  for (const file of files) {
    if (names.has(file.name.toLowerCase())) {
      throw new HubError('invalid_upload', `Two files are named ${file.name}.`);
    }
    names.add(file.name.toLowerCase());
    const isPdf = extensionOf(file.name) === 'pdf';
    const header = Buffer.from(file.bytes.subarray(0, 5)).toString('latin1');
    if (isPdf && header !== '%PDF-') {
      throw new HubError(
        'invalid_upload',
        `${file.name} is not a PDF: it does not start with %PDF-.`,
        { parameter: file.name },
      );
    }
  }
  const hasReport = files.some((f) =>
    ['html', 'htm', 'pdf'].includes(extensionOf(f.name)),
  );
  if (!hasReport) {
    throw new HubError(
      'invalid_upload',
      'Upload at least one .html or .pdf file besides the metadata.',
    );
  }
}

export function uploadedFile(filename: string, bytes: Buffer): FileToStore {
  const name = safeSegment(filename, 'file');
  return { name, contentType: contentTypeOf(name), bytes };
}

export function uploadToReport(
  metadata: UploadMetadata,
  files: FileToStore[],
): ReportToStore {
  checkFiles(files);
  return {
    projectVersion: metadata.projectVersion,
    reportType: metadata.reportType,
    reportVersion: metadata.reportVersion,
    date: dateToMicros(parseSonarDate(metadata.date)!),
    vulnerabilitiesCount: metadata.vulnerabilitiesCount,
    securityRating: metadata.securityRating,
    unmappedCount: 0,
    files,
  };
}
