import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { afterCommit } from '../../db/migrations/20261210T0900-add-search-section-week-terms.ts';
import { buildArticleInput, paragraphs, seedTaxonomy, serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { migrations } from '../../db/migrations/index.ts';
import { createArticle } from '../articles/article-service.ts';
import { reindexAll } from './search-reindex.ts';
import { searchInputSchema, searchPublished } from './search-service.ts';

/*
 * An existing database gets its index from the migration: stories written before it are
 * searchable as soon as it has run (on PostgreSQL stemmed in their language; on SQLite word
 * for word until `search reindex`, which then adds the stems).
 */

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the search migration fills the index of an existing database`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      const tax = await seedTaxonomy(deps);
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Glaciers retreat',
          authorIds: [tax.reporter.id],
          body: paragraphs('Meltwater lakes grew.'),
        }),
      );
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.europe.id,
          language: 'fr',
          headline: 'Les glaciers reculent',
          body: paragraphs('Les lacs se sont agrandis.'),
        }),
      );
      // Back to the schema before search existed, stories kept; then up again.
      const migrator = new Migrator({ db: t.handle.db, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo('20261203T1500-add-articles-embargo-index');
      if (error) throw error;
      await migrateToLatest(t.handle.db);
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    const found = async (q: string, section?: string) =>
      (await searchPublished(deps, searchInputSchema.parse({ q, section }), 10)).results.map((r) => r.teaser.headline).sort();

    it('finds stories written before the migration by their words, bylines and section', async () => {
      assert.deepEqual(await found('meltwater'), ['Glaciers retreat']);
      assert.deepEqual(await found('"meltwater lakes"'), ['Glaciers retreat'], 'a phrase: the pairs of neighbouring words are added');
      assert.deepEqual(await found('Baniya'), ['Glaciers retreat']);
      assert.deepEqual(await found('glaciers'), ['Glaciers retreat', 'Les glaciers reculent']);
      assert.deepEqual(await found('europe'), ['Les glaciers reculent']);
      assert.deepEqual(await found('glaciers', 'europe'), ['Les glaciers reculent'], 'section filter');
      assert.deepEqual(await found('glaciers', 'world'), ['Glaciers retreat'], 'section filter');
    });

    it("rebuilds the index from live rows after a migration's mass update, and searches still answer", async () => {
      const { rows } = await sql<{ n: number }>`select count(*) as n from search_documents`.execute(t.handle.db);
      await afterCommit(t.handle.db, 0);
      if (dialect === 'postgres') {
        const valid = await sql<{
          ok: boolean;
        }>`select indisvalid as ok from pg_index where indexrelid = 'search_documents_document_idx'::regclass`.execute(t.handle.db);
        assert.equal(valid.rows[0]?.ok, true, 'the rebuilt index is valid');
      }
      assert.equal((await sql<{ n: number }>`select count(*) as n from search_documents`.execute(t.handle.db)).rows[0]!.n, rows[0]!.n);
      assert.deepEqual(await found('glaciers', 'europe'), ['Les glaciers reculent'], 'section filter');
    });

    it('stems after the migration on PostgreSQL, and on SQLite once reindexed', async () => {
      if (dialect === 'sqlite') {
        assert.deepEqual(await found('lac'), [], 'SQLite: stored unstemmed by the migration');
        await reindexAll(deps);
      }
      assert.deepEqual(await found('lac'), ['Les glaciers reculent']);
      assert.deepEqual(await found('glacier'), ['Glaciers retreat', 'Les glaciers reculent']);
    });
  });
}
