import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, startServe } from '../support/cli.js';
import { testConfig } from '../support/server.js';
import { readZip } from '../support/zip.js';

let env: Record<string, string | undefined>;
let cleanup: () => Promise<void>;
let dataDir: string;
let serve: { url: string; child: ChildProcess };

before(async () => {
  const made = await testConfig();
  dataDir = made.config.dataDir;
  cleanup = made.cleanup;
  env = {
    DATA_DIR: dataDir,
    DATABASE_URL: made.config.databaseUrl,
    LOG_LEVEL: 'warn',
  };
  serve = await startServe(env);
});

after(async () => {
  serve.child.kill('SIGTERM');
  await new Promise((resolve) => serve.child.once('exit', resolve));
  await cleanup();
});

async function json(args: string[]): Promise<any> {
  const result = await runCli([...args, '--json'], env);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

test('from a new org to a downloaded ZIP, all on the command line', async () => {
  const org = await json(['org', 'create', '--name', 'Acme']);
  assert.deepEqual(Object.keys(org), ['id', 'name']);
  assert.equal(org.name, 'Acme');
  assert.match(org.id, /^[0-9a-f-]{36}$/);

  const token = await json([
    'token',
    'create',
    '--org',
    org.id,
    '--name',
    'ci',
  ]);
  assert.deepEqual(Object.keys(token), ['id', 'name', 'token']);
  assert.equal(token.name, 'ci');
  assert.match(token.token, /^rhi_/);

  const bundle = join(dataDir, 'bundle.json');
  await writeFile(
    bundle,
    JSON.stringify({
      projectKey: 'acme',
      projectName: 'Acme',
      projectVersion: '1.2.0',
      sonarqube: { issues: [{ issues: [] }] },
    }),
  );
  const imported = await json([
    'import',
    bundle,
    '--server',
    serve.url,
    '--token',
    token.token,
  ]);
  assert.equal(imported.reports.length, 2);
  assert.ok(imported.reports.every((r: any) => r.securityRating === 'A'));

  const listed = await json([
    'reports',
    'list',
    '--server',
    serve.url,
    '--org',
    org.id,
    '--minver',
    '1',
  ]);
  assert.deepEqual(
    listed.map((r: any) => r.id).sort(),
    imported.reports.map((r: any) => r.id).sort(),
  );

  const out = join(dataDir, 'out.zip');
  const ids = listed.map((r: any) => r.id).join(',');
  const saved = await json([
    'reports',
    'download',
    '--server',
    serve.url,
    '--org',
    org.id,
    '--reports',
    ids,
    '--out',
    out,
  ]);
  assert.equal(saved.file, out);
  const entries = await readZip(await readFile(out));
  assert.equal(entries.size, 5);
});

test('a failure prints one clear line and exits non-zero', async () => {
  const result = await runCli(
    ['token', 'create', '--org', '00000000-0000-0000-0000-000000000000'],
    env,
  );
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /^error: no organization with ID/);
});

test('importing with a revoked token fails with the server reason', async () => {
  const org = await json(['org', 'create', '--name', 'Revoked']);
  const token = await json(['token', 'create', '--org', org.id]);
  await json(['token', 'revoke', token.id]);
  const bundle = join(dataDir, 'b2.json');
  await writeFile(bundle, '{"projectKey":"x","sonarqube":{"issues":[]}}');
  const result = await runCli(
    ['import', bundle, '--server', serve.url, '--token', token.token],
    env,
  );
  assert.equal(result.code, 1);
  assert.match(result.stderr, /unauthorized/);
  assert.doesNotMatch(result.stderr + result.stdout, new RegExp(token.token));
});

test('every command explains itself with --help', async () => {
  for (const args of [
    [],
    ['serve'],
    ['org', 'create'],
    ['token', 'create'],
    ['import'],
    ['reports', 'download'],
  ]) {
    const result = await runCli([...args, '--help'], env);
    assert.equal(result.code, 0, args.join(' '));
    assert.match(result.stdout, /Usage: reporthub/);
  }
});

test('an organization needs a name', async () => {
  const result = await runCli(['org', 'create', '--name', '  '], env);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error: An organization needs a name/);
});

test('import keeps the path of --server and reads the token from the environment', async () => {
  const org = await json(['org', 'create', '--name', 'Prefix']);
  const { token } = await json(['token', 'create', '--org', org.id]);
  const bundle = join(dataDir, 'prefix.json');
  await writeFile(
    bundle,
    '{"projectKey":"p","projectVersion":"1","sonarqube":{"issues":[{"issues":[]}]}}',
  );
  const result = await runCli(
    ['import', bundle, '--server', `${serve.url}/hub/`, '--json'],
    {
      ...env,
      REPORTHUB_TOKEN: token,
    },
  );
  assert.equal(result.code, 1);
  // The server has no /hub prefix, so the prefix reaching it proves it was kept.
  assert.match(
    result.stderr,
    /No route for POST \/hub\/security\/report\/analysis/,
  );

  const ok = await runCli(['import', bundle, '--server', serve.url, '--json'], {
    ...env,
    REPORTHUB_TOKEN: token,
  });
  assert.equal(ok.code, 0, ok.stderr);
});

test('a wrong server path gets one clear line', async () => {
  const org = await json(['org', 'create', '--name', 'NotJson']);
  const result = await runCli(
    [
      'reports',
      'list',
      '--server',
      `${serve.url}/openapi.json?`,
      '--org',
      org.id,
      '--version',
      '1',
    ],
    env,
  );
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1);
});

test('org list and token list show what was made, dates in ISO 8601', async () => {
  const org = await json(['org', 'create', '--name', 'Listed']);
  const orgs = await json(['org', 'list']);
  assert.ok(orgs.some((o: any) => o.id === org.id && o.name === 'Listed'));
  await json(['token', 'create', '--org', org.id, '--name', 'ci']);
  const [token] = await json(['token', 'list', '--org', org.id]);
  assert.equal(token.name, 'ci');
  assert.match(token.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal('token' in token, false, 'the secret is never listed');
});

test('a missing bundle file is named in plain words', async () => {
  const result = await runCli(
    [
      'import',
      join(dataDir, 'nope.json'),
      '--server',
      serve.url,
      '--token',
      'x',
    ],
    env,
  );
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /^error: cannot read .*nope\.json: no such file or directory/,
  );
});
