import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildArticleInput, seedTaxonomy, serviceDepsFor } from '../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { createPlannerStatistics } from './planner-statistics.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: query planner statistics`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(dialect);
    });
    after(() => t?.destroy());

    it('are gathered at start, so a story’s translations are found through their group, not by walking every published story', async () => {
      const deps = serviceDepsFor(t.handle);
      const { world } = await seedTaxonomy(deps);
      for (let i = 0; i < 30; i++) {
        await createArticle(deps, buildArticleInput({ sectionId: world.id, headline: `Story ${i}` }));
      }
      const job = createPlannerStatistics({ db: t.handle.db, dialect });
      await job.start();
      await job.stop();
      if (dialect !== 'sqlite') return; // PostgreSQL's autovacuum keeps its own statistics: nothing to run.
      // Wait for the background first tick: it runs at start without holding the start up.
      let stats: { idx: string }[] = [];
      for (let i = 0; i < 50 && !stats.length; i++) {
        stats = (
          await sql<{ idx: string }>`select idx from sqlite_stat1 where tbl = 'articles'`.execute(t.handle.db).catch(() => ({ rows: [] }))
        ).rows;
        if (!stats.length) await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(
        stats.some((s) => s.idx === 'articles_translation_group_idx'),
        'the articles table was analysed',
      );
      const plan = await sql<{ detail: string }>`explain query plan
        select a.id from articles a join sections s on s.id = a.section_id
        where a.status = 'published' and a.published_at <= '2030-01-01' and (a.embargo_until is null or a.embargo_until <= '2030-01-01')
          and a.translation_group_id = 'x'`.execute(t.handle.db);
      assert.match(plan.rows.map((r) => r.detail).join('\n'), /USING INDEX articles_translation_group_idx/);
    });
  });
}
