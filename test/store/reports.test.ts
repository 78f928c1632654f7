import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { saveReports, type NewReport } from '../../src/store/reports.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(() => server.close());

async function storedFile(text: string) {
  const { key, size } = await server.runtime.files.put(Buffer.from(text));
  return {
    name: 'report.html',
    storageKey: key,
    size,
    contentType: 'text/html',
  };
}

function report(version: string, files: NewReport['files']): NewReport {
  return {
    projectVersion: version,
    reportType: 'CWE Top 25',
    reportVersion: 2024,
    date: Date.UTC(2025, 0, 1) * 1000,
    vulnerabilitiesCount: 0,
    securityRating: 'A',
    unmappedCount: 0,
    files,
  };
}

test('concurrent saves of one new identity keep a single report', async () => {
  const org = await server.createOrg();
  const files = [await storedFile('same')];
  const product = { projectKey: 'race', projectName: 'Race' };
  const results = await Promise.all(
    Array.from({ length: 6 }, () =>
      saveReports(server.runtime.db, org.id, product, [report('1.0.0', files)]),
    ),
  );
  const ids = new Set(results.map((r) => r.reports[0]!.id));
  assert.equal(ids.size, 1);
  const rows = await server.runtime.db.kysely
    .selectFrom('reports')
    .select('id')
    .where('org_id', '=', org.id)
    .execute();
  assert.equal(rows.length, 1);
});

test('every save writes its event in the same transaction', async () => {
  const org = await server.createOrg();
  const product = { projectKey: 'evt', projectName: 'Events' };
  const files = [await storedFile('events')];
  const first = await saveReports(server.runtime.db, org.id, product, [
    report('2.0.0', files),
  ]);
  await saveReports(server.runtime.db, org.id, product, [
    report('2.0.0', files),
    report('2.1.0', files),
  ]);
  const events = await server.runtime.db.kysely
    .selectFrom('events')
    .select(['type', 'report_ids'])
    .where('org_id', '=', org.id)
    .orderBy('seq')
    .execute();
  const created = events.filter((e) => e.type === 'report.created');
  const updated = events.filter((e) => e.type === 'report.updated');
  assert.equal(created.length, 2);
  assert.equal(updated.length, 1);
  assert.deepEqual(JSON.parse(updated[0]!.report_ids), [first.reports[0]!.id]);
});

test('a failed save stores no report and no event', async () => {
  const org = await server.createOrg();
  const product = { projectKey: 'bad', projectName: 'Bad' };
  const files = [await storedFile('x'), await storedFile('x')];
  await assert.rejects(
    saveReports(server.runtime.db, org.id, product, [report('3.0.0', files)]),
  );
  const counts = await Promise.all(
    (['reports', 'events'] as const).map((table) =>
      server.runtime.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', org.id)
        .executeTakeFirstOrThrow(),
    ),
  );
  assert.deepEqual(
    counts.map((c) => Number(c.n)),
    [0, 0],
  );
});

test('a cached list page is never served after another process adds a report', async () => {
  const { openRuntime } = await import('../../src/runtime.js');
  const { createLogger } = await import('../../src/log.js');
  const { listReports } = await import('../../src/store/report-list.js');
  const { parseVersion } = await import('../../src/domain/version.js');
  const org = await server.createOrg();
  const product = { projectKey: 'cache', projectName: 'Cache' };
  const filter = { min: parseVersion('1')! };
  const page = { limit: 10 };
  await saveReports(server.runtime.db, org.id, product, [
    report('1.0.0', [await storedFile('c1')]),
  ]);
  const first = await listReports(server.runtime.db, org.id, filter, page);
  const again = await listReports(server.runtime.db, org.id, filter, page);
  assert.equal(again, first, 'the second read is served from the cache');

  // A second process: its own connection and its own cache.
  const other = await openRuntime(server.config, createLogger('silent'));
  try {
    await saveReports(other.db, org.id, product, [
      report('1.1.0', [await storedFile('c2')]),
    ]);
  } finally {
    await other.close();
  }
  const after = await listReports(server.runtime.db, org.id, filter, page);
  assert.deepEqual(after.reports.map((r) => r.projectVersion).sort(), [
    '1.0.0',
    '1.1.0',
  ]);
});

test('the latest ingest names the product for all of its reports', async () => {
  const org = await server.createOrg();
  const files = [await storedFile('rename')];
  await saveReports(
    server.runtime.db,
    org.id,
    { projectKey: 'k2', projectName: 'First Name' },
    [report('1.0.0', files)],
  );
  const second = await saveReports(
    server.runtime.db,
    org.id,
    { projectKey: 'k2', projectName: 'Second Name' },
    [report('2.0.0', files)],
  );
  assert.equal(second.reports[0]!.projectName, 'Second Name');
  const rows = await server.runtime.db.kysely
    .selectFrom('products')
    .select('name')
    .where('org_id', '=', org.id)
    .execute();
  assert.deepEqual(rows, [{ name: 'Second Name' }]);
});
