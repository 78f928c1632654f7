import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../../src/server.js';
import { createOrganization } from '../../src/store/orgs.js';
import { testConfig } from '../support/server.js';
import {
  openFilesUnder,
  stallDownload,
  untilTrue,
} from './stalled-download.js';

test('shutdown does not hang on a download whose client stopped reading', async () => {
  const { config, cleanup } = await testConfig({ logLevel: 'silent' });
  const running = await startServer(config, { shutdownGraceMs: 200 });
  const org = await createOrganization(running.runtime.db, 'Stalled');
  const store = join(config.dataDir, 'files');
  const client = await stallDownload(running, org.id);
  try {
    assert.ok(await untilTrue(() => openFilesUnder(store) > 0, 5_000));

    const started = Date.now();
    await running.close();
    assert.ok(Date.now() - started < 5_000, 'closed within the grace period');
    assert.ok(
      await untilTrue(() => openFilesUnder(store) === 0, 2_000),
      'the file is released',
    );
  } finally {
    client.destroy();
    await cleanup();
  }
});
