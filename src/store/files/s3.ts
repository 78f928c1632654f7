/**
 * Report files in an S3-compatible bucket. Keys are content addresses, so
 * a put of bytes that are already there is skipped.
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
import type { Readable } from 'node:stream';
import type { S3Config } from '../../config.js';
import type { FileStore, StoredFile } from './file-store.js';

const PREFIX = 'reports/';

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
    const exists = await this.client
      .send(new HeadObjectCommand({ Bucket: this.bucket, Key: PREFIX + key }))
      .then(
        () => true,
        () => false,
      );
    if (!exists) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: PREFIX + key,
          Body: content,
          ContentLength: content.length,
        }),
      );
    }
    return { key, size: content.length };
  }

  async open(key: string): Promise<Readable> {
    const response = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: PREFIX + key }),
    );
    return response.Body as Readable;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: PREFIX + key }),
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
        if (object.Key) yield object.Key.slice(PREFIX.length);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
