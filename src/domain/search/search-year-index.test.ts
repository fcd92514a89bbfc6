import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import {
  buildArticleInput,
  FIXED_NOW,
  paragraphs,
  seedTaxonomy,
  serviceDepsFor,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Db } from '../../db/database.ts';
import { createArticle } from '../articles/article-service.ts';
import { searchVisibleStories, type SearchFilters } from './search-engine.ts';
import { parseSearchQuery } from './search-query.ts';
import { ensureYearIndexes, forgetIndexedYears, indexedYears, wantedIndexYears, yearIndexName } from './search-year-index.ts';

/*
 * PostgreSQL keeps a GIN index of each recent year's search documents (search-year-index.ts),
 * and a search's week steps within such a year name its bounds so that the planner can read it.
 * Which index a statement reads is asked of the planner itself (EXPLAIN), which is exact.
 */

/** Ends the EXPLAIN's transaction, undoing its drops, with what the plan read. */
class Rollback extends Error {
  constructor(readonly indexes: string[]) {
    super('rolled back');
  }
}

for (const { dialect, skip } of (await testDialects()).filter((d) => d.dialect === 'postgres')) {
  describe(`${dialect}: per-year search indexes`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let worldId: string;

    const yearIndexes = async () =>
      (
        await sql<{ name: string }>`select indexname as name from pg_indexes
          where tablename = 'search_documents' and indexname like 'search_documents_document_y%' order by 1`.execute(deps.db)
      ).rows.map((r) => r.name);

    /** The statements a search sends, and its answer. */
    const recordedSearch = async (q: string, filters: SearchFilters = {}) => {
      const statements: CompiledQuery[] = [];
      const recording = new Proxy(deps.db, {
        get(target, key) {
          if (key === 'executeQuery')
            return (query: CompiledQuery) => {
              statements.push(query);
              return target.executeQuery(query);
            };
          const value = Reflect.get(target, key, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }) as Db;
      const answer = await searchVisibleStories(recording, 'postgres', {
        query: parseSearchQuery(q)!,
        filters,
        sort: 'relevance',
        offset: 0,
        limit: 10,
        nowIso: FIXED_NOW.toISOString(),
      });
      return { statements, ids: answer.hits.map((h) => h.articleId) };
    };

    /**
     * The indexes the planner reads for `query` when the other indexes of the documents are
     * gone (dropped inside a transaction that is rolled back) and it may not scan the table: a
     * partial index is read only by a statement whose conditions imply the index's own.
     */
    const indexesRead = async (query: CompiledQuery): Promise<string[]> =>
      deps.db
        .transaction()
        .execute(async (trx) => {
          for (const name of ['search_documents_document_idx', 'search_documents_config_idx', 'search_documents_pkey'])
            await sql`alter table search_documents drop constraint if exists ${sql.id(name)}`
              .execute(trx)
              .then(() => sql`drop index if exists ${sql.id(name)}`.execute(trx));
          await sql`set local enable_seqscan = off`.execute(trx);
          const { rows } = await trx.executeQuery<{ 'QUERY PLAN': unknown }>(
            CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
          );
          throw new Rollback([...JSON.stringify(rows[0]!['QUERY PLAN']).matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]!));
        })
        .catch((e: unknown) => {
          if (e instanceof Rollback) return e.indexes;
          throw e;
        });

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      const tax = await seedTaxonomy(deps);
      worldId = tax.world.id;
      for (const [headline, text] of [
        ['Harbour cranes idle', 'The harbour cranes stood idle as the dockers walked out over pay.'],
        ['Cranes return', 'Dockers returned to the cranes after a pay deal was struck.'],
        ['Orchestra tours', 'The orchestra toured the harbour towns all summer.'],
      ] as const) {
        await createArticle(deps, buildArticleInput({ sectionId: worldId, headline, body: paragraphs(text) }));
      }
      // Older than the steps by week (YEAR_STEPS_FROM_WEEK): found by a step of its year.
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: worldId,
          headline: 'Ferry crews strike',
          body: paragraphs('The ferry crews struck over their rosters.'),
          publishedAt: '2025-03-10T09:00:00.000Z',
        }),
      );
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    it('are made for this year and last, next year’s from December, and older ones dropped', async () => {
      assert.deepEqual(wantedIndexYears(new Date('2026-06-15T00:00:00Z')), [2025, 2026]);
      assert.deepEqual(wantedIndexYears(new Date('2026-12-01T00:00:00Z')), [2025, 2026, 2027]);

      assert.deepEqual(await ensureYearIndexes(deps.db, new Date('2026-06-15T00:00:00Z')), { created: [2025, 2026], dropped: [] });
      assert.deepEqual(await yearIndexes(), [yearIndexName(2025), yearIndexName(2026)]);
      assert.deepEqual(
        await ensureYearIndexes(deps.db, new Date('2026-06-16T00:00:00Z')),
        { created: [], dropped: [] },
        'nothing to do twice',
      );

      assert.deepEqual(await ensureYearIndexes(deps.db, new Date('2026-12-02T00:00:00Z')), { created: [2027], dropped: [] });
      assert.deepEqual(await ensureYearIndexes(deps.db, new Date('2028-03-01T00:00:00Z')), { created: [2028], dropped: [2025, 2026] });
      assert.deepEqual(await yearIndexes(), [yearIndexName(2027), yearIndexName(2028)]);
      assert.deepEqual([...(await indexedYears(deps.db, Date.now()))].sort(), [2027, 2028]);
    });

    it('leave out, then build again, an index whose concurrent build failed', async () => {
      await ensureYearIndexes(deps.db, new Date('2028-03-01T00:00:00Z'));
      // What a failed `create index concurrently` leaves behind: an index marked invalid.
      await sql`update pg_index set indisvalid = false where indexrelid = ${yearIndexName(2028)}::regclass`.execute(deps.db);
      forgetIndexedYears(deps.db);
      assert.deepEqual([...(await indexedYears(deps.db, Date.now()))], [2027], 'an invalid index is not used');
      assert.deepEqual(await ensureYearIndexes(deps.db, new Date('2028-03-02T00:00:00Z')), { created: [2028], dropped: [] });
      assert.deepEqual([...(await indexedYears(deps.db, Date.now()))].sort(), [2027, 2028]);
    });

    it('serve a search’s steps within their year, with the answers of the full index', async () => {
      for (const name of await yearIndexes()) await sql`drop index ${sql.id(name)}`.execute(deps.db);
      forgetIndexedYears(deps.db);
      const without = await recordedSearch('dockers pay');
      assert.equal(without.ids.length, 2);
      assert.ok(
        without.statements.every((s) => !s.sql.includes("'2026-01-01T00:00:00.000Z'")),
        'no year’s bounds without its index',
      );

      await ensureYearIndexes(deps.db, FIXED_NOW);
      const withYears = await recordedSearch('dockers pay');
      assert.deepEqual(withYears.ids, without.ids);
      const steps = withYears.statements.filter((s) => s.sql.includes("d.published_at >= '2026-01-01T00:00:00.000Z'"));
      assert.ok(steps.length > 0, 'the current week’s step names its year');
      for (const step of steps) assert.ok((await indexesRead(step)).includes(yearIndexName(2026)), step.sql);

      // Within a section too (its week lexemes ANDed with the words, in the year's index).
      const inSection = await recordedSearch('dockers pay', { sectionId: worldId });
      assert.deepEqual(inSection.ids.sort(), [...without.ids].sort());
      const sectionSteps = inSection.statements.filter((s) => s.sql.includes("d.published_at >= '2026-01-01T00:00:00.000Z'"));
      assert.ok(sectionSteps.length > 0, 'a section’s week step names its year');
      for (const step of sectionSteps) assert.ok((await indexesRead(step)).includes(yearIndexName(2026)), step.sql);

      // A phrase's pairs have an index of their own, which the year's does not replace.
      const phrase = await recordedSearch('"the cranes"');
      assert.ok(phrase.ids.length > 0);
      assert.ok(phrase.statements.every((s) => !s.sql.includes("'2026-01-01T00:00:00.000Z'")));
    });

    it('leave a sparse phrase to its pairs’ index, which is asked for the rest of the archive in one step', async () => {
      await ensureYearIndexes(deps.db, FIXED_NOW);
      for (const filters of [{}, { sectionId: worldId }]) {
        const search = await recordedSearch('"ferry crews"', filters);
        assert.equal(search.ids.length, 1);
        assert.ok(
          search.statements.every((s) => !s.sql.includes("'2025-01-01T00:00:00.000Z'")),
          'no year’s index',
        );
        const steps = search.statements.filter((s) => s.sql.includes('d.visible_from <='));
        assert.equal(steps.length, 3, 'the current week, the weeks it suggests, then everything before them');
        const last = steps.at(-1)!;
        assert.ok(
          !last.parameters.some((p) => typeof p === 'string' && /'@(w|y)\d|w\d+'/.test(p)),
          'the last step asks no weeks and no year',
        );
      }
    });

    it('count a sparse phrase exactly when its one step reads all its matches, and say "more" when that step reaches the bound', async () => {
      const lighthouse = async (n: number, day: string) => {
        for (let i = 0; i < n; i++)
          await createArticle(
            deps,
            buildArticleInput({
              sectionId: worldId,
              headline: `Keeper's log ${day} ${i}`,
              body: paragraphs('The amber lighthouse was lit again.'),
              publishedAt: `${day}T${String(i % 24).padStart(2, '0')}:00:00.000Z`,
            }),
          );
      };
      await lighthouse(120, '2023-05-02');
      const found = () =>
        searchVisibleStories(deps.db, 'postgres', {
          query: parseSearchQuery('"amber lighthouse"')!,
          filters: {},
          sort: 'relevance',
          offset: 0,
          limit: 10,
          nowIso: FIXED_NOW.toISOString(),
        });
      const few = await found();
      assert.deepEqual([few.total, few.capped], [120, false]);
      await lighthouse(100, '2023-06-02');
      const many = await found();
      assert.deepEqual([many.total, many.capped], [200, true]);
    });

    it('serve the steps by year of a sparse search, with or without a section', async () => {
      await ensureYearIndexes(deps.db, FIXED_NOW);
      for (const filters of [{}, { sectionId: worldId }]) {
        const search = await recordedSearch('ferry rosters', filters);
        assert.equal(search.ids.length, 1);
        const step = search.statements.find((s) => s.parameters.some((p) => typeof p === 'string' && p.includes("'@y2025'")));
        assert.ok(step, 'a step by year, 2025');
        assert.ok(step.sql.includes("d.published_at >= '2025-01-01T00:00:00.000Z'"), 'it names its year');
        assert.ok((await indexesRead(step)).includes(yearIndexName(2025)), step.sql);
      }
    });
  });
}
