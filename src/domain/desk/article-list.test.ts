import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildArticleInput, paragraphs, seedTaxonomy, serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../accounts/role.ts';
import { createArticle } from '../articles/article-service.ts';
import { listStories, STORY_SORTS, type DeskSearchBounds } from './article-list.ts';

const editor: Actor = { userId: 'u-editor', role: 'editor' };

/*
 * The story list's text filter takes a query's matches as a set of ids when they are few, and
 * walks the list checking each story when they are many, taking the whole set when the walk
 * finds too few. Bounds this small send the same queries down each way on a few dozen stories:
 * every way must list what the set lists.
 */
for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the desk's story list searches every story, few matches or many`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    const slugs: string[] = [];

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      const tax = await seedTaxonomy(deps);
      const start = Date.parse('2026-01-01T00:00:00Z');
      // 40 stories, one an hour: every one mentions the desk, two in three a heron, and the
      // herons are the oldest stories (the list's newest-first walk meets them last).
      for (let i = 0; i < 40; i++) {
        const at = new Date(start + i * 3_600_000);
        const heron = i < 27;
        const story = await createArticle(
          deps,
          buildArticleInput({
            sectionId: i % 2 ? tax.world.id : tax.sport.id,
            headline: `Desk story ${i}${heron ? ' about a grey heron' : ''}`,
            status: i % 5 === 0 ? 'draft' : 'published',
            publishedAt: i % 5 === 0 ? undefined : at.toISOString(),
            body: paragraphs(`The desk filed story number ${i}.`, heron ? 'A grey heron stood in the canal.' : 'Nothing flew by.'),
          }),
          { history: { createdAt: at, modifiedAt: at } },
        );
        slugs.push(story.slug);
      }
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    const list = async (q: string, sort: string, page: number, bounds?: DeskSearchBounds) => {
      const p = await listStories(deps, editor, { q, sort, page }, bounds);
      return { ids: p.items.map((i) => i.headline), hasNext: p.hasNext };
    };

    it('lists the same stories whether it takes the matches as a set, walks the list or falls back to the set', async () => {
      const counts = new Map<string, number>();
      for (const q of ['desk', 'heron', 'grey heron -canal', '"grey heron"', 'desk -heron']) {
        for (const sort of STORY_SORTS) {
          let total = 0;
          for (const page of [1, 2]) {
            const asSet = await list(q, sort, page);
            total += asSet.ids.length;
            // A word in more than 5 stories is common: every word here is, so each query but
            // the phrase walks. A walk of 30 fills a page of a query matching most stories; a
            // walk of 10 does not, and the matches are taken as a set, as they are when no
            // word counts as common.
            for (const bounds of [
              { commonWordDocs: 5, walkAtMost: 30 },
              { commonWordDocs: 5, walkAtMost: 10 },
              { commonWordDocs: 1000, walkAtMost: 1 },
            ])
              assert.deepEqual(await list(q, sort, page, bounds), asSet, `${q}, ${sort}, page ${page}, ${JSON.stringify(bounds)}`);
          }
          counts.set(q, total);
        }
      }
      assert.deepEqual(Object.fromEntries(counts), { desk: 40, heron: 27, 'grey heron -canal': 0, '"grey heron"': 27, 'desk -heron': 13 });
    });

    it('walks to the end of a short list without taking the set', async () => {
      // Drafts only: 8 stories, all walked.
      const p = await listStories(deps, editor, { q: 'heron', status: 'draft' }, { commonWordDocs: 1, walkAtMost: 100 });
      assert.equal(p.items.length, 6);
      assert.ok(p.items.every((i) => i.status === 'draft'));
    });

    it('finds the story whose address or slug is pasted, and searches a single word as a word', async () => {
      const slug = slugs[33]!;
      for (const q of [slug, `/world/${slug}`, `https://news.example/world/${slug}?utm=x#top`])
        assert.deepEqual((await list(q, 'modified_desc', 1)).ids, ['Desk story 33'], q);
      assert.deepEqual((await list('zebra-quagga-okapi', 'modified_desc', 1)).ids, []);
      assert.equal((await list('heron', 'modified_desc', 1)).ids.length, 25, 'a word is a word');
      assert.deepEqual((await list('%', 'modified_desc', 1)).ids, [], 'punctuation alone matches nothing');
    });
  });
}
