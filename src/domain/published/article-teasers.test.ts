import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildArticleInput,
  hoursAgo,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { createArticle, updateArticle } from '../articles/article-service.ts';
import { listPublishedTeasers, listRelatedTeasers, type Teaser, type TeaserFilter } from './article-teasers.ts';
import { decodeCursor, encodeCursor } from '../articles/cursor.ts';
import type { Article } from '../articles/article.ts';
import type { ArticleInput } from '../articles/article-schemas.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: teaser listing`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    /** Published, visible world stories, newest first by (publishedAt, id). */
    let expectedWorld: Article[];
    let nowIso: string;
    let sport: Article;
    let sportInput: ArticleInput;
    let draft: Article;
    let embargoed: Article;

    async function walk(filter: TeaserFilter, limit: number): Promise<{ pages: Teaser[][]; hasMoreFlags: boolean[] }> {
      const pages: Teaser[][] = [];
      const hasMoreFlags: boolean[] = [];
      let before: ReturnType<typeof decodeCursor> = null;
      for (let guard = 0; guard < 50; guard++) {
        const { items, hasMore } = await listPublishedTeasers(deps.db, filter, { before, limit }, nowIso);
        pages.push(items);
        hasMoreFlags.push(hasMore);
        if (!hasMore) break;
        const last = items[items.length - 1]!;
        // Readers carry the cursor through the URL, so go through encode/decode like the site does.
        before = decodeCursor(encodeCursor({ publishedAt: last.publishedAt, id: last.id }));
        assert.ok(before);
      }
      return { pages, hasMoreFlags };
    }

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      nowIso = deps.clock().toISOString();
      tax = await seedTaxonomy(deps);
      const world: Article[] = [];
      // Seven visible world stories; three share one timestamp so the id tie-breaker matters.
      for (const [i, h] of [1, 2, 3, 3, 3, 5, 8].entries()) {
        world.push(
          await createArticle(
            deps,
            buildArticleInput({
              sectionId: tax.world.id,
              headline: `World story ${i}`,
              authorIds: [tax.reporter.id],
              tagIds: i % 2 ? [tax.tags.russia.id] : [],
              publishedAt: hoursAgo(h),
            }),
          ),
        );
      }
      draft = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'World draft', status: 'draft', publishedAt: undefined }),
      );
      embargoed = await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'World embargoed',
          publishedAt: new Date(deps.clock().getTime() + 3_600_000).toISOString(),
        }),
      );
      sportInput = buildArticleInput({
        sectionId: tax.sport.id,
        headline: 'Sport story',
        authorIds: [tax.editor.id],
        tagIds: [tax.tags.russia.id],
        publishedAt: hoursAgo(4),
      });
      sport = await createArticle(deps, sportInput);
      expectedWorld = world.sort((a, b) =>
        a.publishedAt! === b.publishedAt! ? (a.id < b.id ? 1 : -1) : a.publishedAt! < b.publishedAt! ? 1 : -1,
      );
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    it('lists published stories newest first, excluding drafts and embargoed stories', async () => {
      const { items, hasMore } = await listPublishedTeasers(deps.db, { sectionId: tax.world.id }, { limit: 50 }, nowIso);
      assert.deepEqual(
        items.map((x) => x.id),
        expectedWorld.map((a) => a.id),
      );
      assert.equal(hasMore, false);
      assert.ok(!items.some((x) => x.headline === 'World draft' || x.headline === 'World embargoed'));
      assert.equal(items[0]!.path, `/world/${expectedWorld[0]!.slug}`);
      assert.equal(items[0]!.sectionName, 'World');
    });

    it('pages through every story exactly once with the keyset cursor, across equal timestamps', async () => {
      for (const limit of [1, 2, 3]) {
        const { pages, hasMoreFlags } = await walk({ sectionId: tax.world.id }, limit);
        const ids = pages.flat().map((x) => x.id);
        assert.deepEqual(
          ids,
          expectedWorld.map((a) => a.id),
          `limit ${limit}`,
        );
        assert.equal(new Set(ids).size, ids.length, 'no story repeats');
        for (const p of pages.slice(0, -1)) assert.equal(p.length, limit);
        assert.deepEqual(hasMoreFlags, [...Array(pages.length - 1).fill(true), false]);
      }
    });

    it('returns an empty last page for a cursor past the oldest story', async () => {
      const oldest = expectedWorld[expectedWorld.length - 1]!;
      const { items, hasMore } = await listPublishedTeasers(
        deps.db,
        { sectionId: tax.world.id },
        { before: { publishedAt: oldest.publishedAt!, id: oldest.id }, limit: 5 },
        nowIso,
      );
      assert.deepEqual(items, []);
      assert.equal(hasMore, false);
    });

    it('filters by tag, author and excluded ids', async () => {
      const byTag = await listPublishedTeasers(deps.db, { tagId: tax.tags.russia.id }, { limit: 50 }, nowIso);
      assert.deepEqual(
        new Set(byTag.items.map((x) => x.headline)),
        new Set(['World story 1', 'World story 3', 'World story 5', 'Sport story']),
      );
      const byAuthor = await listPublishedTeasers(deps.db, { authorId: tax.editor.id }, { limit: 50 }, nowIso);
      assert.deepEqual(
        byAuthor.items.map((x) => x.headline),
        ['Sport story'],
      );
      const excluded = await listPublishedTeasers(
        deps.db,
        { sectionId: tax.world.id, excludeIds: [expectedWorld[0]!.id] },
        { limit: 50 },
        nowIso,
      );
      assert.deepEqual(
        excluded.items.map((x) => x.id),
        expectedWorld.slice(1).map((a) => a.id),
      );
    });

    // The home front's blocks take a first page without the stories already shown: that page is
    // fetched with the excluded rows and filtered in code, so check every limit around the edges.
    it('gives the same first page, and the same "more", when excluding any stories at any limit', async () => {
      const excludeIds = [expectedWorld[0]!.id, expectedWorld[2]!.id, expectedWorld[3]!.id, 'no-such-story'];
      const rest = expectedWorld.filter((a) => !excludeIds.includes(a.id)).map((a) => a.id);
      for (let limit = 1; limit <= rest.length + 1; limit++) {
        const { items, hasMore } = await listPublishedTeasers(deps.db, { sectionId: tax.world.id, excludeIds }, { limit }, nowIso);
        assert.deepEqual(
          items.map((x) => x.id),
          rest.slice(0, limit),
          `limit ${limit}`,
        );
        assert.equal(hasMore, rest.length > limit, `limit ${limit}`);
      }
    });

    // Tag pages are driven from article_tags' copy of published_at (one index range scan at any
    // depth): the copy must follow the story, or a moved story would sit at its old place.
    it("pages a tag's stories in order, following a story whose publication time moves", async () => {
      const expectTagOrder = async () => {
        const rows = await deps.db
          .selectFrom('articles as a')
          .innerJoin('article_tags as at', 'at.article_id', 'a.id')
          .select(['a.id', 'a.published_at'])
          .where('at.tag_id', '=', tax.tags.russia.id)
          .where('a.status', '=', 'published')
          .where('a.published_at', '<=', nowIso)
          .execute();
        return rows
          .sort((x, y) => (x.published_at === y.published_at ? (x.id < y.id ? 1 : -1) : x.published_at! < y.published_at! ? 1 : -1))
          .map((r) => r.id);
      };
      const before = await expectTagOrder();
      assert.notEqual(before[before.length - 1], sport.id, 'the sport story is not the oldest tagged story yet');
      for (const limit of [1, 2, 3]) {
        const { pages } = await walk({ tagId: tax.tags.russia.id }, limit);
        assert.deepEqual(
          pages.flat().map((x) => x.id),
          before,
          `limit ${limit}`,
        );
      }
      await updateArticle(deps, sport.id, { ...sportInput, publishedAt: hoursAgo(1000) }, sport.revision);
      const after = await expectTagOrder();
      assert.equal(after[after.length - 1], sport.id, 'moved to the oldest place');
      for (const limit of [1, 2, 3]) {
        const { pages } = await walk({ tagId: tax.tags.russia.id }, limit);
        assert.deepEqual(
          pages.flat().map((x) => x.id),
          after,
          `limit ${limit}`,
        );
      }
    });

    it('shows the first visible stories of a stored related list in rank order, reading past hidden ones', async () => {
      await deps.deferredWork.drain();
      const setList = async (ids: string[]) => {
        await deps.db.deleteFrom('article_related').where('article_id', '=', sport.id).execute();
        await deps.db
          .insertInto('article_related')
          .values(ids.map((id, rank) => ({ article_id: sport.id, related_id: id, rank, score: 10 - rank })))
          .execute();
      };
      const [w0, w1, w2, w3, w4] = expectedWorld.map((a) => a.id);
      const related = async (limit: number) => (await listRelatedTeasers(deps.db, sport.id, limit, nowIso)).map((x) => x.id);
      // All visible: just the first ones.
      await setList([w0!, w1!, w2!, w3!, w4!]);
      assert.deepEqual(await related(4), [w0, w1, w2, w3]);
      assert.deepEqual(await related(2), [w0, w1]);
      // A draft and an embargoed story among the first four: the list goes on past them.
      await setList([w0!, draft.id, w1!, embargoed.id, w2!, w3!, w4!]);
      assert.deepEqual(await related(4), [w0, w1, w2, w3]);
      // Fewer visible stories than asked for: all of them.
      await setList([draft.id, w4!, embargoed.id]);
      assert.deepEqual(await related(4), [w4]);
    });
  });
}
