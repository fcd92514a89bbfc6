import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildArticleInput, seedTaxonomy, serviceDepsFor, type Taxonomy, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../accounts/role.ts';
import type { StoryChange } from './article-change.ts';
import { deleteArticle } from './article-delete.ts';
import { createArticle } from './article-service.ts';
import { runWorkflowAction } from './article-workflow-service.ts';

const editor: Actor = { userId: 'u-editor', role: 'editor' };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: story writes and what follows their commit`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    const logged: unknown[] = [];

    before(async () => {
      t = await createTestDatabase(dialect);
      const logger = { error: (obj: object) => void logged.push(obj) };
      deps = { ...serviceDepsFor(t.handle, { logger }), logger };
      tax = await seedTaxonomy(deps);
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    it('ten stories published at once in one section all succeed, and every related list is whole', async () => {
      const drafts = [];
      for (let i = 0; i < 10; i++) {
        drafts.push(
          await createArticle(
            deps,
            buildArticleInput({
              sectionId: tax.world.id,
              headline: `Front line report ${i}`,
              tagIds: [tax.tags.military.id],
              status: 'draft',
              publishedAt: undefined,
            }),
            { actor: editor },
          ),
        );
      }
      const results = await Promise.allSettled(drafts.map((d) => runWorkflowAction(deps, d.id, { type: 'publish' }, editor, d.revision)));
      await deps.deferredWork.drain();
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected').map((r) => String(r.reason)),
        [],
      );
      assert.deepEqual(logged, [], 'no related refresh failed after commit');
      const rows = await deps.db
        .selectFrom('article_related')
        .selectAll()
        .where(
          'article_id',
          'in',
          drafts.map((d) => d.id),
        )
        .orderBy('article_id')
        .orderBy('rank')
        .execute();
      for (const d of drafts) {
        const list = rows.filter((r) => r.article_id === d.id);
        assert.ok(list.length > 0 && list.length <= 6, `${d.headline}: ${list.length} related`);
        assert.deepEqual(
          list.map((r) => r.rank),
          list.map((_, i) => i),
          'one row per rank',
        );
        assert.ok(list.every((r) => r.related_id !== d.id));
      }
    });

    it('deleting a story refills the lists that showed it', async () => {
      const gone = (await deps.db.selectFrom('articles').select('id').where('section_id', '=', tax.world.id).executeTakeFirstOrThrow()).id;
      const listing = (await deps.db.selectFrom('article_related').select('article_id').where('related_id', '=', gone).execute()).map(
        (r) => r.article_id,
      );
      assert.ok(listing.length > 0);
      await deleteArticle(deps, editor, gone);
      await deps.deferredWork.drain();
      for (const id of listing) {
        const ranks = (
          await deps.db.selectFrom('article_related').select('rank').where('article_id', '=', id).orderBy('rank').execute()
        ).map((r) => r.rank);
        assert.deepEqual(ranks, [0, 1, 2, 3, 4, 5], 'a whole list again, without the deleted story');
      }
    });

    it('tells subscribers after commit; a failing one is logged and the write still succeeds', async () => {
      const seen: StoryChange[] = [];
      const listening = {
        ...deps,
        onStoryChanged: [
          async () => {
            throw new Error('search index unavailable');
          },
          async (_deps: unknown, change: StoryChange) => void seen.push(change),
        ],
      };
      const story = await createArticle(listening, buildArticleInput({ sectionId: tax.sport.id, headline: 'Told after commit' }));
      assert.equal(seen.length, 1);
      assert.deepEqual([seen[0]!.action, seen[0]!.before, seen[0]!.after?.id], ['create', null, story.id]);
      assert.equal(logged.length, 1);
      logged.length = 0;
    });

    const relatedOf = async (id: string) =>
      (await deps.db.selectFrom('article_related').select('related_id').where('article_id', '=', id).orderBy('rank').execute()).map(
        (r) => r.related_id,
      );

    it('answers a save before the related lists are recomputed; drain() waits for them', async () => {
      const older = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.europe.id, headline: 'Grain corridor talks resume', tagIds: [tax.tags.diplomacy.id] }),
      );
      await deps.deferredWork.drain();
      // The refresh is held until the gate opens, so what the save did before returning shows.
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const published: string[] = [];
      const held: TestServiceDeps = {
        ...deps,
        changes: { publish: async (change) => void published.push(change.cause) },
        deferredWork: {
          ...deps.deferredWork,
          run: (label, fn, context) =>
            deps.deferredWork.run(
              label,
              async () => {
                await gate;
                await fn();
              },
              context,
            ),
        },
      };
      const story = await createArticle(
        held,
        buildArticleInput({
          sectionId: tax.europe.id,
          headline: 'Grain corridor talks resume in Istanbul',
          tagIds: [tax.tags.diplomacy.id],
        }),
      );
      assert.deepEqual(published, ['story.create'], 'the story itself was published before the save answered');
      assert.deepEqual(await relatedOf(story.id), [], 'its list is not computed yet');
      assert.ok(!(await relatedOf(older.id)).includes(story.id), 'nor its neighbour’s');
      assert.equal(deps.deferredWork.pending(), 1, 'the refresh waits as deferred work');
      open();
      await deps.deferredWork.drain();
      assert.equal(deps.deferredWork.pending(), 0);
      assert.ok((await relatedOf(story.id)).includes(older.id), 'after drain(): its list');
      assert.ok((await relatedOf(older.id)).includes(story.id), 'and its neighbour’s');
      assert.deepEqual(published, ['story.create', 'story.related'], 'the moved boxes are published when done');
      assert.deepEqual(logged, []);
    });

    it('a failing refresh is logged, never fails the save, and drain() still ends', async () => {
      logged.length = 0;
      // The refresh as deferred work that fails (a database gone away meanwhile, say).
      const failing: TestServiceDeps = {
        ...deps,
        deferredWork: {
          ...deps.deferredWork,
          run: (label, _fn, context) =>
            deps.deferredWork.run(
              label,
              async () => {
                throw new Error('connection terminated');
              },
              context,
            ),
        },
      };
      const story = await createArticle(
        failing,
        buildArticleInput({ sectionId: tax.sport.id, headline: 'Cup draw made in Zurich', tagIds: [tax.tags.football.id] }),
      );
      assert.equal(story.status, 'published', 'the save succeeded');
      assert.equal(logged.length, 0, 'nothing failed before the save answered');
      await deps.deferredWork.drain();
      assert.equal(logged.length, 1);
      const entry = logged[0] as { err: Error; job: string; articleId: string; action: string };
      assert.deepEqual(
        [entry.err.message, entry.job, entry.articleId, entry.action],
        ['connection terminated', 'related lists', story.id, 'create'],
      );
      logged.length = 0;
    });
  });
}
