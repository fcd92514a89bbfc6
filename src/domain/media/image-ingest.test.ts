import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { ValidationError } from '../errors.ts';
import { findImagesByIds } from './image.ts';
import { ingestImage, renditionWidthsFor } from './image-ingest.ts';

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 30 } } }).png().toBuffer();
}

describe('renditionWidthsFor', () => {
  it('offers standard widths narrower than the original plus the original (capped at 2048)', () => {
    assert.deepEqual(renditionWidthsFor(800), [320, 640, 800]);
    assert.deepEqual(renditionWidthsFor(640), [320, 640]);
    assert.deepEqual(renditionWidthsFor(100), [100]);
    assert.deepEqual(renditionWidthsFor(4000), [320, 640, 960, 1280, 1600, 2048]);
  });
});

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: image ingest`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    const ingestDeps = () => ({ db: deps.db, mediaStore: deps.mediaStore, now: deps.clock() });
    const imageCount = async () => Number((await deps.db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    it('stores the original, JPEG and WebP renditions, and the record with its metadata', async () => {
      const image = await ingestImage(ingestDeps(), await png(800, 450), { altText: 'Alt', caption: 'Caption', credit: 'Mikhail Metzel/AP', copyrightNotice: '© 2010 AP' });
      assert.equal(image.width, 800);
      assert.equal(image.height, 450);
      assert.equal(image.mimeType, 'image/png');
      assert.deepEqual(image.renditionWidths, [320, 640, 800]);
      const files = fs.readdirSync(path.join(deps.mediaDir, image.storageKey)).sort();
      assert.deepEqual(files, ['original.png', 'w320.jpg', 'w320.webp', 'w640.jpg', 'w640.webp', 'w800.jpg', 'w800.webp']);
      const meta = await sharp(path.join(deps.mediaDir, image.storageKey, 'w320.webp')).metadata();
      assert.equal(meta.format, 'webp');
      assert.equal(meta.width, 320);
      assert.equal(meta.height, 180);
      const jpg = await sharp(path.join(deps.mediaDir, image.storageKey, 'w640.jpg')).metadata();
      assert.equal(jpg.format, 'jpeg');
      const stored = (await findImagesByIds(deps.db, [image.id])).get(image.id);
      assert.deepEqual(stored, image);
      assert.equal(stored?.credit, 'Mikhail Metzel/AP');
    });

    it('rejects a file that is not an image and leaves no files and no row', async () => {
      const rows = await imageCount();
      const dirs = fs.readdirSync(deps.mediaDir);
      for (const data of [Buffer.from('<html><script>alert(1)</script></html>'), Buffer.alloc(0), Buffer.from('%PDF-1.4 not an image')]) {
        await assert.rejects(ingestImage(ingestDeps(), data), ValidationError);
      }
      assert.equal(await imageCount(), rows);
      assert.deepEqual(fs.readdirSync(deps.mediaDir), dirs);
    });

    it('rejects a readable but unsupported format (GIF) and leaves nothing behind', async () => {
      const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).gif().toBuffer();
      const rows = await imageCount();
      const dirs = fs.readdirSync(deps.mediaDir);
      await assert.rejects(ingestImage(ingestDeps(), gif), ValidationError);
      assert.equal(await imageCount(), rows);
      assert.deepEqual(fs.readdirSync(deps.mediaDir), dirs);
    });

    it('removes the written files when storing the record fails', async () => {
      const empty = await createTestDatabase(dialect, { migrate: false }); // no images table: the insert fails
      try {
        const dirs = fs.readdirSync(deps.mediaDir);
        await assert.rejects(ingestImage({ db: empty.handle.db, mediaStore: deps.mediaStore, now: deps.clock() }, await png(400, 300)));
        assert.deepEqual(fs.readdirSync(deps.mediaDir), dirs);
      } finally {
        await empty.destroy();
      }
    });
  });
}
