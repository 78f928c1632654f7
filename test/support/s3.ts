/**
 * A real S3-compatible server for tests: s3rver (an npm devDependency),
 * listening on 127.0.0.1 port 0 over a fresh folder, with one bucket.
 */
import S3rver from '@20minutes/s3rver';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Config } from '../../src/config.js';

export interface TestS3 {
  config: S3Config;
  close(): Promise<void>;
}

const BUCKET = 'report-hub-test';

export async function startTestS3(): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'reporthub-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: BUCKET }],
    // s3rver signs bucket-level requests over "/bucket" while SDK v3 sends
    // and signs "/bucket/" (ListObjectsV2), so a strict check rejects every
    // listing. The access key is still checked.
    allowMismatchedSignatures: true,
  });
  const { port } = await server.run();
  return {
    config: {
      endpoint: `http://127.0.0.1:${port}`,
      bucket: BUCKET,
      region: 'us-east-1',
      // s3rver's built-in account.
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
