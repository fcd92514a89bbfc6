import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import sharp from 'sharp';
import { serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { startS3Server, type RunningS3 } from '../../../test/support/s3-server.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { ingestImage } from './image-ingest.ts';
import { MEDIA_SWEEP_GRACE_MS, sweepOrphanMedia } from './media-sweep.ts';
import { createS3Client, createS3MediaStore } from './s3-media-store.ts';
import type { S3Client } from '@aws-sdk/client-s3';

/*
 * The orphan sweep over a bucket (a real S3-compatible server on loopback). Object times are
 * the server's and cannot be set, so "an hour later" is the sweep's clock moved forward.
 */

let s3: RunningS3;
before(async () => {
  s3 = await startS3Server();
});
after(async () => {
  await s3?.stop();
});

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: sweeping media left by interrupted uploads, on S3`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let client: S3Client;
    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      client = createS3Client({
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.env.MASTHEAD_S3_ACCESS_KEY_ID!, secretAccessKey: s3.env.MASTHEAD_S3_SECRET_ACCESS_KEY! },
      });
      deps = {
        ...serviceDepsFor(t.handle),
        mediaStore: createS3MediaStore({ client, bucket: s3.bucket, prefix: `sweep-${dialect}-${Date.now()}/` }),
      };
    });
    afterEach(async () => {
      deps?.cleanup();
      client?.destroy();
      await t?.destroy();
    });

    it('removes keys no image row names once past the grace period, and keeps live images and uploads in progress', async () => {
      const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#336699' } })
        .jpeg()
        .toBuffer();
      const live = await ingestImage({ db: deps.db, mediaStore: deps.mediaStore, now: new Date() }, jpeg, { altText: 'x' });
      const liveFiles = await deps.mediaStore.listFiles(live.storageKey);
      assert.ok(liveFiles.includes('original.jpg') && liveFiles.includes('w320.jpg'), JSON.stringify(liveFiles));
      // Files written, row never committed (a crash or a rollback in between).
      const orphan = '0190a5c4-dead-7000-8000-000000000001';
      await deps.mediaStore.put(orphan, 'original.jpg', jpeg);
      await deps.mediaStore.put(orphan, 'w320.jpg', jpeg);

      // Now: the orphan might still be an upload in progress, so it stays.
      const now = { ...deps, clock: () => new Date() };
      assert.deepEqual(await sweepOrphanMedia(now), { removedFolders: [], removedTempFiles: 0 });
      assert.deepEqual(await deps.mediaStore.listFiles(orphan), ['original.jpg', 'w320.jpg']);

      // Past the grace period: the orphan goes, the live image keeps every file.
      const later = { ...deps, clock: () => new Date(Date.now() + 2 * MEDIA_SWEEP_GRACE_MS) };
      assert.deepEqual(await sweepOrphanMedia(later), { removedFolders: [orphan], removedTempFiles: 0 });
      assert.deepEqual(await deps.mediaStore.listFiles(orphan), []);
      assert.equal(await deps.mediaStore.read(orphan, 'original.jpg'), null);
      assert.deepEqual(await deps.mediaStore.listFiles(live.storageKey), liveFiles);
      assert.deepEqual(
        (await deps.mediaStore.listKeys()).map((k) => k.key),
        [live.storageKey],
      );

      // Nothing left to do: another node's sweep changes nothing.
      assert.deepEqual(await sweepOrphanMedia(later), { removedFolders: [], removedTempFiles: 0 });
    });
  });
}
