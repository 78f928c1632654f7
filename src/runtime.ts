/**
 * Opens what every command needs from the configuration: the database, the
 * file store and the logger. `serve`, `worker` and the admin commands share
 * it, so they always agree on where data lives.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { openDb, type Db } from './store/db.js';
import type { FileStore } from './store/files/file-store.js';
import { FolderFileStore } from './store/files/folder.js';
import {
  createSecretBox,
  loadSecretKey,
  type SecretBox,
} from './store/secret-box.js';

export interface Runtime {
  config: Config;
  db: Db;
  files: FileStore;
  log: Logger;
  /** Seals webhook secrets at rest. */
  secretBox: SecretBox;
  close(): Promise<void>;
}

export async function openFileStore(config: Config): Promise<FileStore> {
  if (config.s3) {
    const { S3FileStore } = await import('./store/files/s3.js');
    return new S3FileStore(config.s3);
  }
  return new FolderFileStore(join(config.dataDir, 'files'));
}

export async function openRuntime(
  config: Config,
  log: Logger = createLogger(config.logLevel),
): Promise<Runtime> {
  const secretBox = createSecretBox(loadSecretKey(config));
  const db = await openDb({
    ...config,
    onIdleError: (error) =>
      log.warn({ err: error }, 'database connection closed by the server'),
  });
  const files = await openFileStore(config);
  const close = async () => {
    files.close?.();
    await db.close();
  };
  return { config, db, files, log, secretBox, close };
}
