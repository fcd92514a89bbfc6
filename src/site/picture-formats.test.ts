import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { buildArticleInput, seedTaxonomy } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { uploadLibraryImage } from '../domain/media/media-library.ts';

/*
 * Pages offer only the rendition formats that exist on disk: a <source> naming missing files
 * shows readers a broken image. Checked on the hot paths (article hero, front teasers,
 * "You might also like"), which read the formats in the same query as the image.
 */

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: pictures offer only recorded formats`, { skip }, () => {
    let site: TestSite;
    let withoutAvif: string;
    let complete: string;
    let storyPath: string;

    before(async () => {
      site = await createTestSite(dialect, { clock: () => new Date() });
      const tax = await seedTaxonomy(site.deps);
      const actor = { userId: '00000000-0000-7000-8000-0000000000aa', role: 'admin' as const };
      const jpeg = (colour: string) =>
        sharp({ create: { width: 1200, height: 800, channels: 3, background: colour } })
          .jpeg()
          .toBuffer();
      const legacy = await uploadLibraryImage(site.deps, actor, await jpeg('#446688'), { filename: 'legacy.jpg', maxUploadMb: 25 });
      const fresh = await uploadLibraryImage(site.deps, actor, await jpeg('#884466'), { filename: 'fresh.jpg', maxUploadMb: 25 });
      // As if AVIF had not been made for this one (an image recorded before AVIF existed).
      await site.deps.db
        .updateTable('images')
        .set({ formats: JSON.stringify(['webp', 'jpg']) })
        .where('id', '=', legacy.id)
        .execute();
      withoutAvif = legacy.storageKey;
      complete = fresh.storageKey;
      const published = new Date(Date.now() - 3_600_000).toISOString();
      const story = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Harbour at dusk',
          heroImageId: legacy.id,
          tagIds: [tax.tags.diplomacy.id],
          publishedAt: published,
        }),
      );
      await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Harbour at dawn',
          heroImageId: fresh.id,
          tagIds: [tax.tags.diplomacy.id],
          publishedAt: published,
        }),
      );
      storyPath = `/world/${story.slug}`;
      // The related teaser comes from the stored list, recomputed after the save returns.
      await site.deps.deferredWork.drain();
    });
    after(() => site?.close());

    const sources = (body: string, key: string) =>
      [...body.matchAll(new RegExp(`<source type="(image/[a-z]+)" srcset="/media/${key}/`, 'g'))].map((m) => m[1]);

    it('the article hero and the related teaser offer AVIF only where it exists', async () => {
      const page = await site.app.inject({ method: 'GET', url: storyPath });
      assert.equal(page.statusCode, 200);
      assert.deepEqual(sources(page.body, withoutAvif), ['image/webp'], 'hero: no AVIF source for an image without AVIF');
      assert.deepEqual(sources(page.body, complete), ['image/avif', 'image/webp'], 'related teaser: every format it has');
    });

    it('front teasers do the same', async () => {
      const front = await site.app.inject({ method: 'GET', url: '/world' });
      assert.equal(front.statusCode, 200);
      assert.deepEqual([...new Set(sources(front.body, withoutAvif))], ['image/webp']);
      assert.deepEqual([...new Set(sources(front.body, complete))], ['image/avif', 'image/webp']);
    });
  });
}
