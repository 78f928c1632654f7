/**
 * Report files in an S3-compatible bucket, one object per file under
 * `reports/<sha256>`. Keys are content addresses. A put of bytes that are
 * already there uploads them again: that refreshes the object's
 * LastModified, which the sweep relies on, at the cost of a rare extra
 * upload (identical report files are uncommon: every render is dated).
 *
 * The credentials need s3:GetObject, s3:PutObject, s3:DeleteObject and
 * s3:ListBucket. Without ListBucket, S3 answers a HEAD of a missing object
 * with 403 instead of 404, and `lastWritten` fails rather than guess.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3Config } from '../../config.js';
import type { FileStore, StoredFile } from './file-store.js';

const PREFIX = 'reports/';
const KEY = /^[0-9a-f]{64}$/;

export class S3FileStore implements FileStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3Config) {
    this.bucket = config.bucket;
    const credentials =
      config.accessKeyId && config.secretAccessKey
        ? {
            accessKeyId: config.accessKeyId,
            secretAccessKey: config.secretAccessKey,
          }
        : undefined;
    this.client = new S3Client({
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    });
  }

  async put(content: Buffer): Promise<StoredFile> {
    const key = createHash('sha256').update(content).digest('hex');
    const size = content.length;

    // One PUT of the whole buffer: uploads are capped far below S3's 5 GiB
    // limit for a single request, so multipart would only add failure modes.
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey(key),
        Body: content,
        ContentLength: size,
      }),
    );
    return { key, size };
  }

  /**
   * Resolves once S3 has answered with the object's headers, so a missing
   * object rejects (NoSuchKey) before the caller sends a byte. The body is
   * the live HTTP response: it streams with backpressure and errors if the
   * connection to S3 breaks.
   */
  async open(key: string): Promise<Readable> {
    const response = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: objectKey(key) }),
    );
    if (!(response.Body instanceof Readable)) {
      throw new Error('S3 answered GetObject without a readable body');
    }
    return response.Body;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey(key) }),
    );
  }

  async *keys(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: PREFIX,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(PREFIX.length) ?? '';
        if (KEY.test(key)) yield key;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Closes the client's pooled connections. */
  close(): void {
    this.client.destroy();
  }

  async lastWritten(key: string): Promise<Date | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey(key) }),
      );
      return head.LastModified ?? new Date();
    } catch (error) {
      // Only a 404 means absent. Denied access, throttling or a network
      // fault must surface as they are, never pass for a missing file.
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}

function objectKey(key: string): string {
  if (!KEY.test(key)) throw new Error('invalid storage key');
  return PREFIX + key;
}

/** The HTTP status of an SDK error, when S3 answered at all. */
function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } })
    .$metadata;
  return metadata?.httpStatusCode;
}
