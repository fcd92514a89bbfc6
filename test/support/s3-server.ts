import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from '@20minutes/s3rver';

/*
 * A real S3-compatible server for tests: s3rver (the maintained @20minutes fork, a devDependency
 * from the npm registry) speaks the S3 REST protocol over HTTP, signature checks included, and
 * keeps objects in a temporary folder. It listens on a free loopback port; the store under test
 * talks to it with the same @aws-sdk/client-s3 calls it makes against AWS, R2 or MinIO.
 */

export interface RunningS3 {
  /** `http://127.0.0.1:<port>`: MASTHEAD_S3_ENDPOINT. */
  endpoint: string;
  bucket: string;
  /** The environment a Masthead node needs to use this server (path-style, fixed credentials). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** s3rver accepts any signature made with this pair. */
const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';

export async function startS3Server(bucket = 'masthead-media'): Promise<RunningS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
    // s3rver builds a bucket request's canonical URI without the trailing slash that current
    // SDKs sign (`/bucket/?list-type=2`), so every List and DeleteObjects would be refused.
    // Signatures are the SDK's business, not ours; everything else is answered as S3 does.
    allowMismatchedSignatures: true,
  });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    env: {
      MASTHEAD_MEDIA_STORE: 's3',
      MASTHEAD_S3_BUCKET: bucket,
      MASTHEAD_S3_ENDPOINT: endpoint,
      MASTHEAD_S3_REGION: 'us-east-1',
      MASTHEAD_S3_ACCESS_KEY_ID: ACCESS_KEY_ID,
      MASTHEAD_S3_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      MASTHEAD_S3_FORCE_PATH_STYLE: 'true',
    },
    async stop() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
