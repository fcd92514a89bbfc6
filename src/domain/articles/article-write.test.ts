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
      deps = { ...serviceDepsFor(t.handle), logger: { error: (obj) => void logged.push(obj) } };
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
  });
}
