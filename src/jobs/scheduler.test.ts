import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { buildArticleInput, seedTaxonomy, serviceDepsFor, type TestServiceDeps } from '../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import { createScheduler } from './scheduler.ts';

const editor = { userId: 'u-editor', role: 'editor' as const };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: scheduler loop (real time)`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle, { clock: () => new Date() });
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    it('publishes a story within a second of its time while running, and stops cleanly', async () => {
      const tax = await seedTaxonomy(deps);
      const a = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, status: 'draft', publishedAt: undefined }));
      const due = new Date(Date.now() + 300);
      await runWorkflowAction(deps, a.id, { type: 'schedule', at: due.toISOString() }, editor);
      const scheduler = createScheduler(deps);
      await scheduler.start();
      try {
        let seenAt: number | null = null;
        while (seenAt === null && Date.now() < due.getTime() + 1400) {
          await sleep(25);
          if ((await findArticleById(deps.db, a.id))!.status === 'published') seenAt = Date.now();
        }
        assert.ok(seenAt !== null, 'published');
        assert.ok(seenAt - due.getTime() < 1000, `published ${seenAt - due.getTime()} ms after its time`);
        assert.equal((await findArticleById(deps.db, a.id))!.publishedAt, due.toISOString());
      } finally {
        await scheduler.stop();
      }
    });
  });
}
