import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { createReportArchive } from '../../src/archive/zip.js';
import { FolderFileStore } from '../../src/store/files/folder.js';
import type { ReportWithFiles } from '../../src/store/reports.js';

let dir: string;
let store: FolderFileStore;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reporthub-zip-'));
  store = new FolderFileStore(dir);
});

after(() => rm(dir, { recursive: true, force: true }));

async function report(id: string, sizes: number[]): Promise<ReportWithFiles> {
  const files = [];
  for (const [i, size] of sizes.entries()) {
    const { key } = await store.put(randomBytes(size));
    files.push({ name: `f${i}.bin`, storageKey: key, size, contentType: 'x' });
  }
  return {
    projectName: 'P',
    reportFileName: 'P',
    id,
    reportType: 'CWE Top 25',
    reportVersion: 2024,
    projectVersion: id.slice(-1),
    date: 1,
    uploadDate: 1_700_000_000_000_000,
    vulnerabilitiesCount: 0,
    securityRating: 'A',
    files,
  };
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test('every entry carries the CRC-32 of its bytes and the size is exact', async () => {
  const reports = [
    await report('00000000-0000-0000-0000-000000000001', [0, 1, 70_000]),
    await report('00000000-0000-0000-0000-000000000002', [3 << 20]),
  ];
  const archive = await createReportArchive(store, 'org', reports);
  const bytes = await collect(archive.stream);
  assert.equal(bytes.length, archive.size);

  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (e, z) =>
      e ? reject(e) : resolve(z),
    ),
  );
  let checked = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, async (error, stream) => {
        if (error) return reject(error);
        const content = await collect(stream);
        assert.equal(entry.crc32, zlib.crc32(content), entry.fileName);
        assert.equal(entry.uncompressedSize, content.length);
        checked += 1;
        zip.readEntry();
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  assert.equal(checked, 5);
});
