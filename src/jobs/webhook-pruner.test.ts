import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIXED_NOW } from '../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { createWebhookPruner } from './webhook-pruner.ts';

const daysAgo = (n: number) => new Date(FIXED_NOW.getTime() - n * 24 * 3600 * 1000).toISOString();

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: old webhook deliveries are pruned`, { skip }, () => {
    let t: TestDatabase;
    const deps = () => ({ db: t.handle.db, clock: () => FIXED_NOW });
    before(async () => {
      t = await createTestDatabase(dialect);
      await t.handle.db
        .insertInto('webhooks')
        .values({
          id: 'hook-1',
          url: 'https://hooks.example.test/in',
          description: '',
          events: '["article.published"]',
          secret: 's',
          enabled: 1,
          disabled_reason: null,
          created_by: null,
          created_at: daysAgo(100),
          updated_at: daysAgo(100),
          secret_rotated_at: null,
        })
        .execute();
    });
    after(() => t?.destroy());

    const delivery = (id: string, status: string, ageDays: number) =>
      t.handle.db
        .insertInto('webhook_deliveries')
        .values({
          id,
          webhook_id: 'hook-1',
          event: 'article.published',
          event_id: id,
          status,
          attempts: 1,
          next_attempt_at: daysAgo(ageDays),
          last_status_code: null,
          last_error: null,
          response_excerpt: null,
          created_at: daysAgo(ageDays),
          last_attempt_at: null,
          delivered_at: null,
          payload: '{}',
        })
        .execute();

    it('deletes finished deliveries past the retention, keeps recent ones and anything still owed', async () => {
      await delivery('old-sent', 'succeeded', 31);
      await delivery('old-failed', 'failed', 45);
      await delivery('old-pending', 'pending', 40);
      await delivery('old-delivering', 'delivering', 35);
      await delivery('recent-sent', 'succeeded', 29);
      await delivery('recent-failed', 'failed', 1);

      const pruner = createWebhookPruner(deps(), { retentionDays: 30 });
      assert.equal(await pruner.prune(), 2);
      const left = await t.handle.db.selectFrom('webhook_deliveries').select('id').orderBy('id').execute();
      assert.deepEqual(
        left.map((r) => r.id),
        ['old-delivering', 'old-pending', 'recent-failed', 'recent-sent'],
      );
      assert.equal(await pruner.prune(), 0, 'nothing left to prune');
      // A shorter retention (MASTHEAD_WEBHOOK_RETENTION_DAYS=7) reaches further.
      assert.equal(await createWebhookPruner(deps(), { retentionDays: 7 }).prune(), 1);
    });

    it('prunes in batches until done, as a background loop', async () => {
      await t.handle.db.deleteFrom('webhook_deliveries').execute();
      for (let i = 0; i < 1205; i++) await delivery(`bulk-${String(i).padStart(4, '0')}`, 'succeeded', 60);
      await delivery('keep', 'succeeded', 2);
      const pruner = createWebhookPruner(deps(), { retentionDays: 30 });
      assert.equal(pruner.isRunning(), false);
      await pruner.start();
      assert.equal(pruner.isRunning(), true);
      await pruner.stop();
      const left = await t.handle.db.selectFrom('webhook_deliveries').select('id').execute();
      assert.deepEqual(
        left.map((r) => r.id),
        ['keep'],
      );
    });
  });
}
