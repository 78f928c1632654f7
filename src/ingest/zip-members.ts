/**
 * Reads chosen members of an uploaded ZIP into memory, with the limits that
 * keep a hostile archive from exhausting the server: a bounded member count,
 * no paths that climb out (`../`) or start at a root, no symbolic links, and
 * a bound on each member's and on the total uncompressed size. Sizes are
 * checked twice: the declared size before a byte is inflated, and the bytes
 * actually produced while inflating, because the declared size is only a
 * claim made by whoever built the archive.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { HubError, isHubError } from '../errors.js';

export interface ZipLimits {
  /** Most entries (files and folders) the archive may list. */
  maxEntries: number;
  /** Largest uncompressed size of one member read. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all members read together. */
  maxTotalBytes: number;
}

export interface ZipMember {
  /** Path inside the archive, `/`-separated. */
  name: string;
  data: Buffer;
}

function rejected(problem: string): HubError {
  return new HubError('invalid_bundle', `The ZIP bundle ${problem}.`);
}

function tooLarge(problem: string): HubError {
  return new HubError('payload_too_large', `The ZIP bundle ${problem}.`);
}

// yauzl refuses these names already; checking again keeps the guarantee
// here, where a reader of this file can see it.
function checkName(name: string): void {
  const absolute = name.startsWith('/') || /^[a-zA-Z]:/.test(name);
  const climbs = name.split(/[\\/]/).includes('..');
  if (absolute || climbs || name.includes('\0')) {
    throw rejected(`has a member with an unsafe path: ${JSON.stringify(name)}`);
  }
}

const fileTypeMask = 0o170000;
const symlinkType = 0o120000;

function isSymlink(entry: Entry): boolean {
  const unixMode = (entry.externalFileAttributes >>> 16) & 0xffff;
  return (unixMode & fileTypeMask) === symlinkType;
}

async function inflate(
  stream: Readable,
  name: string,
  limitBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limitBytes) {
        throw tooLarge(
          `member ${name} inflates to more than ${limitBytes} bytes`,
        );
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (isHubError(error)) throw error;
    // yauzl reports a member that inflates past its declared size, or fails
    // its checksum, as a stream error.
    throw rejected(`member ${name} is damaged (${describe(error)})`);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, size);
}

function checkDeclaredSize(
  entry: Entry,
  totalBytes: number,
  limits: ZipLimits,
): void {
  const name = entry.fileName;
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    throw tooLarge(
      `member ${name} is ${entry.uncompressedSize} bytes uncompressed; ` +
        `the limit is ${limits.maxEntryBytes}`,
    );
  }
  if (totalBytes + entry.uncompressedSize > limits.maxTotalBytes) {
    throw tooLarge(
      `holds more than ${limits.maxTotalBytes} bytes uncompressed`,
    );
  }
}

async function readMembers(
  zip: ZipFile,
  limits: ZipLimits,
  wanted: (name: string) => boolean,
): Promise<ZipMember[]> {
  if (zip.entryCount > limits.maxEntries) {
    throw tooLarge(
      `has ${zip.entryCount} entries; the limit is ${limits.maxEntries}`,
    );
  }
  const members: ZipMember[] = [];
  const seen = new Set<string>();
  let totalBytes = 0;

  for await (const entry of zip.eachEntry()) {
    const name = entry.fileName;
    checkName(name);
    if (isSymlink(entry)) throw rejected(`has a symbolic link: ${name}`);
    if (name.endsWith('/') || !wanted(name)) continue;
    if (seen.has(name)) throw rejected(`has the member ${name} twice`);
    seen.add(name);
    if (entry.isEncrypted()) throw rejected(`has an encrypted member: ${name}`);

    checkDeclaredSize(entry, totalBytes, limits);
    const stream = await zip.openReadStreamPromise(entry);
    const limit = Math.min(
      limits.maxEntryBytes,
      limits.maxTotalBytes - totalBytes,
    );
    const data = await inflate(stream, name, limit);
    totalBytes += data.length;
    members.push({ name, data });
  }
  return members;
}

/**
 * The members for which `wanted(name)` holds, in archive order. Members not
 * wanted are skipped without inflating them, but still count towards
 * `maxEntries` and are still checked for unsafe paths and links.
 */
export async function readZipMembers(
  bytes: Buffer,
  limits: ZipLimits,
  wanted: (name: string) => boolean,
): Promise<ZipMember[]> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, {
      lazyEntries: true,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw rejected(`cannot be read as a ZIP file (${describe(error)})`);
  }

  try {
    return await readMembers(zip, limits, wanted);
  } catch (error) {
    if (isHubError(error)) throw error;
    throw rejected(`is damaged or unsafe (${describe(error)})`);
  } finally {
    zip.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
