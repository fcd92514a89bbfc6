import assert from 'node:assert/strict';
import { sql } from 'kysely';
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
import type { Actor } from '../accounts/role.ts';
import { createArticle } from '../articles/article-service.ts';
import { runWorkflowAction } from '../articles/article-workflow-service.ts';
import { ForbiddenError } from '../errors.ts';
import { findPickableStories } from './front-story-picker.ts';

const editor: Actor = { userId: 'u-editor', role: 'editor' };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the front desk's story picker`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      tax = await seedTaxonomy(deps);
      // More matches than a page in each status, across sections, languages and states.
      for (let i = 0; i < 24; i++) {
        await createArticle(
          deps,
          buildArticleInput({
            sectionId: i % 3 ? tax.world.id : tax.europe.id,
            headline: `Budget vote ${i}`,
            publishedAt: hoursAgo(i + 1),
            language: i % 4 ? 'en' : 'fr',
          }),
        );
      }
      for (let i = 0; i < 6; i++) {
        const draft = await createArticle(
          deps,
          buildArticleInput({ sectionId: tax.world.id, headline: `Budget scheduled ${i}`, status: 'draft', publishedAt: undefined }),
        );
        await runWorkflowAction(
          deps,
          draft.id,
          { type: 'schedule', at: `2026-12-${String(10 + i).padStart(2, '0')}T12:00:00.000Z` },
          editor,
        );
      }
      await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Budget draft', status: 'draft', publishedAt: undefined }),
      );
      await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Harbour 100% sold_out' }));
      await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Harbour 1000 sold out' }));
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    /** What the picker must list: the plain query over both statuses, newest first by the date each shows. */
    async function oracle(fragment: string, sectionId: string | null, language: string | null): Promise<string[]> {
      const lowered = fragment.toLowerCase();
      const contains =
        dialect === 'postgres'
          ? sql<boolean>`strpos(lower(headline), ${lowered}) > 0`
          : sql<boolean>`instr(lower(headline), ${lowered}) > 0`;
      let q = deps.db.selectFrom('articles').select('id').where('status', 'in', ['published', 'scheduled']).where(contains);
      if (sectionId) q = q.where('section_id', '=', sectionId);
      if (language) q = q.where('language', '=', language);
      return (
        await q
          .orderBy(sql`coalesce(published_at, scheduled_at)`, 'desc')
          .orderBy('id', 'desc')
          .limit(20)
          .execute()
      ).map((r) => r.id);
    }

    it('lists the newest published and scheduled stories whose headline holds the fragment, as one list', async () => {
      for (const [fragment, sectionId, language] of [
        ['budget', null, null],
        ['BUDGET VOTE', null, null],
        ['udget sch', null, null],
        ['budget', tax.europe.id, null],
        ['budget', null, 'fr'],
        ['', null, null],
        ['no such words', null, null],
      ] as const) {
        const picked = await findPickableStories(deps, editor, fragment, sectionId, language);
        const expected = await oracle(fragment, sectionId, language);
        assert.deepEqual(
          picked.map((p) => p.id),
          expected,
          `"${fragment}" ${sectionId ?? ''} ${language ?? ''}`,
        );
      }
      const both = await findPickableStories(deps, editor, 'budget');
      assert.equal(both.length, 20);
      assert.deepEqual(
        both.map((p) => p.status),
        [...Array(6).fill('scheduled'), ...Array(14).fill('published')],
        'the scheduled (planned after every publication) first on both databases, then the published',
      );
      assert.ok(!both.some((p) => p.headline === 'Budget draft'), 'drafts are not offered');
    });

    it('reads %, _ and \\ as the characters typed', async () => {
      assert.deepEqual(
        (await findPickableStories(deps, editor, '100%')).map((p) => p.headline),
        ['Harbour 100% sold_out'],
      );
      assert.deepEqual(
        (await findPickableStories(deps, editor, 'd_o')).map((p) => p.headline),
        ['Harbour 100% sold_out'],
      );
      assert.deepEqual(await findPickableStories(deps, editor, '\\'), []);
    });

    it('is for editors only', async () => {
      await assert.rejects(findPickableStories(deps, { userId: 'u-r', role: 'author' }, 'budget'), ForbiddenError);
    });

    if (dialect === 'postgres') {
      it('has the headline trigram index a fragment in no headline is answered from', async () => {
        const { rows } = await sql<{
          indexdef: string;
        }>`select indexdef from pg_indexes where indexname = 'articles_headline_trgm_idx'`.execute(deps.db);
        assert.match(rows[0]?.indexdef ?? '', /gin \(lower\(headline\) gin_trgm_ops\)/);
      });
    }
  });
}
