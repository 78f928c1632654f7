import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { FileStore } from '../../src/store/files/file-store.js';
import { FolderFileStore } from '../../src/store/files/folder.js';
import { S3FileStore } from '../../src/store/files/s3.js';
import { startTestS3 } from '../support/s3.js';

interface OpenedStore {
  store: FileStore;
  close(): Promise<void>;
}

async function openFolderStore(): Promise<OpenedStore & { root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'reporthub-files-'));
  return {
    root,
    store: new FolderFileStore(root),
    close: () => rm(root, { recursive: true, force: true }),
  };
}

async function openS3Store(): Promise<OpenedStore> {
  const s3 = await startTestS3();
  const store = new S3FileStore(s3.config);
  return {
    store,
    async close() {
      store.close();
      await s3.close();
    },
  };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function allKeys(store: FileStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.keys()) keys.push(key);
  return keys.sort();
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const stores: Array<[string, () => Promise<OpenedStore>]> = [
  ['FolderFileStore', openFolderStore],
  ['S3FileStore', openS3Store],
];

for (const [name, openStore] of stores) {
  describe(`${name} keeps the file store contract`, () => {
    let opened: OpenedStore;
    let store: FileStore;

    beforeEach(async () => {
      opened = await openStore();
      store = opened.store;
    });
    afterEach(() => opened.close());

    test('put answers the SHA-256 of the bytes and their size', async () => {
      const bytes = Buffer.from('<p>report</p>');
      const stored = await store.put(bytes);
      assert.deepEqual(stored, { key: sha256(bytes), size: bytes.length });
    });

    test('the same bytes are stored once', async () => {
      const first = await store.put(Buffer.from('same'));
      const second = await store.put(Buffer.from('same'));
      assert.equal(second.key, first.key);
      assert.deepEqual(await allKeys(store), [first.key]);
    });

    test('putting the same bytes again refreshes their write time', async () => {
      const missing = await store.lastWritten('0'.repeat(64));
      assert.equal(missing, undefined);
      const { key } = await store.put(Buffer.from('touched'));
      const first = (await store.lastWritten(key))!;
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await store.put(Buffer.from('touched'));
      const second = (await store.lastWritten(key))!;
      assert.ok(
        second > first,
        `${second.toISOString()} > ${first.toISOString()}`,
      );
    });

    test('open streams back exactly the stored bytes', async () => {
      const small = Buffer.from('%PDF-1.4 tiny');
      const { key } = await store.put(small);
      assert.deepEqual(await readAll(await store.open(key)), small);
    });

    test('open streams a 12 MiB file whole', async () => {
      const large = Buffer.alloc(12 * 1024 * 1024);
      for (let i = 0; i < large.length; i += 4096) large[i] = i % 251;
      const { key, size } = await store.put(large);
      assert.equal(size, large.length);
      const read = await readAll(await store.open(key));
      assert.equal(read.length, large.length);
      assert.ok(read.equals(large));
    });

    test('open of a missing key rejects instead of streaming nothing', async () => {
      const missing = sha256(Buffer.from('never stored'));
      await assert.rejects(store.open(missing));
    });

    test('open and delete refuse a key that is not a SHA-256', async () => {
      await assert.rejects(store.open('../etc/passwd'), /invalid storage key/);
      await assert.rejects(store.delete('ab'), /invalid storage key/);
    });

    test('delete removes the file and ignores one already gone', async () => {
      const { key } = await store.put(Buffer.from('to delete'));
      await store.delete(key);
      await assert.rejects(store.open(key));
      assert.deepEqual(await allKeys(store), []);
      await store.delete(key);
    });

    test('keys lists every stored file and nothing else', async () => {
      assert.deepEqual(await allKeys(store), []);
      const a = await store.put(Buffer.from('a'));
      const b = await store.put(Buffer.from('b'));
      assert.deepEqual(await allKeys(store), [a.key, b.key].sort());
    });
  });
}

describe('FolderFileStore after a crash', () => {
  let root: string;
  let opened: OpenedStore;

  beforeEach(async () => {
    const folder = await openFolderStore();
    root = folder.root;
    opened = folder;
  });
  afterEach(() => opened.close());

  test('put writes through a temporary name and leaves none behind', async () => {
    const bytes = Buffer.alloc(256 * 1024, 'r');
    const { key } = await opened.store.put(bytes);
    assert.deepEqual(await readdir(join(root, 'tmp')), []);
    const final = await readFile(join(root, key.slice(0, 2), key));
    assert.ok(final.equals(bytes));
  });

  test('a half-written temporary file is neither listed nor opened', async () => {
    const bytes = Buffer.from('complete content');
    const key = sha256(bytes);
    await opened.store.put(Buffer.from('something else'));
    // What a crash in the middle of put leaves: a partial file in tmp/.
    await writeFile(join(root, 'tmp', `${key}.0123456789ab`), 'compl');

    assert.ok(!(await allKeys(opened.store)).includes(key));
    await assert.rejects(opened.store.open(key));
    await opened.store.put(bytes);
    assert.deepEqual(await readAll(await opened.store.open(key)), bytes);
  });
});

describe('S3FileStore errors', () => {
  let fake: Server;
  let methods: string[];

  beforeEach(async () => {
    methods = [];
    fake = createServer((request, response) => {
      methods.push(request.method ?? '');
      request.resume();
      response.writeHead(403, { 'content-type': 'application/xml' });
      response.end(
        '<Error><Code>AccessDenied</Code><Message>no</Message></Error>',
      );
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => new Promise<void>((resolve) => fake.close(() => resolve())));

  test('a denied HEAD fails lastWritten instead of passing for a missing file', async () => {
    const { port } = fake.address() as AddressInfo;
    const store = new S3FileStore({
      endpoint: `http://127.0.0.1:${port}`,
      bucket: 'denied',
      region: 'us-east-1',
      accessKeyId: 'key',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
    try {
      const denied = (error: { $metadata?: { httpStatusCode?: number } }) =>
        error.$metadata?.httpStatusCode === 403;
      await assert.rejects(store.lastWritten('a'.repeat(64)), denied);
      await assert.rejects(store.put(Buffer.from('x')), denied);
      assert.deepEqual(methods, ['HEAD', 'PUT']);
    } finally {
      store.close();
    }
  });
});
