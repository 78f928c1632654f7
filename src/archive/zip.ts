/**
 * Chosen reports as one ZIP, streamed from the file store to the socket.
 * Entries are stored, not deflated: the PDFs are compressed already, and
 * stored entries make the archive's size known before the first byte, so
 * the response can carry a Content-Length. yazl switches to ZIP64 by
 * itself where sizes or offsets need it.
 */
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import './crc32.js';
import { reportListBody, stringifyReportList } from '../domain/report-json.js';
import type { FileStore } from '../store/files/file-store.js';
import type { ReportWithFiles } from '../store/reports.js';
import { folderName, safeSegment, UniqueNames } from './names.js';

export interface ReportArchive {
  stream: Readable;
  /** Total bytes of the archive. */
  size: number;
}

/** A fixed time for entries, so the same reports give the same bytes. */
function entryTime(report: ReportWithFiles): Date {
  return new Date(Math.floor(report.uploadDate / 1000));
}

function addReport(
  zip: ZipFile,
  files: FileStore,
  report: ReportWithFiles,
  folder: string,
  archive: Readable,
): void {
  const fail = (error: Error) => archive.destroy(error);
  const names = new UniqueNames();
  for (const file of report.files) {
    const path = `${folder}/${names.claim(safeSegment(file.name, 'file'))}`;
    const options = {
      size: file.size,
      compress: false,
      mtime: entryTime(report),
    };
    zip.addReadStreamLazy(path, options, (callback) => {
      files.open(file.storageKey).then(
        (stream) => {
          // yazl pipes without forwarding errors: a storage failure must
          // abort the archive, never end it looking complete.
          stream.once('error', fail);
          closeWith(archive, stream);
          callback(null, stream);
        },
        (error: Error) => fail(error),
      );
    });
  }
}

/**
 * yazl does not close an entry's source when the archive goes away (the
 * client left): paused, it would hold an open file or an S3 connection.
 */
function closeWith(archive: Readable, source: Readable): void {
  if (archive.destroyed) {
    source.destroy();
    return;
  }
  const release = () => source.destroy();
  archive.once('close', release);
  source.once('close', () => archive.off('close', release));
}

/**
 * Builds the archive for reports that are already checked to exist in the
 * org. Resolves once the size is known; bytes flow as the reader pulls.
 */
export function createReportArchive(
  files: FileStore,
  organizationId: string,
  reports: ReportWithFiles[],
): Promise<ReportArchive> {
  const zip = new ZipFile();
  const stream = zip.outputStream as Readable;
  zip.on('error', (error: Error) => stream.destroy(error));

  const folders = new UniqueNames();
  for (const report of reports) {
    addReport(zip, files, report, folders.claim(folderName(report)), stream);
  }

  const manifest = stringifyReportList(reportListBody(organizationId, reports));
  zip.addBuffer(Buffer.from(manifest), 'manifest.json', {
    compress: false,
    mtime: new Date(),
  });

  return new Promise((resolve) => {
    // @types/yazl omits the callback's argument: the total size, or -1.
    const end = zip.end.bind(zip) as (
      options: object,
      onSize: (size: number) => void,
    ) => void;
    end({}, (size) => resolve({ stream, size }));
  });
}
