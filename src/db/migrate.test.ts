import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { migrateDownAll, migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';

const CORE_TABLES = [
  'article_authors',
  'article_redirects',
  'article_related',
  'article_tags',
  'articles',
  'authors',
  'images',
  'sections',
  'tags',
];

async function appTables(t: TestDatabase): Promise<string[]> {
  const tables = await t.handle.db.introspection.getTables();
  return tables
    .map((x) => x.name)
    .filter((n) => !n.startsWith('kysely_'))
    .sort();
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: migrations`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(dialect, { migrate: false });
    });
    after(() => t?.destroy());

    it('migration names are timestamp-prefixed and listed in order', () => {
      const names = Object.keys(migrations);
      assert.ok(names.length > 0);
      for (const n of names) assert.match(n, /^\d{8}T\d{4}-[a-z0-9-]+$/);
      assert.deepEqual(names, [...names].sort());
    });

    it('goes up, down and up again, leaving a working schema', async () => {
      assert.deepEqual(await appTables(t), []);
      await migrateToLatest(t.handle.db);
      const afterUp = await appTables(t);
      for (const table of CORE_TABLES) assert.ok(afterUp.includes(table), `${table} exists after up`);

      await migrateDownAll(t.handle.db);
      assert.deepEqual(await appTables(t), [], 'down removes every table');

      await migrateToLatest(t.handle.db);
      assert.deepEqual(await appTables(t), afterUp, 'up again recreates the same tables');

      // The recreated schema takes writes and enforces its unique constraints.
      const row = { id: 's1', slug: 'world', name: 'World', description: '', position: 0, created_at: '2026-11-25T12:00:00.000Z' };
      await t.handle.db.insertInto('sections').values(row).execute();
      await assert.rejects(
        t.handle.db
          .insertInto('sections')
          .values({ ...row, id: 's2' })
          .execute(),
      );
    });

    it('migrateToLatest is a no-op when already at the latest version', async () => {
      const before = await appTables(t);
      await migrateToLatest(t.handle.db);
      assert.deepEqual(await appTables(t), before);
      const count = await t.handle.db
        .selectFrom('sections')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1, 'data survives a second migrateToLatest');
    });
  });
}
