/**
 * Report files in a local folder. A file is written to a temporary name,
 * flushed to disk, then renamed into place, so a crash never leaves a
 * half-written file under a real name.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdir,
  open,
  readdir,
  rename,
  rm,
  stat,
  utimes,
} from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FileStore, StoredFile } from './file-store.js';

const KEY = /^[0-9a-f]{64}$/;

export class FolderFileStore implements FileStore {
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error('invalid storage key');
    return join(this.root, key.slice(0, 2), key);
  }

  async put(content: Buffer): Promise<StoredFile> {
    const key = createHash('sha256').update(content).digest('hex');
    const target = this.pathOf(key);
    const size = content.length;
    if (await touch(target)) return { key, size };

    await mkdir(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, `${key}.${randomBytes(6).toString('hex')}`);
    await writeDurably(tmp, content);
    await mkdir(join(this.root, key.slice(0, 2)), { recursive: true });
    await rename(tmp, target);
    await syncDir(join(this.root, key.slice(0, 2)));
    return { key, size };
  }

  async open(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    // Open eagerly so a missing file fails here, before any byte is sent.
    const handle = await open(path, 'r');
    return handle.createReadStream();
  }

  async lastWritten(key: string): Promise<Date | undefined> {
    return stat(this.pathOf(key)).then(
      (info) => info.mtime,
      () => undefined,
    );
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *keys(): AsyncIterable<string> {
    const shards = await readdir(this.root).catch(() => [] as string[]);
    for (const shard of shards) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.root, shard))) {
        if (KEY.test(name)) yield name;
      }
    }
  }
}

/** Marks an existing file as just written; false when there is none. */
async function touch(path: string): Promise<boolean> {
  const now = new Date();
  return utimes(path, now, now).then(
    () => true,
    () => false,
  );
}

async function writeDurably(path: string, content: Buffer): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable: the directory entry itself must reach the disk. */
async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
