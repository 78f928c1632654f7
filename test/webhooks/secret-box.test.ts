// Tests src/store/secret-box.ts; kept beside the webhook tests, its users.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSecretBox, loadSecretKey } from '../../src/store/secret-box.js';

const folders: string[] = [];
after(() =>
  Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))),
);

async function folder(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'reporthub-key-'));
  folders.push(path);
  return path;
}

describe('the secret box', () => {
  it('opens what it sealed, and only for the same owner', () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal('whsec_abc', 'ep_1');
    assert.equal(sealed.includes('whsec_abc'), false);
    assert.equal(box.open(sealed, 'ep_1'), 'whsec_abc');
    assert.throws(() => box.open(sealed, 'ep_2'));
    assert.throws(() => createSecretBox(randomBytes(32)).open(sealed, 'ep_1'));
  });

  it('generates a key into DATA_DIR once, readable by its owner only', async () => {
    const dataDir = await folder();
    const key = loadSecretKey({ secretKey: undefined, dataDir });
    const path = join(dataDir, 'secret.key');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(loadSecretKey({ secretKey: undefined, dataDir }), key);
    assert.equal((await readFile(path, 'utf8')).trim(), key.toString('base64'));
  });

  it('prefers SECRET_KEY and refuses one of the wrong length', async () => {
    const dataDir = await folder();
    const configured = randomBytes(32);
    const key = loadSecretKey({
      secretKey: configured.toString('base64'),
      dataDir,
    });
    assert.deepEqual(key, configured);
    assert.throws(
      () => loadSecretKey({ secretKey: 'c2hvcnQ=', dataDir }),
      /SECRET_KEY must be the base64 of 32 bytes/,
    );
  });
});
