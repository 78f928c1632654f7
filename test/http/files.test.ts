import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { seedReport } from '../support/reports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { readZip } from '../support/zip.js';
import {
  openFilesUnder,
  settle,
  startStalledDownload,
  untilTrue,
} from './stalled-download.js';

let server: TestServer;
let orgId: string;

function filesUrl(org: string, ids: string[]): string {
  const reports = ids.map((id) => `reports=${id}`).join('&');
  return `${server.url}/security/report/files?org=${org}&${reports}`;
}

before(async () => {
  server = await startTestServer();
  orgId = (await server.createOrg()).id;
});

after(() => server.close());

describe('downloading reports as a ZIP', () => {
  test('holds a folder per report and a manifest equal to the list', async () => {
    const a = await seedReport(server, orgId, {
      projectVersion: '3.1.0',
      projectName: 'Acme Web',
      projectKey: 'acme-web',
      vulnerabilitiesCount: 4,
      securityRating: 'C',
    });
    const b = await seedReport(server, orgId, {
      projectVersion: '3.1.0',
      projectName: 'Acme Web',
      projectKey: 'acme-web',
      reportType: 'OWASP Top 10',
      reportVersion: 2021,
    });

    const response = await fetch(filesUrl(orgId, [a.id, b.id, a.id]));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/zip');
    assert.match(
      response.headers.get('content-disposition')!,
      /^attachment; filename="security-reports-\d{8}T\d{6}Z\.zip"$/,
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(Number(response.headers.get('content-length')), bytes.length);

    const entries = await readZip(bytes);
    assert.deepEqual([...entries.keys()].sort(), [
      'Acme Web 3.1.0 CWE Top 25 2024/report.html',
      'Acme Web 3.1.0 CWE Top 25 2024/report.pdf',
      'Acme Web 3.1.0 OWASP Top 10 2021/report.html',
      'Acme Web 3.1.0 OWASP Top 10 2021/report.pdf',
      'manifest.json',
    ]);
    const pdf = entries.get('Acme Web 3.1.0 CWE Top 25 2024/report.pdf')!;
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

    const listed = await fetch(
      `${server.url}/security/report/list?org=${orgId}&version=3.1`,
    ).then((r) => r.text());
    assert.equal(entries.get('manifest.json')!.toString(), listed);
  });

  test('makes hostile product names safe and unique', async () => {
    const names = ['../../x', 'CON', 'con', 'a/b\\c:d*?', '...'];
    const ids: string[] = [];
    for (const [i, projectName] of names.entries()) {
      const report = await seedReport(server, orgId, {
        projectVersion: '1.0.0',
        projectName,
        projectKey: `hostile-${i}`,
      });
      ids.push(report.id);
    }
    const entries = await readZip(
      Buffer.from(await (await fetch(filesUrl(orgId, ids))).arrayBuffer()),
    );
    const folders = [...entries.keys()]
      .filter((name) => name.endsWith('/report.html'))
      .map((name) => name.slice(0, -'/report.html'.length))
      .sort();
    assert.deepEqual(
      folders,
      [
        '1.0.0 CWE Top 25 2024',
        'CON 1.0.0 CWE Top 25 2024 (2)',
        '_.._x 1.0.0 CWE Top 25 2024',
        'a_b_c_d__ 1.0.0 CWE Top 25 2024',
        'con 1.0.0 CWE Top 25 2024',
      ].sort(),
    );
    for (const name of entries.keys()) {
      assert.ok(!name.split('/').includes('..'), name);
      assert.ok(!name.startsWith('/'), name);
    }
  });

  test('answers 204 when one ID belongs to another org', async () => {
    const mine = await seedReport(server, orgId, { projectVersion: '5.0.0' });
    const otherOrg = (await server.createOrg('Other')).id;
    const theirs = await seedReport(server, otherOrg, {
      projectVersion: '5.0.0',
    });

    const response = await fetch(filesUrl(orgId, [mine.id, theirs.id]));
    assert.equal(response.status, 204);
    assert.equal((await response.arrayBuffer()).byteLength, 0);
    const unknownId = '00000000-0000-0000-0000-0000000000ff';
    assert.equal((await fetch(filesUrl(orgId, [unknownId]))).status, 204);
  });

  test('aborts the transfer when a stored file is gone mid-stream', async () => {
    const first = await seedReport(server, orgId, {
      projectVersion: '6.0.0',
      files: [
        {
          name: 'report.html',
          contentType: 'text/html',
          text: 'x'.repeat(300_000),
        },
      ],
    });
    const second = await seedReport(server, orgId, {
      projectVersion: '6.0.1',
      files: [
        { name: 'report.html', contentType: 'text/html', text: 'lost file' },
      ],
    });
    const [file] = (
      await server.runtime.db.kysely
        .selectFrom('report_files')
        .select('storage_key')
        .where('report_id', '=', second.id)
        .execute()
    ).map((row) => row.storage_key);
    await rm(join(server.config.dataDir, 'files', file!.slice(0, 2), file!));

    const response = await fetch(filesUrl(orgId, [first.id, second.id]));
    assert.equal(response.status, 200);
    await assert.rejects(response.arrayBuffer());
  });
});

describe('HEAD on a download', () => {
  test('HEAD answers the same headers as GET without a body', async () => {
    const report = await seedReport(server, orgId, { projectVersion: '8.0.0' });
    const url = filesUrl(orgId, [report.id]);
    const get = await fetch(url);
    const bytes = Buffer.from(await get.arrayBuffer());
    const head = await fetch(url, { method: 'HEAD' });

    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'application/zip');
    assert.match(head.headers.get('content-disposition')!, /^attachment; /);
    assert.equal(Number(head.headers.get('content-length')), bytes.length);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
  });

  test('HEAD does not read the stored files', async () => {
    const size = 8 * 1024 * 1024;
    const report = await seedReport(server, orgId, {
      projectVersion: '8.2.0',
      files: [
        {
          name: 'report.html',
          contentType: 'text/html',
          text: 'x'.repeat(size),
        },
      ],
    });
    const store = server.runtime.files;
    const open = store.open;
    const opened: Array<{ bytesRead?: number }> = [];
    store.open = async (key) => {
      const stream = await open.call(store, key);
      opened.push(stream as { bytesRead?: number });
      return stream;
    };
    try {
      const url = filesUrl(orgId, [report.id]);
      assert.equal((await fetch(url, { method: 'HEAD' })).status, 200);
      await settle();
    } finally {
      store.open = open;
    }

    const read = opened.reduce((sum, s) => sum + (s.bytesRead ?? 0), 0);
    assert.ok(read < size / 8, `read ${read} bytes for a HEAD`);
  });

  test('repeated HEADs do not leak open file handles', async () => {
    const report = await seedReport(server, orgId, { projectVersion: '8.1.0' });
    const url = filesUrl(orgId, [report.id]);
    const store = join(server.config.dataDir, 'files');
    await fetch(url, { method: 'HEAD' });
    await settle();
    const filesBefore = openFilesUnder(store);
    const fdsBefore = openFilesUnder('');

    for (let i = 0; i < 20; i += 1) {
      assert.equal((await fetch(url, { method: 'HEAD' })).status, 200);
    }
    await settle();

    assert.equal(openFilesUnder(store), filesBefore);
    assert.ok(openFilesUnder('') < fdsBefore + 5, 'no fd per HEAD');
  });
});

describe('a download whose client stops reading', () => {
  test('is dropped after the inactivity timeout, releasing its files', async () => {
    const stalled = await startStalledDownload({ downloadIdleTimeoutMs: 300 });
    try {
      assert.ok(
        await untilTrue(() => openFilesUnder(stalled.store) === 0, 5_000),
        'the file is closed once the download has been idle',
      );
    } finally {
      stalled.client.destroy();
      await stalled.close();
    }
  });
});

describe('bad download parameters', () => {
  const id = '00000000-0000-0000-0000-000000000001';
  const cases: Array<[string, string, string, string]> = [
    ['no reports', `org=ORG`, 'missing_parameter', 'reports'],
    ['no org', `reports=${id}`, 'missing_parameter', 'org'],
    [
      'a report ID that is not a UUID',
      `org=ORG&reports=nope`,
      'invalid_parameter',
      'reports',
    ],
    ['101 report IDs', `org=ORG&${ids(101)}`, 'too_many_reports', 'reports'],
    [
      '10,000 report IDs',
      `org=ORG&${ids(10_000)}`,
      'too_many_reports',
      'reports',
    ],
  ];
  for (const [name, query, code, parameter] of cases) {
    test(`${name} answers 400 ${code}`, async () => {
      const response = await fetch(
        `${server.url}/security/report/files?${query.replace('ORG', orgId)}`,
      );
      const body = (await response.json()) as {
        code: string;
        parameter: string;
      };
      assert.equal(response.status, 400);
      assert.equal(body.code, code);
      assert.equal(body.parameter, parameter);
    });
  }

  test('100 IDs with duplicates beyond 100 values are accepted', async () => {
    const report = await seedReport(server, orgId, { projectVersion: '7.0.0' });
    const query = Array(150).fill(`reports=${report.id}`).join('&');
    const response = await fetch(
      `${server.url}/security/report/files?org=${orgId}&${query}`,
    );
    assert.equal(response.status, 200);
    const entries = await readZip(Buffer.from(await response.arrayBuffer()));
    assert.equal(entries.size, 3);
  });
});

function ids(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `reports=00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
  ).join('&');
}
