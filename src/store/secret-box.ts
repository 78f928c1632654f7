/**
 * Encrypts webhook secrets at rest with AES-256-GCM. The key comes from
 * SECRET_KEY, or from DATA_DIR/secret.key, written (mode 0600) on the first
 * start. A database dump alone then reveals no secret. With several hosts
 * (serve and workers), set SECRET_KEY so that all of them share the key.
 */
import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  type CipherGCM,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretBox {
  /** `context`, the owner's ID, is bound in: sealed values cannot be swapped. */
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const version = 'v1';

/** Reads a base64 key of exactly 32 bytes; throws one clear line otherwise. */
export function readKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== keyBytes) {
    throw new Error(
      `${source} must be the base64 of ${keyBytes} bytes ` +
        '(e.g. `openssl rand -base64 32`)',
    );
  }
  return key;
}

/** The configured key, or the one in DATA_DIR, made there if missing. */
export function loadSecretKey(options: {
  secretKey: string | undefined;
  dataDir: string;
}): Buffer {
  if (options.secretKey) return readKey(options.secretKey, 'SECRET_KEY');

  const path = join(options.dataDir, 'secret.key');
  try {
    return readKey(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(options.dataDir, { recursive: true });
  try {
    // `wx` fails if another process won the race; then read its key.
    const fresh = randomBytes(keyBytes).toString('base64');
    writeFileSync(path, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKey(readFileSync(path, 'utf8'), path);
}

export function createSecretBox(key: Buffer): SecretBox {
  return {
    seal(plain, context) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv) as CipherGCM;
      cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([
        cipher.update(plain, 'utf8'),
        cipher.final(),
      ]);
      const sealed = Buffer.concat([iv, cipher.getAuthTag(), data]);
      return `${version}:${sealed.toString('base64')}`;
    },
    open(sealed, context) {
      const [tag, payload = ''] = sealed.split(':');
      if (tag !== version) throw new Error('unknown sealed secret format');
      const bytes = Buffer.from(payload, 'base64');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        key,
        bytes.subarray(0, ivBytes),
      );
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes));
      const data = bytes.subarray(ivBytes + tagBytes);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
