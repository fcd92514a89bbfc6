import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { Migrator, sql } from 'kysely';
import { seedUser } from '../../../test/support/account-factories.ts';
import { serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { withSegments, xmpPacket, xmpSegment } from '../../../test/support/photo-test-support.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { migrations } from '../../db/migrations/index.ts';
import type { Actor } from '../accounts/role.ts';
import { ValidationError } from '../errors.ts';
import { reindexImages } from '../search/search-reindex.ts';
import { deleteLibraryImage, listLibraryImages, updateImageMetadata, uploadLibraryImage, type LibraryImage } from './media-library.ts';

/*
 * The media library's search runs on the story search's engine (FTS5 / tsvector) over the
 * newsroom's image index, on both databases: captions, credits, photographers, embedded
 * headlines and keywords; the same operators; accents folded; the index moving with every
 * upload, edit and delete in the image row's own transaction.
 */

async function jpeg(shade: number, xmp?: string): Promise<Buffer> {
  const plain = await sharp({ create: { width: 360, height: 240, channels: 3, background: { r: shade, g: 60, b: 90 } } })
    .jpeg()
    .toBuffer();
  return xmp ? withSegments(plain, xmpSegment(xmp)) : plain;
}

const EMPTY = { caption: '', credit: '', creator: '', copyrightNotice: '', altText: '' };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: media library search`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let contributor: Actor;
    let editor: Actor;
    let clockMs = Date.parse('2026-11-25T08:00:00.000Z');
    const img: Record<string, LibraryImage> = {};

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle, { clock: () => new Date((clockMs += 1000)) });
      contributor = { userId: (await seedUser(deps, 'contributor')).id, role: 'contributor' };
      editor = { userId: (await seedUser(deps, 'editor')).id, role: 'editor' };
      const upload = async (name: string, shade: number, description: Partial<typeof EMPTY>, xmp?: string) => {
        const image = await uploadLibraryImage(deps, contributor, await jpeg(shade, xmp), { filename: `${name}.jpg`, maxUploadMb: 5 });
        img[name] = description ? await updateImageMetadata(deps, contributor, image.id, { ...EMPTY, ...description }) : image;
      };
      await upload('election', 10, { caption: 'Voters queue at the election office in Lyon', credit: 'Agence Lumière' });
      await upload('harbour', 20, { caption: 'Fishing boats in the harbour at dawn', credit: 'Reuters', creator: 'Ana Núñez' });
      await upload('ferry', 30, { caption: 'A ferry leaves the harbour', credit: 'AP', altText: 'Ferry with a red hull' });
      await upload(
        'volcano',
        40,
        {},
        xmpPacket(
          '<dc:subject><rdf:Bag><rdf:li>tephra</rdf:li><rdf:li>Reykjanes</rdf:li></rdf:Bag></dc:subject>',
          'photoshop:Headline="Fissure eruption lights the night sky"',
        ),
      );
      // Newest, but matching "harbour" only in its alt text: ranked after captions that say it.
      await upload('quay', 50, { caption: 'Cranes on the quay', altText: 'A harbour crane' });
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    const names = async (q: string, extra: { limit?: number; cursor?: string } = {}) => {
      const page = await listLibraryImages(deps, contributor, { q, ...extra });
      return page.items.map((i) => Object.keys(img).find((k) => img[k]!.id === i.id) ?? i.id);
    };

    it('finds an image by a word of its caption, its credit line or its photographer', async () => {
      assert.deepEqual(await names('voters'), ['election']);
      assert.deepEqual(await names('Reuters'), ['harbour']);
      assert.deepEqual(await names('nunez'), ['harbour'], 'an unaccented query finds an accented name');
      assert.deepEqual(await names('ferry hull'), ['ferry'], 'all words required, across fields');
    });

    it('folds accents both ways', async () => {
      assert.deepEqual(await names('élection'), ['election'], 'an accented query finds the unaccented caption');
      assert.deepEqual(await names('lumiere'), ['election']);
    });

    it('finds the headline and keywords embedded in the file at upload', async () => {
      assert.deepEqual(await names('tephra'), ['volcano']);
      assert.deepEqual(await names('fissure eruption'), ['volcano']);
    });

    it('reads phrases, -excluded words and OR as the story search does', async () => {
      assert.deepEqual(await names('"harbour at dawn"'), ['harbour']);
      assert.deepEqual(await names('"dawn harbour"'), []);
      assert.deepEqual((await names('harbour')).sort(), ['ferry', 'harbour', 'quay']);
      assert.deepEqual((await names('harbour -reuters')).sort(), ['ferry', 'quay']);
      assert.deepEqual((await names('harbour -"red hull"')).sort(), ['harbour', 'quay']);
      assert.deepEqual((await names('voters OR tephra')).sort(), ['election', 'volcano']);
      await assert.rejects(listLibraryImages(deps, contributor, { q: '-harbour' }), ValidationError);
    });

    it('ranks by relevance, then newest, and pages through ranked results without repeats', async () => {
      const ranked = await names('harbour');
      assert.equal(ranked[2], 'quay', 'a word only in the alt text ranks below captions, although newest');
      const first = await listLibraryImages(deps, contributor, { q: 'harbour', limit: 2 });
      assert.ok(first.next);
      const second = await listLibraryImages(deps, contributor, { q: 'harbour', limit: 2, cursor: first.next });
      assert.deepEqual(
        [...first.items, ...second.items].map((i) => i.id),
        ranked.map((n) => img[n]!.id),
      );
      assert.equal(second.next, null);
      await assert.rejects(
        listLibraryImages(deps, contributor, { q: 'harbour', cursor: 'bm90LWEtY3Vyc29y' }),
        (e: unknown) => e instanceof ValidationError && /page link is not valid/.test(e.message),
      );
    });

    it('finds an edited caption by its new words and no longer by its old ones', async () => {
      await updateImageMetadata(deps, contributor, img.ferry!.id, { ...EMPTY, caption: 'Lighthouse keepers wave', credit: 'AP' });
      assert.deepEqual(await names('lighthouse'), ['ferry']);
      assert.deepEqual(await names('hull'), [], 'the old alt text is gone');
      assert.deepEqual((await names('harbour')).sort(), ['harbour', 'quay']);
      assert.deepEqual(await names('keepers'), ['ferry']);
    });

    it('keeps the embedded keywords when the description is edited', async () => {
      await updateImageMetadata(deps, contributor, img.volcano!.id, { ...EMPTY, caption: 'Lava at night' });
      assert.deepEqual(await names('tephra lava'), ['volcano']);
    });

    it('a reindex rebuilds the image index, keeping the embedded keywords', async () => {
      await deps.db.deleteFrom('image_search_documents').where('image_id', '!=', img.volcano!.id).execute();
      if (dialect === 'sqlite')
        await sql`delete from image_search_fts where rowid not in (select doc_id from image_search_documents)`.execute(deps.db);
      assert.deepEqual(await names('keepers'), []);
      assert.equal(await reindexImages(deps, { batchSize: 2 }), Object.keys(img).length);
      assert.deepEqual(await names('keepers'), ['ferry']);
      assert.deepEqual(await names('tephra'), ['volcano']);
    });

    it('forgets a deleted image', async () => {
      await deleteLibraryImage(deps, editor, img.election!.id);
      assert.deepEqual(await names('voters'), []);
      const rows = await deps.db.selectFrom('image_search_documents').select('image_id').where('image_id', '=', img.election!.id).execute();
      assert.deepEqual(rows, []);
    });

    it('the migration indexes the images of an existing database', async () => {
      const migrator = new Migrator({ db: t.handle.db, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo('20261203T1630-create-search-index');
      if (error) throw error;
      await migrateToLatest(t.handle.db);
      assert.deepEqual(await names('lighthouse'), ['ferry']);
      assert.deepEqual(await names('nunez'), ['harbour']);
      assert.deepEqual(await names('quay.jpg'), ['quay'], 'file names too');
      assert.deepEqual(await names('tephra'), [], 'keywords embedded in files are not read back by the migration');
    });
  });
}
