import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { ValidationError } from '../errors.ts';
import { findImagesByIds } from './image.ts';
import { backfillImageCrops, CROP_NAMES, cropFile } from './image-crops.ts';
import { ingestImage, renditionWidthsFor } from './image-ingest.ts';
import { iimSegment, photoFixturesSkip, readPhoto, withSegments, xmpPacket, xmpSegment } from '../../../test/support/photo-test-support.ts';

const skipFixtures = photoFixturesSkip();

/** A photo-like JPEG (noise compresses badly, so cuts and damage land in the image data). */
async function noisyJpeg(width = 400, height = 300): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + i * i) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 30 } } })
    .png()
    .toBuffer();
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
    const imageCount = async () =>
      Number(
        (
          await deps.db
            .selectFrom('images')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    /** Runs an ingest that must be refused, and checks that nothing was written. */
    async function assertRefused(data: Buffer, message: RegExp, options?: Parameters<typeof ingestImage>[3]) {
      const rows = await imageCount();
      const dirs = fs.readdirSync(deps.mediaDir);
      await assert.rejects(ingestImage(ingestDeps(), data, {}, options), (err: unknown) => {
        assert.ok(err instanceof ValidationError, `expected a ValidationError, got ${String(err)}`);
        assert.match(err.message, message);
        return true;
      });
      assert.equal(await imageCount(), rows);
      assert.deepEqual(fs.readdirSync(deps.mediaDir), dirs);
    }

    it('stores the original, AVIF, WebP and JPEG renditions, and the record with its metadata', async () => {
      const image = await ingestImage(ingestDeps(), await png(800, 450), {
        altText: 'Alt',
        caption: 'Caption',
        credit: 'Mikhail Metzel/AP',
        copyrightNotice: '© 2010 AP',
      });
      assert.equal(image.width, 800);
      assert.equal(image.height, 450);
      assert.equal(image.mimeType, 'image/png');
      assert.deepEqual(image.renditionWidths, [320, 640, 800]);
      const files = fs.readdirSync(path.join(deps.mediaDir, image.storageKey)).sort();
      assert.deepEqual(files, [
        'c16x9.jpg',
        'c1x1.jpg',
        'c4x3.jpg',
        'original.png',
        'w320.avif',
        'w320.jpg',
        'w320.webp',
        'w640.avif',
        'w640.jpg',
        'w640.webp',
        'w800.avif',
        'w800.jpg',
        'w800.webp',
      ]);
      const avif = await sharp(path.join(deps.mediaDir, image.storageKey, 'w640.avif')).metadata();
      assert.equal(avif.format, 'heif');
      assert.equal(avif.compression, 'av1');
      assert.equal(avif.width, 640);
      assert.equal(avif.height, 360);
      const meta = await sharp(path.join(deps.mediaDir, image.storageKey, 'w320.webp')).metadata();
      assert.equal(meta.format, 'webp');
      assert.equal(meta.width, 320);
      assert.equal(meta.height, 180);
      const jpg = await sharp(path.join(deps.mediaDir, image.storageKey, 'w640.jpg')).metadata();
      assert.equal(jpg.format, 'jpeg');
      const stored = (await findImagesByIds(deps.db, [image.id])).get(image.id);
      assert.deepEqual(stored, image);
      assert.equal(stored?.credit, 'Mikhail Metzel/AP');
      // The fixed-ratio crops structured data offers: the largest of each ratio the photo holds.
      assert.deepEqual(stored?.crops, ['1x1', '4x3', '16x9']);
      for (const [file, size] of [
        ['c1x1.jpg', [450, 450]],
        ['c4x3.jpg', [600, 450]],
        ['c16x9.jpg', [800, 450]],
      ] as const) {
        const crop = await sharp(path.join(deps.mediaDir, image.storageKey, file)).metadata();
        assert.equal(crop.format, 'jpeg', file);
        assert.deepEqual([crop.width, crop.height], size, file);
      }
    });

    it('gives an image stored before crops existed its crops from the original, once, and tells the caches', async () => {
      const image = await ingestImage(ingestDeps(), await png(2400, 1000));
      // As an image from before crops: no crop files, nothing recorded.
      for (const name of CROP_NAMES) fs.rmSync(path.join(deps.mediaDir, image.storageKey, cropFile(name)));
      await deps.db.updateTable('images').set({ crops: null }).where('id', '=', image.id).execute();
      assert.deepEqual((await findImagesByIds(deps.db, [image.id])).get(image.id)?.crops, []);
      const broken = await ingestImage(ingestDeps(), await png(300, 300));
      fs.rmSync(path.join(deps.mediaDir, broken.storageKey, 'original.png'));
      await deps.db.updateTable('images').set({ crops: null }).where('id', '=', broken.id).execute();

      const heard: string[][] = [];
      const withChanges = { ...deps, changes: { publish: async (c: { tags: readonly string[] }) => void heard.push([...c.tags]) } };
      assert.deepEqual(await backfillImageCrops(withChanges, 50), { looked: 2, made: 1 });
      assert.deepEqual((await findImagesByIds(deps.db, [image.id])).get(image.id)?.crops, ['1x1', '4x3', '16x9']);
      // Capped at 1200 across, like the other share images.
      const square = await sharp(path.join(deps.mediaDir, image.storageKey, 'c1x1.jpg')).metadata();
      assert.deepEqual([square.width, square.height], [1000, 1000]);
      const wide = await sharp(path.join(deps.mediaDir, image.storageKey, 'c16x9.jpg')).metadata();
      assert.deepEqual([wide.width, wide.height], [1200, 675]);
      // Without an original there is nothing to crop: recorded as none, not retried.
      assert.deepEqual((await findImagesByIds(deps.db, [broken.id])).get(broken.id)?.crops, []);
      assert.ok(
        heard.some((tags) => tags.includes(`image:${image.id}`)),
        'the change names the image',
      );
      assert.deepEqual(await backfillImageCrops(deps, 50), { looked: 0, made: 0 });
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

    it('refuses files over the size limit, naming the limit, before writing anything', async () => {
      await assertRefused(await noisyJpeg(), /at most 0\.01 MB/, { maxUploadMb: 0.01 });
      // The default limit is 25 MB; the size is checked before the bytes are looked at.
      await assertRefused(Buffer.alloc(25 * 1024 * 1024 + 1), /25 MB/);
      const ok = await ingestImage(ingestDeps(), await png(64, 64), {}, { maxUploadMb: 1 });
      assert.equal(ok.width, 64);
    });

    it('refuses truncated and corrupted JPEGs with a clear message and leaves nothing behind', async () => {
      const jpeg = await noisyJpeg();
      await assertRefused(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), /damaged or incomplete/);
      const damaged = Buffer.from(jpeg);
      damaged.fill(0xff, Math.floor(jpeg.length * 0.4), Math.floor(jpeg.length * 0.4) + 64);
      await assertRefused(damaged, /damaged or incomplete/);
      await assertRefused(jpeg.subarray(0, 200), /damaged or incomplete|not an image/);
    });

    it('refuses non-images: text named .jpg, SVG, PDF, HTML and empty files', async () => {
      await assertRefused(Buffer.from('Meeting notes\nThis is a text file renamed photo.jpg\n'), /not an image we can read/);
      await assertRefused(
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100"/></svg>'),
        /SVG.*not accepted/,
      );
      await assertRefused(
        Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
        /not an image we can read/,
      );
      await assertRefused(Buffer.from('<html><script>alert(1)</script></html>'), /not an image we can read/);
      await assertRefused(Buffer.alloc(0), /empty/);
    });

    it('fills caption, credit, creator, copyright and alt text from the photo; values the caller gives win', async () => {
      const packet = xmpPacket(
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Caption from XMP</rdf:li></rdf:Alt></dc:description>' +
          '<Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">Alt from XMP</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>',
      );
      const jpeg = withSegments(
        await noisyJpeg(),
        xmpSegment(packet),
        iimSegment([
          [2, 110, 'Credit from IIM'],
          [2, 80, 'Byline from IIM'],
          [2, 116, '© 2024 Wire'],
        ]),
      );
      const filled = await ingestImage(ingestDeps(), jpeg);
      assert.deepEqual(
        {
          caption: filled.caption,
          credit: filled.credit,
          creator: filled.creator,
          copyrightNotice: filled.copyrightNotice,
          altText: filled.altText,
        },
        {
          caption: 'Caption from XMP',
          credit: 'Credit from IIM',
          creator: 'Byline from IIM',
          copyrightNotice: '© 2024 Wire',
          altText: 'Alt from XMP',
        },
      );
      const given = await ingestImage(ingestDeps(), jpeg, { caption: 'Editor caption', credit: 'Editor credit', altText: '  ' });
      assert.equal(given.caption, 'Editor caption');
      assert.equal(given.credit, 'Editor credit');
      assert.equal(given.creator, 'Byline from IIM');
      assert.equal(given.altText, 'Alt from XMP', 'a blank value counts as not given');
      assert.deepEqual((await findImagesByIds(deps.db, [given.id])).get(given.id), given);
    });

    it('ingests a real wire photo (cp.jpg) with its credit, byline and caption', { skip: skipFixtures }, async () => {
      const image = await ingestImage(ingestDeps(), readPhoto('cp.jpg'));
      assert.equal(image.width, 400);
      assert.equal(image.height, 265);
      assert.equal(image.credit, 'The Canadian Press');
      assert.equal(image.creator, 'Paul Chiasson');
      assert.match(image.caption, /^The Montreal Police logo is seen on a police car/);
      assert.equal(image.copyrightNotice, '');
      assert.equal(image.altText, '');
      const files = fs.readdirSync(path.join(deps.mediaDir, image.storageKey)).sort();
      assert.deepEqual(files, [
        'c16x9.jpg',
        'c1x1.jpg',
        'c4x3.jpg',
        'original.jpg',
        'w320.avif',
        'w320.jpg',
        'w320.webp',
        'w400.avif',
        'w400.jpg',
        'w400.webp',
      ]);
      assert.deepEqual(
        fs.readFileSync(path.join(deps.mediaDir, image.storageKey, 'original.jpg')),
        readPhoto('cp.jpg'),
        'the original is kept byte for byte',
      );
    });

    it('rejects a readable but unsupported format (GIF) and leaves nothing behind', async () => {
      const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } })
        .gif()
        .toBuffer();
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
