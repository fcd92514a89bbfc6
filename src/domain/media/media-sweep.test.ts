import { CROP_NAMES, cropFile } from './image-crops.ts';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import sharp from 'sharp';
import { serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { ingestImage } from './image-ingest.ts';
import { MEDIA_SWEEP_GRACE_MS, sweepOrphanMedia } from './media-sweep.ts';

/* File times are real (the file system's), so this test's clock is the real one too. */

function age(dir: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  for (const f of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, f), then, then);
  fs.utimesSync(dir, then, then);
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: sweeping media left by interrupted uploads`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle, { clock: () => new Date() });
    });
    afterEach(async () => {
      deps?.cleanup();
      await t?.destroy();
    });

    it('removes old folders no image names and stale temporary files; keeps live media and uploads in progress', async () => {
      const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#336699' } })
        .jpeg()
        .toBuffer();
      const live = await ingestImage({ db: deps.db, mediaStore: deps.mediaStore, now: new Date() }, jpeg, { altText: 'x' });
      const liveDir = path.join(deps.mediaDir, live.storageKey);
      const liveFiles = fs.readdirSync(liveDir).sort();
      // A crash mid-write in the live folder, long ago.
      fs.writeFileSync(path.join(liveDir, 'w320.avif.0190a5c4-1111-7222-8333-444455556666.tmp'), 'half a file');
      age(liveDir, 2 * MEDIA_SWEEP_GRACE_MS);

      // A crash after the files and before the row's commit, long ago: some renditions, no row.
      const orphan = path.join(deps.mediaDir, '0190a5c4-dead-7000-8000-000000000001');
      fs.mkdirSync(orphan);
      fs.writeFileSync(path.join(orphan, 'original.jpg'), jpeg);
      fs.writeFileSync(path.join(orphan, 'w320.jpg.0190a5c4-2222-7222-8333-444455556666.tmp'), 'half');
      age(orphan, 2 * MEDIA_SWEEP_GRACE_MS);

      // An upload in progress right now: files, no row yet.
      const inProgress = path.join(deps.mediaDir, '0190a5c4-beef-7000-8000-000000000002');
      fs.mkdirSync(inProgress);
      fs.writeFileSync(path.join(inProgress, 'original.jpg'), jpeg);
      fs.writeFileSync(path.join(inProgress, 'w320.jpg.0190a5c4-3333-7222-8333-444455556666.tmp'), 'being written');

      const result = await sweepOrphanMedia(deps);
      assert.deepEqual(result.removedFolders, [path.basename(orphan)]);
      assert.equal(result.removedTempFiles, 1);
      assert.equal(fs.existsSync(orphan), false, 'the orphan folder is gone');
      assert.deepEqual(fs.readdirSync(liveDir).sort(), liveFiles, 'live media keeps every file; its stale temporary file is gone');
      assert.deepEqual(fs.readdirSync(inProgress).sort(), ['original.jpg', 'w320.jpg.0190a5c4-3333-7222-8333-444455556666.tmp']);
      assert.ok(
        await deps.mediaStore.read(
          live.storageKey,
          liveFiles.find((f) => f.endsWith('.jpg') && f.startsWith('w'))!,
        ),
      );

      // Nothing left to do: a second sweep (another node, the next hour) changes nothing.
      assert.deepEqual(await sweepOrphanMedia(deps), { removedFolders: [], removedTempFiles: 0 });
    });

    it('inserts an image row only once every file it names is complete under its final name', async () => {
      const jpeg = await sharp({ create: { width: 700, height: 400, channels: 3, background: '#663399' } })
        .jpeg()
        .toBuffer();
      let filesAtInsert: string[] = [];
      const image = await ingestImage(
        { db: deps.db, mediaStore: deps.mediaStore, now: new Date() },
        jpeg,
        { altText: 'x' },
        {
          // Runs in the transaction, right after the row's insert and before its commit.
          afterInsert: async (_trx, img) => {
            filesAtInsert = fs.readdirSync(path.join(deps.mediaDir, img.storageKey)).sort();
          },
        },
      );
      const expected = [
        'original.jpg',
        ...image.renditionWidths.flatMap((w) => [`w${w}.avif`, `w${w}.jpg`, `w${w}.webp`]),
        ...(image.crops ?? []).map(cropFile),
      ].sort();
      assert.equal(image.crops?.length, CROP_NAMES.length, 'the crops are among the files');
      assert.deepEqual(filesAtInsert, expected);
    });

    it('works on an empty or missing media folder', async () => {
      assert.deepEqual(await sweepOrphanMedia(deps), { removedFolders: [], removedTempFiles: 0 });
      fs.rmSync(deps.mediaDir, { recursive: true, force: true });
      assert.deepEqual(await sweepOrphanMedia(deps), { removedFolders: [], removedTempFiles: 0 });
    });
  });
}
