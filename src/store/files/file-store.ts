import type { Readable } from 'node:stream';

/** A stored file's address and size. */
export interface StoredFile {
  /** SHA-256 of the content, hex: the same bytes are stored once. */
  key: string;
  size: number;
}

/**
 * Where report files live: a folder by default, an S3-compatible bucket at
 * scale. Files are content addressed, so writing never overwrites another
 * report's bytes and a replaced report's old files stay readable until the
 * rows that point at them are gone.
 */
export interface FileStore {
  /**
   * Stores the bytes. Storing bytes that are already there refreshes the
   * file's write time, which keeps the sweep away from a file an ingest is
   * about to reference again.
   */
  put(content: Buffer): Promise<StoredFile>;
  /** When the file was last put; undefined when there is no such file. */
  lastWritten(key: string): Promise<Date | undefined>;
  /** A stream of the file; it errors (not ends early) if the file is gone. */
  open(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Every stored key, for the sweep of unreferenced files. */
  keys(): AsyncIterable<string>;
  /** Releases pooled connections, for stores that hold any. */
  close?(): void;
}
