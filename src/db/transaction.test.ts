import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { withTransaction } from './transaction.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: withTransaction`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(dialect);
    });
    after(() => t?.destroy());
    const tagCount = async () => (await t.handle.db.selectFrom('tags').select('id').execute()).length;
    const tag = (id: string) => ({ id, slug: id, name: id, created_at: '2026-11-25T00:00:00.000Z' });

    it('a nested call joins the open transaction; its after-commit hooks wait for the outer commit', async () => {
      const events: string[] = [];
      await withTransaction(t.handle.db, async (trx, afterCommit) => {
        await trx.insertInto('tags').values(tag('outer')).execute();
        await withTransaction(trx, async (inner, innerAfterCommit) => {
          assert.equal(inner, trx);
          await inner.insertInto('tags').values(tag('inner')).execute();
          innerAfterCommit(() => void events.push('inner hook'));
        });
        afterCommit(() => void events.push('outer hook'));
        events.push('outer body done');
      });
      assert.deepEqual(events, ['outer body done', 'inner hook', 'outer hook']);
      assert.equal(await tagCount(), 2);
    });

    it('a failure after a nested call rolls back both, and no hook runs', async () => {
      const before = await tagCount();
      let hooked = false;
      await assert.rejects(
        withTransaction(t.handle.db, async (trx) => {
          await withTransaction(trx, async (inner, afterCommit) => {
            await inner.insertInto('tags').values(tag('rolled-back')).execute();
            afterCommit(() => void (hooked = true));
          });
          throw new Error('later step failed');
        }),
        /later step failed/,
      );
      assert.equal(await tagCount(), before);
      assert.equal(hooked, false);
    });
  });
}
