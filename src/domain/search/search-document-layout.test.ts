import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { buildArticleInput, paragraphs, seedTaxonomy, serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { migrations } from '../../db/migrations/index.ts';
import { createArticle } from '../articles/article-service.ts';
import { reindexAll } from './search-reindex.ts';
import { searchInputSchema, searchPublished } from './search-service.ts';

/*
 * PostgreSQL keeps a story's tsvector in its search row (migration 20261214T0900): a search
 * step reads it for every match it ranks or checks for a phrase, and out of the row each read
 * was a TOAST probe. What a read touches is counted in buffers (EXPLAIN), which is exact.
 */

/** A story of `count` words from a vocabulary of `vocabulary`: with 600 of 250, its row is over PostgreSQL's 2 KB, as a real story's is. */
function storyText(seed: string, count = 600, vocabulary = 250): string[] {
  const words = Array.from({ length: count }, (_, i) => `${seed}${(i * 7919) % vocabulary}x`);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 60) out.push(words.slice(i, i + 60).join(' ') + '.');
  return out;
}

for (const { dialect, skip } of (await testDialects()).filter((d) => d.dialect === 'postgres')) {
  describe(`${dialect}: a search document is kept in its row`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let storyId: string;
    let sectionId: string;

    /**
     * Buffers a read of `column` of the story's search row touches: the row's own page (found
     * by its ctid, so no index walk or dead version is counted), plus TOAST's when the value
     * is out of the row.
     */
    const buffersReading = async (column: string): Promise<number> => {
      const { rows: at } = await sql<{
        ctid: string;
      }>`select ctid::text as ctid from search_documents where article_id = ${storyId}`.execute(deps.db);
      const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }] }>`
        explain (analyze, buffers, format json) select length(${sql.ref(column)}::text) from search_documents where ctid = ${at[0]!.ctid}::tid`.execute(
        deps.db,
      );
      const plan = rows[0]!['QUERY PLAN'][0].Plan;
      return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
    };

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      const tax = await seedTaxonomy(deps);
      sectionId = tax.world.id;
      const story = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Glaciers retreat', body: paragraphs(...storyText('melt')) }),
      );
      storyId = story.id;
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    it('reads the document and the columns every match reads without leaving the row; the text goes out of it', async () => {
      const inRow = await buffersReading('revision');
      assert.equal(await buffersReading('document'), inRow, 'the tsvector is read from the row');
      for (const column of ['published_at', 'visible_from', 'config', 'section_id'])
        assert.equal(await buffersReading(column), inRow, column);
      assert.ok((await buffersReading('body')) > inRow, 'the text, read for a page of results only, is out of the row');
    });

    it('a document too large for a page still goes out of the row, and the story is found', async () => {
      // Tens of thousands of distinct words: compressed, still more than a page holds.
      const huge = storyText('moraine', 40_000, 20_000);
      await createArticle(deps, buildArticleInput({ sectionId, headline: 'An enormous report on moraines', body: paragraphs(...huge) }));
      const answer = await searchPublished(deps, searchInputSchema.parse({ q: 'moraines' }), 10);
      assert.deepEqual(
        answer.results.map((r) => r.teaser.headline),
        ['An enormous report on moraines'],
      );
    });

    it('rows written before the migration are moved into the row by a reindex', async () => {
      const migrator = new Migrator({ db: t.handle.db, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo('20261213T0900-add-headline-trigram-index');
      if (error) throw error;
      await sql`update search_documents set document = document || ''::tsvector where article_id = ${storyId}`.execute(deps.db);
      const inRow = await buffersReading('revision');
      assert.ok((await buffersReading('document')) > inRow, 'the default layout moved the document out of the row');
      await migrateToLatest(t.handle.db);
      assert.ok((await buffersReading('document')) > inRow, 'the migration alone leaves written rows as they are');
      await reindexAll(deps, { restart: true });
      assert.equal(await buffersReading('document'), await buffersReading('revision'));
    });
  });
}
