import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FileSweeper } from '../../src/store/files/sweep.js';
import { seedReport } from '../support/reports.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(() => server.close());

async function storedKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of server.runtime.files.keys()) keys.push(key);
  return keys.sort();
}

test('a replaced report loses its old files on the second pass only', async () => {
  const org = await server.createOrg();
  const html = (text: string) => [
    { name: 'report.html', contentType: 'text/html', text },
  ];
  await seedReport(server, org.id, {
    projectVersion: '1.0.0',
    files: html('old'),
  });
  const { key: orphan } = await server.runtime.files.put(
    Buffer.from('in flight'),
  );
  await seedReport(server, org.id, {
    projectVersion: '1.0.0',
    files: html('new'),
  });
  const before = await storedKeys();
  assert.equal(before.length, 3);

  await new Promise((resolve) => setTimeout(resolve, 20));
  const sweeper = new FileSweeper(server.runtime.db, server.runtime.files);
  assert.equal(await sweeper.sweep(), 0, 'the first pass only marks');
  assert.equal(await sweeper.sweep(), 2);

  const after = await storedKeys();
  assert.equal(after.length, 1);
  assert.ok(!after.includes(orphan));
  const response = await fetch(
    `${server.url}/security/report/list?org=${org.id}&version=1`,
  );
  const [report] = ((await response.json()) as any).reports;
  const zip = await fetch(
    `${server.url}/security/report/files?org=${org.id}&reports=${report.id}`,
  );
  assert.equal(zip.status, 200);
  await zip.arrayBuffer();
});

test('a file referenced again between passes is kept', async () => {
  const org = await server.createOrg();
  const { key } = await server.runtime.files.put(Buffer.from('late commit'));
  const sweeper = new FileSweeper(server.runtime.db, server.runtime.files);
  await sweeper.sweep();
  await seedReport(server, org.id, {
    projectVersion: '2.0.0',
    files: [
      { name: 'report.html', contentType: 'text/html', text: 'late commit' },
    ],
  });
  await sweeper.sweep();
  assert.ok((await storedKeys()).includes(key));
});

test('bytes put again between passes are not swept before the commit', async () => {
  const bytes = Buffer.from('re-ingested between passes');
  const { key } = await server.runtime.files.put(bytes);
  const sweeper = new FileSweeper(server.runtime.db, server.runtime.files);
  await sweeper.sweep();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await server.runtime.files.put(bytes);
  // Write times have millisecond precision; a tie counts as written since.
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(await sweeper.sweep(), 0);
  assert.ok((await storedKeys()).includes(key));
  await sweeper.sweep();
  assert.ok(!(await storedKeys()).includes(key), 'swept once truly idle');
});
