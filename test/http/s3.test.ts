import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startTestS3, type TestS3 } from '../support/s3.js';
import { seedReport } from '../support/reports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { readZip } from '../support/zip.js';

let s3: TestS3;
let server: TestServer;
let orgId: string;
let token: string;

function filesUrl(ids: string[]): string {
  const reports = ids.map((id) => `reports=${id}`).join('&');
  return `${server.url}/security/report/files?org=${orgId}&${reports}`;
}

async function storageKeys(reportId: string): Promise<string[]> {
  const rows = await server.runtime.db.kysely
    .selectFrom('report_files')
    .select('storage_key')
    .where('report_id', '=', reportId)
    .execute();
  return rows.map((row) => row.storage_key);
}

async function eventually(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !check(); tries += 1) await sleep(20);
  assert.ok(check());
}

before(async () => {
  s3 = await startTestS3();
  server = await startTestServer({ s3: s3.config });
  orgId = (await server.createOrg()).id;
  token = await server.createToken(orgId);
});

after(async () => {
  await server.close();
  await s3.close();
});

describe('report files in an S3 bucket', () => {
  test('an uploaded report comes back byte for byte in the ZIP', async () => {
    const html = Buffer.from('<h1>Acme Web 4.2.0</h1>'.repeat(1000));
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n'),
      Buffer.alloc(2 * 1024 * 1024, 0xa7),
    ]);
    const form = new FormData();
    form.append(
      'metadata',
      JSON.stringify({
        projectName: 'Acme Web',
        projectVersion: '4.2.0',
        reportType: 'OWASP Top 10',
        reportVersion: 2021,
        date: '2025-11-02T10:00:00Z',
        vulnerabilitiesCount: 3,
        securityRating: 'C',
      }),
    );
    form.append('file', new Blob([html], { type: 'text/html' }), 'report.html');
    form.append(
      'file',
      new Blob([pdf], { type: 'application/pdf' }),
      'report.pdf',
    );
    const uploaded = await fetch(`${server.url}/security/report/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    assert.equal(uploaded.status, 201);
    const seeded = await seedReport(server, orgId, { projectVersion: '4.2.0' });

    const list = await fetch(
      `${server.url}/security/report/list?org=${orgId}&version=4.2.0`,
    );
    const listed = (await list.json()) as { reports: Array<{ id: string }> };
    const ids = listed.reports.map((report) => report.id);
    assert.equal(ids.length, 2);
    assert.ok(ids.includes(seeded.id));

    const response = await fetch(filesUrl(ids));
    assert.equal(response.status, 200);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(Number(response.headers.get('content-length')), bytes.length);
    const entries = await readZip(bytes);
    const folder = 'Acme Web 4.2.0 OWASP Top 10 2021';
    assert.ok(entries.get(`${folder}/report.html`)!.equals(html));
    assert.ok(entries.get(`${folder}/report.pdf`)!.equals(pdf));
    assert.equal(
      entries.get('Test product 4.2.0 CWE Top 25 2024/report.html')!.toString(),
      '<p>4.2.0</p>',
    );

    // The bytes went to the bucket, not to the local folder.
    const stored = new Set<string>();
    for await (const key of server.runtime.files.keys()) stored.add(key);
    for (const id of ids) {
      for (const key of await storageKeys(id)) assert.ok(stored.has(key));
    }
    const localFiles = join(server.config.dataDir, 'files');
    await assert.rejects(stat(localFiles), { code: 'ENOENT' });
  });

  test('a file deleted from the bucket mid-archive aborts the transfer', async () => {
    const first = await seedReport(server, orgId, {
      projectVersion: '8.0.0',
      files: [
        {
          name: 'report.html',
          contentType: 'text/html',
          text: 'x'.repeat(8 * 1024 * 1024),
        },
      ],
    });
    const second = await seedReport(server, orgId, {
      projectVersion: '8.0.1',
      files: [
        { name: 'report.html', contentType: 'text/html', text: 'lost file' },
      ],
    });
    const [lostKey] = await storageKeys(second.id);

    const response = await fetch(filesUrl([first.id, second.id]));
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const firstChunk = await reader.read();
    assert.equal(firstChunk.done, false);
    // The first file is still streaming: the second is not opened yet.
    await server.runtime.files.delete(lostKey!);

    let received = firstChunk.value!.length;
    await assert.rejects(async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.length;
      }
    });
    assert.ok(received < Number(response.headers.get('content-length')));
  });

  test('a client that leaves mid-download releases the S3 connection', async () => {
    const report = await seedReport(server, orgId, {
      projectVersion: '9.0.0',
      files: [
        {
          name: 'report.html',
          contentType: 'text/html',
          text: 'y'.repeat(8 * 1024 * 1024),
        },
      ],
    });
    const files = server.runtime.files;
    const open = files.open;
    const opened: Readable[] = [];
    files.open = async (key) => {
      const stream = await open.call(files, key);
      opened.push(stream);
      return stream;
    };
    try {
      const controller = new AbortController();
      const response = await fetch(filesUrl([report.id]), {
        signal: controller.signal,
      });
      await response.body!.getReader().read();
      controller.abort();
      // A paused S3 body left open would hold its pooled connection forever.
      await eventually(() => opened.length === 1 && opened[0]!.destroyed);
    } finally {
      files.open = open;
    }
  });
});
