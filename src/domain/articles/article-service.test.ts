import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import {
  buildArticleInput,
  hoursAgo,
  paragraphs,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { getArticlePage } from '../published/article-page.ts';
import { findArticleById } from './article-repository.ts';
import { refreshRelated, refreshRelatedAround } from './article-related-refresh.ts';
import { createArticle, updateArticle } from './article-service.ts';
import type { ArticleInput } from './article-schemas.ts';
import type { Article } from './article.ts';

function inputOf(a: Article, overrides: Partial<ArticleInput> = {}): ArticleInput {
  return {
    headline: a.headline,
    standfirst: a.standfirst,
    slug: a.slug,
    sectionId: a.sectionId,
    authorIds: a.authorIds,
    tagIds: a.tagIds,
    heroImageId: a.heroImageId,
    body: a.body,
    language: a.language,
    status: a.status,
    commentsPolicy: a.commentsPolicy,
    ...overrides,
  };
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: article service`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;

    const countArticles = async () =>
      Number(
        (
          await deps.db
            .selectFrom('articles')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const relatedIds = async (id: string) =>
      (
        await deps.db.selectFrom('article_related').select(['related_id', 'rank']).where('article_id', '=', id).orderBy('rank').execute()
      ).map((r) => r.related_id);

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      tax = await seedTaxonomy(deps);
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    it('records a story written in the past with its own times, and refuses a history that runs backwards', async () => {
      const at = (hoursAgo: number) => new Date(deps.clock().getTime() - hoursAgo * 3_600_000);
      const input = buildArticleInput({ sectionId: tax.world.id, headline: 'Written before it ran', publishedAt: at(5).toISOString() });
      const a = await createArticle(deps, input, { history: { createdAt: at(6), modifiedAt: at(5) } });
      assert.equal(a.createdAt, at(6).toISOString());
      assert.equal(a.modifiedAt, at(5).toISOString());
      const stored = (await findArticleById(deps.db, a.id))!;
      assert.equal(stored.createdAt, at(6).toISOString());
      const refused = [
        { createdAt: at(4) }, // created after it was published
        { createdAt: at(6), modifiedAt: at(7) }, // written before it was created
        { createdAt: at(6), modifiedAt: at(-1) }, // a write in the future
      ];
      for (const history of refused)
        await assert.rejects(createArticle(deps, { ...input, headline: 'Backwards' }, { history }), ValidationError);
    });

    it('creates a published article with bylines, tags, a slug from the headline and revision 1', async () => {
      const a = await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          authorIds: [tax.reporter.id, tax.editor.id],
          tagIds: [tax.tags.russia.id, tax.tags.military.id],
        }),
      );
      assert.equal(a.slug, 'russia-executing-soldiers-not-following-orders-says-us');
      assert.equal(a.revision, 1);
      const stored = await findArticleById(deps.db, a.id);
      assert.ok(stored);
      assert.equal(stored.headline, a.headline);
      assert.deepEqual(stored.authorIds, [tax.reporter.id, tax.editor.id]);
      assert.deepEqual(stored.tagIds, [tax.tags.russia.id, tax.tags.military.id]);
      assert.deepEqual(stored.body, a.body);
      assert.equal(stored.publishedAt, hoursAgo(1));
      assert.ok(stored.bodyText.includes('failed to follow orders'));
      // The public page reads bylines and tags with the story's row, each list in its order.
      const page = await getArticlePage(deps, 'world', a.slug);
      assert.equal(page.kind, 'page');
      assert.ok(page.kind === 'page');
      assert.deepEqual(page.page.authors, [tax.reporter, tax.editor]);
      assert.deepEqual(
        page.page.tags.map((t) => t.slug),
        ['russia', 'military'],
      );
      assert.deepEqual(page.page.article.authorIds, [tax.reporter.id, tax.editor.id]);
    });

    it('stamps publishedAt with the clock when publishing without a date, and leaves drafts unpublished', async () => {
      const published = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.sport.id, headline: 'Stamped now', publishedAt: undefined }),
      );
      assert.equal(published.publishedAt, deps.clock().toISOString());
      const draft = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.sport.id, headline: 'A draft', status: 'draft', publishedAt: undefined }),
      );
      assert.equal(draft.publishedAt, null);
      assert.equal((await getArticlePage(deps, 'sport', draft.slug)).kind, 'not_found');
    });

    it('keeps slugs unique within a section, but allows the same slug in another section', async () => {
      const input = { headline: 'Same headline twice', tagIds: [] };
      const first = await createArticle(deps, buildArticleInput({ ...input, sectionId: tax.europe.id }));
      const second = await createArticle(deps, buildArticleInput({ ...input, sectionId: tax.europe.id }));
      const explicit = await createArticle(deps, buildArticleInput({ ...input, slug: 'same-headline-twice', sectionId: tax.europe.id }));
      const elsewhere = await createArticle(deps, buildArticleInput({ ...input, sectionId: tax.sport.id }));
      assert.equal(first.slug, 'same-headline-twice');
      assert.equal(second.slug, 'same-headline-twice-2');
      assert.equal(explicit.slug, 'same-headline-twice-3');
      assert.equal(elsewhere.slug, 'same-headline-twice');
    });

    it('rejects an invalid body with a ValidationError and writes no row', async () => {
      const before = await countArticles();
      const bad = {
        version: 1,
        blocks: [{ type: 'paragraph', content: [{ type: 'link', href: 'javascript:alert(1)', content: [{ type: 'text', text: 'x' }] }] }],
      };
      await assert.rejects(
        createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Bad body', body: bad })),
        (err: unknown) => {
          assert.ok(err instanceof ValidationError);
          assert.match(err.message, /href/);
          return true;
        },
      );
      await assert.rejects(createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: '' })), ValidationError);
      await assert.rejects(createArticle(deps, buildArticleInput({ sectionId: 'no-such-section', headline: 'Orphan' })), ValidationError);
      assert.equal(await countArticles(), before);
      const orphan = await deps.db.selectFrom('articles').select('id').where('headline', 'in', ['Bad body', 'Orphan']).execute();
      assert.deepEqual(orphan, []);
    });

    it('updates with the current revision and bumps it', async () => {
      const a = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Revision test' }));
      const b = await updateArticle(deps, a.id, inputOf(a, { headline: 'Revision test, updated' }), 1);
      assert.equal(b.revision, 2);
      const stored = await findArticleById(deps.db, a.id);
      assert.equal(stored?.headline, 'Revision test, updated');
      assert.equal(stored?.revision, 2);
      assert.equal(stored?.slug, a.slug, 'the slug does not follow the headline on update');
    });

    it('rejects a stale revision with ConflictError and writes nothing', async () => {
      const a = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Conflict test', tagIds: [tax.tags.russia.id] }),
      );
      await updateArticle(deps, a.id, inputOf(a, { headline: 'Conflict test, first editor' }), 1);
      await assert.rejects(
        updateArticle(deps, a.id, inputOf(a, { headline: 'Conflict test, second editor', slug: 'second-editor', tagIds: [] }), 1),
        ConflictError,
      );
      const stored = await findArticleById(deps.db, a.id);
      assert.equal(stored?.headline, 'Conflict test, first editor');
      assert.equal(stored?.revision, 2);
      assert.equal(stored?.slug, a.slug);
      assert.deepEqual(stored?.tagIds, [tax.tags.russia.id]);
      const redirects = await deps.db.selectFrom('article_redirects').select('path').where('article_id', '=', a.id).execute();
      assert.deepEqual(redirects, []);
    });

    it('lets exactly one of two concurrent saves of the same revision win', async () => {
      const a = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Race test' }));
      const results = await Promise.allSettled([
        updateArticle(deps, a.id, inputOf(a, { headline: 'Race test, editor one' }), 1),
        updateArticle(deps, a.id, inputOf(a, { headline: 'Race test, editor two' }), 1),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(lost[0]!.reason instanceof ConflictError, String(lost[0]!.reason));
      const stored = await findArticleById(deps.db, a.id);
      assert.equal(stored?.revision, 2);
      assert.equal(stored?.headline, (won[0] as PromiseFulfilledResult<Article>).value.headline);
    });

    it('rejects an invalid body on update with a ValidationError and leaves the article unchanged', async () => {
      const a = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Valid body' }));
      await assert.rejects(
        updateArticle(deps, a.id, inputOf(a, { body: { version: 1, blocks: [{ type: 'marquee' }] } }), 1),
        ValidationError,
      );
      const stored = await findArticleById(deps.db, a.id);
      assert.deepEqual(stored?.body, a.body);
      assert.equal(stored?.revision, 1);
    });

    it('answers NotFoundError for an unknown article id', async () => {
      await assert.rejects(
        updateArticle(deps, '00000000-0000-7000-8000-000000000000', buildArticleInput({ sectionId: tax.world.id }), 1),
        NotFoundError,
      );
    });

    it('leaves a redirect from the old path when the slug or section changes, and can reclaim an old path', async () => {
      const a = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Old slug story' }));
      assert.equal(a.slug, 'old-slug-story');
      const renamed = await updateArticle(deps, a.id, inputOf(a, { slug: 'new-slug-story' }), 1);
      assert.deepEqual(await getArticlePage(deps, 'world', 'old-slug-story'), { kind: 'redirect', location: '/world/new-slug-story' });
      assert.equal((await getArticlePage(deps, 'world', 'new-slug-story')).kind, 'page');

      const moved = await updateArticle(deps, a.id, inputOf(renamed, { sectionId: tax.europe.id }), 2);
      assert.deepEqual(await getArticlePage(deps, 'world', 'new-slug-story'), { kind: 'redirect', location: '/europe/new-slug-story' });
      assert.deepEqual(await getArticlePage(deps, 'world', 'old-slug-story'), { kind: 'redirect', location: '/europe/new-slug-story' });

      await updateArticle(deps, a.id, inputOf(moved, { sectionId: tax.world.id, slug: 'old-slug-story' }), 3);
      assert.equal((await getArticlePage(deps, 'world', 'old-slug-story')).kind, 'page', 'a reclaimed path serves the article');
      assert.deepEqual(await getArticlePage(deps, 'europe', 'new-slug-story'), { kind: 'redirect', location: '/world/old-slug-story' });
    });

    it('keeps no redirect for a draft renamed before anyone could see it', async () => {
      const draft = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Working title', status: 'draft', publishedAt: undefined }),
      );
      await updateArticle(deps, draft.id, inputOf(draft, { slug: 'final-title' }), 1);
      const redirects = await deps.db.selectFrom('article_redirects').select('path').where('article_id', '=', draft.id).execute();
      assert.deepEqual(redirects, []);
    });

    describe('related lists', () => {
      let target: Article;
      let close: Article;
      let alsoClose: Article;
      let unrelated: Article;

      before(async () => {
        const r = tax.tags;
        close = await createArticle(
          deps,
          buildArticleInput({
            sectionId: tax.world.id,
            headline: 'Russian army executes deserters, officials say',
            tagIds: [r.russia.id, r.military.id],
            publishedAt: hoursAgo(30),
          }),
        );
        alsoClose = await createArticle(
          deps,
          buildArticleInput({
            sectionId: tax.europe.id,
            headline: 'Kremlin tightens military discipline',
            tagIds: [r.military.id],
            publishedAt: hoursAgo(40),
          }),
        );
        unrelated = await createArticle(
          deps,
          buildArticleInput({
            sectionId: tax.sport.id,
            headline: 'Champions League final at Wembley',
            standfirst: 'Coaches prepare.',
            body: paragraphs('Football fans travel to London.'),
            tagIds: [r.football.id],
            publishedAt: hoursAgo(20),
          }),
        );
        target = await createArticle(
          deps,
          buildArticleInput({
            sectionId: tax.world.id,
            headline: 'Soldiers executed for refusing orders, US says',
            tagIds: [r.russia.id, r.military.id],
            publishedAt: hoursAgo(2),
          }),
        );
        // The lists are recomputed after each save returns.
        await deps.deferredWork.drain();
      });

      it('stores a ranked list that excludes the article itself and unrelated stories', async () => {
        const ids = await relatedIds(target.id);
        assert.ok(!ids.includes(target.id));
        assert.ok(!ids.includes(unrelated.id));
        assert.ok(ids.includes(close.id) && ids.includes(alsoClose.id), JSON.stringify(ids));
        assert.ok(ids.indexOf(close.id) < ids.indexOf(alsoClose.id), 'two shared tags rank above one');
        assert.ok(ids.length <= 6);
      });

      it('refreshes neighbours: a new story appears in the lists of stories it relates to', async () => {
        assert.ok((await relatedIds(close.id)).includes(target.id), 'created article was added to its neighbour’s list');
      });

      it('drops an unpublished story from every list that pointed at it', async () => {
        const current = (await findArticleById(deps.db, close.id))!;
        await updateArticle(deps, close.id, inputOf(current, { status: 'draft' }), current.revision);
        await deps.deferredWork.drain();
        assert.ok(!(await relatedIds(target.id)).includes(close.id));
        assert.deepEqual(await relatedIds(close.id), [], 'a draft keeps no list');
        assert.equal((await getArticlePage(deps, 'world', target.slug)).kind, 'page');
      });

      it('refreshRelatedAround is idempotent', async () => {
        const before = await relatedIds(target.id);
        await refreshRelatedAround(deps, target.id);
        await refreshRelatedAround(deps, target.id);
        assert.deepEqual(await relatedIds(target.id), before);
      });

      it('leaves a list that did not move unwritten, and rewrites a neighbour whose stored list went stale', async () => {
        const own = await relatedIds(target.id);
        const neighbour = own[0]!;
        const neighbourList = await relatedIds(neighbour);
        assert.ok(neighbourList.length >= 2, JSON.stringify(neighbourList));
        // A marker score on the target's rows: a list that is current must not be rewritten.
        await deps.db.updateTable('article_related').set({ score: -7 }).where('article_id', '=', target.id).execute();
        // The neighbour's stored list in reverse: ranking disagrees, so it must be rewritten.
        const reversed = [...neighbourList].reverse();
        for (const [rank, id] of reversed.entries())
          await deps.db
            .updateTable('article_related')
            .set({ rank: rank + 100 })
            .where('article_id', '=', neighbour)
            .where('related_id', '=', id)
            .execute();
        assert.deepEqual(await relatedIds(neighbour), reversed);
        const moved = await refreshRelatedAround(deps, target.id);
        assert.deepEqual(await relatedIds(neighbour), neighbourList, 'the stale neighbour list is ranked again');
        assert.deepEqual(moved, [neighbour], 'only the neighbour moved');
        const scores = await deps.db.selectFrom('article_related').select('score').where('article_id', '=', target.id).execute();
        assert.deepEqual(await relatedIds(target.id), own);
        assert.ok(scores.length > 0 && scores.every((r) => Number(r.score) === -7), 'the unmoved list was not rewritten');
      });

      it(
        'ranks a list again when a story it ranked is deleted before the list is written, a bounded number of times',
        {
          skip:
            dialect !== 'postgres' && 'SQLite runs one write transaction at a time: no story is deleted between the ranking and the write',
        },
        async () => {
          // A trigger stands in for the concurrent delete: the list's first row fails its foreign key,
          // as it does when a ranked story's deletion commits between the ranking and the insert.
          // A sequence counts the attempts (nextval is not rolled back with the failed transaction).
          await sql`create sequence related_fault_seq`.execute(deps.db);
          const failFirst = (failures: number) =>
            sql`create or replace function related_fault() returns trigger language plpgsql as $$
              begin
                if nextval('related_fault_seq') <= ${sql.lit(failures)} then
                  raise foreign_key_violation using message = 'injected: a ranked story was deleted';
                end if;
                return new;
              end $$`.execute(deps.db);
          const drawn = async () =>
            Number((await sql<{ n: string }>`select last_value as n from related_fault_seq`.execute(deps.db)).rows[0]!.n);
          try {
            await failFirst(1);
            await sql`create trigger related_fault before insert on article_related for each row execute function related_fault()`.execute(
              deps.db,
            );
            const expected = await relatedIds(target.id);
            assert.ok(expected.length > 0);
            await deps.db.deleteFrom('article_related').where('article_id', '=', target.id).execute();
            const { related, changed } = await refreshRelated(deps, target.id);
            assert.equal(changed, true);
            assert.deepEqual(related, expected);
            assert.deepEqual(await relatedIds(target.id), expected, 'the second attempt stored the whole list');
            assert.equal(await drawn(), 1 + expected.length, 'one failed attempt, then one row each');

            // A fault that does not go away reaches the caller after a few attempts, not a loop.
            await sql`alter sequence related_fault_seq restart with 1`.execute(deps.db);
            await failFirst(1_000);
            await deps.db.deleteFrom('article_related').where('article_id', '=', target.id).execute();
            await assert.rejects(refreshRelated(deps, target.id), (err: { code?: string }) => err.code === '23503');
            assert.equal(await drawn(), 3, 'three attempts, each failing at its first row');
            assert.deepEqual(await relatedIds(target.id), [], 'nothing half-written');
          } finally {
            await sql`drop trigger if exists related_fault on article_related`.execute(deps.db);
            await sql`drop function if exists related_fault()`.execute(deps.db);
            await sql`drop sequence if exists related_fault_seq`.execute(deps.db);
            await refreshRelated(deps, target.id);
          }
        },
      );

      it('the article page shows the stored related stories, never the article itself', async () => {
        const page = await getArticlePage(deps, 'world', target.slug);
        assert.equal(page.kind, 'page');
        if (page.kind !== 'page') return;
        const ids = page.page.related.map((x) => x.id);
        assert.ok(ids.length > 0);
        assert.ok(!ids.includes(target.id));
        assert.deepEqual(ids, (await relatedIds(target.id)).slice(0, ids.length));
      });
    });
  });
}
