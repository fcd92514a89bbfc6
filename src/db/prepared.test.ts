import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { limitParam, preparedByIds, preparedQuery, runKeptOnServer } from './prepared.ts';

const tagById = preparedQuery<[id: string], { id: string; name: string }>((db, id) =>
  db.selectFrom('tags').select(['id', 'name']).where('id', '=', id),
);
const tagByIdOffThread = preparedQuery<[id: string], { id: string; name: string }>(
  (db, id) => db.selectFrom('tags').select(['id', 'name']).where('id', '=', id),
  { offThread: true },
);
/** A read that takes a while on any machine (a million-row recursive count), run off the event loop where it can be. */
const slowCount = preparedQuery<[n: number], { n: number }>(
  (db, n) =>
    db
      .withRecursive('k(i)', (db) =>
        db.selectNoFrom(sql<number>`1`.as('i')).unionAll((db) =>
          db
            .selectFrom('k')
            .select(sql<number>`i + 1`.as('i'))
            .where('i', '<', n),
        ),
      )
      .selectFrom('k')
      .select((eb) => eb.fn.countAll<number>().as('n')),
  { offThread: true },
);
const firstTags = preparedQuery<[limit: number], { id: string }>((db, limit) =>
  db.selectFrom('tags').select('id').orderBy('id').limit(limitParam(limit)),
);
const tagColumns = (db: Kysely<Database>, id: string) => db.selectFrom('tags').select(['name', 'id', 'slug']).where('id', '=', id);
type TagTuple = readonly [name: string, id: string, slug: string];
const tagArrays = preparedQuery<[id: string], TagTuple>(tagColumns, { arrays: true });
const tagArraysOffThread = preparedQuery<[id: string], TagTuple>(tagColumns, { arrays: true, offThread: true });
/** The same SQL as `tagArrays`, as objects: the two share one cached statement on SQLite. */
const tagObjects = preparedQuery<[id: string], { name: string; id: string; slug: string }>(tagColumns);
const tagsByIds = preparedByIds((db, ids) => db.selectFrom('tags').select(['id']).where('id', 'in', ids).orderBy('id'));

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: precompiled read queries`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(dialect);
      await t.handle.db
        .insertInto('tags')
        .values(['a', 'b', 'c'].map((id) => ({ id, slug: id, name: `Tag ${id}`, created_at: '2026-12-05T00:00:00.000Z' })))
        .execute();
    });
    after(() => t?.destroy());

    it('takes a row count as a LIMIT parameter the planner does not read (SQLite would recompile on every run)', async () => {
      for (const n of [1, 3, 2, 0])
        assert.deepEqual(
          (await firstTags(t.handle.db, n)).map((r) => r.id),
          ['a', 'b', 'c'].slice(0, n),
        );
      const { sql: text } = t.handle.db.selectFrom('tags').select('id').limit(limitParam(2)).compile();
      assert.match(text, /limit cast\((\?|\$1) as integer\)$/);
    });

    it('gives rows as arrays in select order when asked, on every path, leaving object reads of the same SQL as they were', async () => {
      const row = ['Tag b', 'b', 'b'];
      assert.deepEqual(await tagArrays(t.handle.db, 'b'), [row]);
      assert.deepEqual(await tagObjects(t.handle.db, 'b'), [{ name: 'Tag b', id: 'b', slug: 'b' }]);
      assert.deepEqual(await tagArraysOffThread(t.handle.db, 'b'), [row]);
      // Inside a transaction the query runs through Kysely's connection.
      await t.handle.db.transaction().execute(async (trx) => assert.deepEqual(await tagArrays(trx, 'b'), [row]));
      assert.deepEqual(await tagArrays(t.handle.db, 'zz'), []);
    });

    it('answers with the values of each run, not those it was built with', async () => {
      assert.deepEqual(await tagById(t.handle.db, 'a'), [{ id: 'a', name: 'Tag a' }]);
      assert.deepEqual(await tagById(t.handle.db, 'b'), [{ id: 'b', name: 'Tag b' }]);
      assert.deepEqual(await tagById(t.handle.db, 'zz'), []);
      assert.deepEqual(
        (await tagsByIds(t.handle.db, ['c', 'a', 'a', 'nope'])).map((r) => r.id),
        ['a', 'c'],
      );
    });

    it('answers an off-thread read with the same rows, committed writes included', async () => {
      assert.deepEqual(await tagByIdOffThread(t.handle.db, 'a'), [{ id: 'a', name: 'Tag a' }]);
      await t.handle.db.updateTable('tags').set({ name: 'Tag A' }).where('id', '=', 'a').execute();
      assert.deepEqual(await tagByIdOffThread(t.handle.db, 'a'), [{ id: 'a', name: 'Tag A' }]);
      assert.deepEqual(await tagByIdOffThread(t.handle.db, 'zz'), []);
    });

    if (dialect === 'sqlite') {
      it('runs an off-thread read beside the event loop: other work goes on while it runs', async () => {
        const order: string[] = [];
        const read = slowCount(t.handle.db, 2_000_000).then(([row]) => order.push(`read ${row!.n}`));
        // Run on this thread, the read would finish before any callback could.
        await new Promise((resolve) => setImmediate(resolve));
        order.push('event loop');
        await read;
        assert.deepEqual(order, ['event loop', 'read 2000000']);
      });

      it('fails an off-thread read as unavailable once the database is closed', async () => {
        const other = await createTestDatabase('sqlite');
        await other.handle.close();
        await assert.rejects(tagByIdOffThread(other.handle.db, 'a'), { name: 'DatabaseUnavailableError' });
        await other.destroy();
      });
    }

    if (dialect === 'postgres') {
      it('runs as a statement prepared on the server, so PostgreSQL parses and plans it once per connection', async () => {
        await tagById(t.handle.db, 'a');
        // Sequential queries reuse the pool's most recently released connection: the one that ran it.
        const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(t.handle.db);
        assert.ok(
          rows.some((r) => r.statement.includes('from "tags"') && r.statement.includes('"id" = $1')),
          `prepared on this connection: ${JSON.stringify(rows.map((r) => r.statement))}`,
        );
        // Plain Kysely queries are not kept (their shapes vary without bound)…
        await t.handle.db.selectFrom('tags').select('slug').where('slug', '=', 'b').execute();
        const again = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(t.handle.db);
        assert.ok(!again.rows.some((r) => r.statement.includes('select "slug" from "tags"')));
        // …unless run as one of a list page's few shapes.
        const kept = await runKeptOnServer(t.handle.db, t.handle.db.selectFrom('tags').select('name').where('slug', '=', 'c'));
        assert.deepEqual(kept, [{ name: 'Tag c' }]);
        const after = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(t.handle.db);
        assert.ok(after.rows.some((r) => r.statement.includes('select "name" from "tags"')));
      });
    }
  });
}
