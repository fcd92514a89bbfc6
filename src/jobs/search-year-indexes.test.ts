import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { createSearchYearIndexes } from './search-year-indexes.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the per-year search indexes job`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(dialect);
    });
    after(() => t?.destroy());

    it('makes the wanted years’ indexes on PostgreSQL, and does nothing on SQLite', async () => {
      const job = createSearchYearIndexes(
        { db: t.handle.db, dialect, clock: () => new Date('2026-12-05T00:00:00Z') },
        { intervalMs: 60_000 },
      );
      assert.equal(await job.tick(), 60_000);
      if (dialect !== 'postgres') return;
      const { rows } = await sql<{ name: string }>`select indexname as name from pg_indexes
        where tablename = 'search_documents' and indexname like 'search_documents_document_y%' order by 1`.execute(t.handle.db);
      assert.deepEqual(
        rows.map((r) => r.name),
        ['search_documents_document_y2025', 'search_documents_document_y2026', 'search_documents_document_y2027'],
      );
    });
  });
}
