import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import {
  buildArticleInput,
  FIXED_NOW,
  paragraphs,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Db } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { migrations } from '../../db/migrations/index.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../accounts/role.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';
import { deleteArticle } from '../articles/article-delete.ts';
import { createArticle, updateArticle } from '../articles/article-service.ts';
import { runWorkflowAction } from '../articles/article-workflow-service.ts';
import { publishVisibilityStarts } from '../changes/story-visibility-start.ts';
import { parseSearchQuery } from './search-query.ts';
import { indexStoriesById, reindexAll } from './search-reindex.ts';
import { searchInputSchema, searchPublished } from './search-service.ts';
import { backfillVocabulary, backfillVocabularyStep, VOCABULARY_BACKFILL_KEY } from './search-vocabulary-backfill.ts';
import { editDistance, replaceWords, suggestQuery, wordsToCheck } from './search-suggest.ts';

const admin: Actor = { userId: 'u-admin', role: 'admin' };

describe('spelling suggestion rules', () => {
  it('measures Damerau-Levenshtein distance with adjacent transpositions as one edit', () => {
    assert.equal(editDistance('glaicer', 'glacier', 2), 1);
    assert.equal(editDistance('meltwatr', 'meltwater', 2), 1);
    assert.equal(editDistance('kitten', 'sitting', 5), 3);
    assert.equal(editDistance('kitten', 'sitting', 2), 3, 'capped at limit + 1');
    assert.equal(editDistance('abc', 'abc', 1), 0);
  });

  it('rewrites only the required words, keeping quotes, OR and excluded terms as typed', () => {
    const q = parseSearchQuery('"Glaicer lakes" OR meltwatr -glaicer -"glaicer ice"')!;
    const out = replaceWords(
      q,
      new Map([
        ['glaicer', 'glacier'],
        ['meltwatr', 'meltwater'],
      ]),
    );
    assert.equal(out, '"glacier lakes" OR meltwater -glaicer -"glaicer ice"');
  });

  it('does no work for a hostile query: too long, too many words, or words no reader types', async () => {
    // Any use of this database throws: a suggestion that returns null without throwing did no work.
    const untouchable = new Proxy({}, { get: () => assert.fail('the database was asked') }) as unknown as Db;
    const long = parseSearchQuery('alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima')!;
    assert.deepEqual(wordsToCheck(long), []);
    assert.equal(await suggestQuery(untouchable, 'sqlite', long), null);
    const huge = parseSearchQuery('x'.repeat(60))!;
    assert.equal(await suggestQuery(untouchable, 'postgres', huge), null);
    const wide = parseSearchQuery(Array.from({ length: 11 }, () => 'abcdefghijklmno').join(' '))!;
    assert.equal(await suggestQuery(untouchable, 'postgres', wide), null);
  });
});

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: spelling suggestions`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let now = FIXED_NOW.getTime();

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle, { clock: () => new Date(now) });
      tax = await seedTaxonomy(deps);
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Glacier retreat speeds up',
          body: paragraphs('Meltwater lakes grew behind the moraine.', 'The glacier lost a kilometre.'),
        }),
      );
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.europe.id,
          language: 'fr',
          headline: 'Une élection disputée',
          body: paragraphs('Le scrutin a eu lieu dimanche.'),
        }),
      );
      // Two words one edit from "carx": the one more stories contain wins.
      for (const h of ['Cart one', 'Cart two']) await createArticle(deps, buildArticleInput({ sectionId: tax.sport.id, headline: h }));
      await createArticle(deps, buildArticleInput({ sectionId: tax.sport.id, headline: 'Card game' }));
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    const suggestion = async (q: string) => (await searchPublished(deps, searchInputSchema.parse({ q }), 10)).suggestion;
    const inVocabulary = async (term: string) =>
      (await deps.db.selectFrom('search_vocabulary').select('doc_count').where('term', '=', term).executeTakeFirst())?.doc_count ?? 0;

    it('suggests the closest visible word for a misspelt one, accents folded, operators kept', async () => {
      assert.equal(await suggestion('meltwatr'), 'meltwater');
      assert.equal(await suggestion('glaicer'), 'glacier', 'a transposition is one edit');
      assert.equal(await suggestion('electoin'), 'élection', 'compared without accents, suggested as written');
      assert.equal(await suggestion('"glaicer retreat" -kilometer'), '"glacier retreat" -kilometer');
      assert.equal(await suggestion('carx'), 'cart', 'the more frequent of two equally close words');
      assert.equal(await suggestion('glacier'), null, 'nothing to correct when the word is known');
      assert.equal(await suggestion('xylophonist'), null, 'nothing close enough');
      assert.equal(await suggestion('glacxxxx'), null, 'more than two edits away');
    });

    it('never suggests a word found only in a draft, a scheduled or an embargoed story, until readers can see it', async () => {
      const draft = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Zeppelinhangar plans', status: 'draft', publishedAt: undefined }),
      );
      const embargoed = await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Quarantotto findings',
          publishedAt: new Date(now + 3_600_000).toISOString(),
        }),
      );
      assert.equal(await suggestion('zeppelinhangr'), null);
      assert.equal(await suggestion('quarantoto'), null);
      assert.equal(await inVocabulary('zeppelinhangar'), 0);
      assert.equal(await inVocabulary('quarantotto'), 0);
      // Saving the draft again keeps it out.
      await updateArticle(
        deps,
        draft.id,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Zeppelinhangar plans again', status: 'draft', publishedAt: undefined }),
        draft.revision,
      );
      assert.equal(await inVocabulary('zeppelinhangar'), 0);
      // The publication time passes with no write: the scheduler's tick counts its words.
      const since = new Date(now).toISOString();
      now += 2 * 3_600_000;
      await publishVisibilityStarts(deps, since, new Date(now).toISOString());
      assert.equal(await suggestion('quarantoto'), 'quarantotto');
      await publishVisibilityStarts(deps, since, new Date(now).toISOString());
      assert.equal(await inVocabulary('quarantotto'), 1, 'counted once however often it is announced');
      assert.ok(embargoed);
    });

    it('takes words back when a story is unpublished, edited or deleted', async () => {
      const story = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Aardvarkian habits observed' }));
      assert.equal(await suggestion('aardvarkan'), 'aardvarkian');
      await runWorkflowAction(deps, story.id, { type: 'unpublish' }, admin);
      assert.equal(await suggestion('aardvarkan'), null);
      assert.equal(await inVocabulary('aardvarkian'), 0);
      const back = await runWorkflowAction(deps, story.id, { type: 'republish' }, admin);
      assert.equal(await suggestion('aardvarkan'), 'aardvarkian');
      const edited = await updateArticle(
        deps,
        story.id,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Pangolinesque habits observed' }),
        back.revision,
      );
      assert.equal(await inVocabulary('aardvarkian'), 0);
      assert.equal(await inVocabulary('pangolinesque'), 1);
      assert.equal(await inVocabulary('habits'), 1, 'a word kept by the edit keeps its count');
      await deleteArticle(deps, admin, edited.id);
      assert.equal(await inVocabulary('pangolinesque'), 0);
      assert.equal(await inVocabulary('habits'), 0);
    });

    it('offers the suggestion only when it finds more than the query did', async () => {
      // "glaicer meltwater" finds nothing (both words required); corrected it finds the story.
      assert.equal(await suggestion('glaicer meltwater'), 'glacier meltwater');
      const answer = await searchPublished(deps, searchInputSchema.parse({ q: 'glaicer' }), 10);
      assert.equal(answer.total, 0);
      assert.ok(answer.recent.length > 0, 'the latest stories are still offered');
    });

    it('a full reindex rebuilds the vocabulary exactly', async () => {
      const before = await deps.db.selectFrom('search_vocabulary').select(['term', 'doc_count']).orderBy('term').execute();
      await deps.db.updateTable('search_vocabulary').set({ doc_count: 99 }).execute();
      await deps.db
        .insertInto('search_vocabulary')
        .values({ term: 'bogusword', folded: 'bogusword', initial: 'b', length: 9, doc_count: 5 })
        .execute();
      await reindexAll(deps);
      const rebuilt = await deps.db.selectFrom('search_vocabulary').select(['term', 'doc_count']).orderBy('term').execute();
      assert.deepEqual(
        rebuilt.map((r) => [r.term, Number(r.doc_count)]),
        before.map((r) => [r.term, Number(r.doc_count)]),
      );
    });

    it('the migration counts the words of visible stories of an existing database', async () => {
      const before = await deps.db.selectFrom('search_vocabulary').select(['term', 'doc_count']).orderBy('term').execute();
      const migrator = new Migrator({ db: t.handle.db, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo('20261204T1500-create-image-search-index');
      if (error) throw error;
      await migrateToLatest(t.handle.db);
      const after = await deps.db.selectFrom('search_vocabulary').select(['term', 'doc_count']).orderBy('term').execute();
      assert.deepEqual(
        after.map((r) => [r.term, Number(r.doc_count)]),
        before.map((r) => [r.term, Number(r.doc_count)]),
      );
      assert.equal(await inVocabulary('zeppelinhangar'), 0, 'the draft stays out');
      assert.equal(await suggestion('meltwatr'), 'meltwater');
      assert.equal(
        await backfillVocabularyStep(deps.db, dialect, new Date(now).toISOString()),
        false,
        'a small database is counted inline',
      );
    });

    it("a big archive's migration leaves the count to a resumable background back-fill, consistent with saves meanwhile", async () => {
      const before = await deps.db.selectFrom('search_vocabulary').select(['term', 'doc_count']).orderBy('term').execute();
      const migrator = new Migrator({ db: t.handle.db, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo('20261204T1500-create-image-search-index');
      if (error) throw error;
      // Over the inline bound: documents of no story (the back-fill's join skips them).
      const filler = sql`select 'zz-filler-' || n, 'en', 'simple', '', '', '', '', 1${sql.raw(dialect === 'postgres' ? `, ''::tsvector` : '')}
        from ${sql.raw(dialect === 'postgres' ? 'generate_series(1, 5001) as n' : '(with recursive s(n) as (select 1 union all select n + 1 from s where n < 5001) select n from s)')}`;
      await sql`insert into search_documents (article_id, language, config, headline, standfirst, body, meta, revision${sql.raw(
        dialect === 'postgres' ? ', document' : '',
      )}) ${filler}`.execute(deps.db);
      const started = Date.now();
      await migrateToLatest(t.handle.db);
      assert.ok(Date.now() - started < 10_000, 'the migration itself counts nothing');
      const rows = await deps.db.selectFrom('search_vocabulary').select('term').execute();
      assert.equal(rows.length, 0, 'nothing counted at migration time');
      assert.equal(await suggestion('meltwatr'), null);

      // One batch, then a save of a story the back-fill has not reached: counted by the save, once.
      const nowIso = new Date(now).toISOString();
      assert.equal(await backfillVocabularyStep(deps.db, dialect, nowIso, 1), true);
      const cursor = await deps.db
        .selectFrom('search_state')
        .select('value')
        .where('key', '=', VOCABULARY_BACKFILL_KEY)
        .executeTakeFirstOrThrow();
      const later = await deps.db
        .selectFrom('search_documents as d')
        .innerJoin('articles as a', 'a.id', 'd.article_id')
        .select('a.id')
        .where('d.article_id', '>', cursor.value)
        .where((eb) => visibleToReaders(eb, 'a', nowIso))
        .orderBy('d.article_id', 'desc')
        .executeTakeFirstOrThrow();
      // What a save runs in its transaction (indexStory), here through the reindex's per-story path.
      await withTransaction(deps.db, (trx) => indexStoriesById(trx, dialect, [later.id], nowIso));
      const counted = await deps.db
        .selectFrom('search_documents')
        .select('in_vocabulary')
        .where('article_id', '=', later.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(counted.in_vocabulary), 1);
      // The rest, in batches, as the scheduler's ticks run them; then nothing is left to do.
      assert.ok((await backfillVocabulary(deps.db, dialect, nowIso, 2)) >= 1);
      assert.equal(
        await deps.db.selectFrom('search_state').select('value').where('key', '=', VOCABULARY_BACKFILL_KEY).executeTakeFirst(),
        undefined,
      );
      assert.equal(await backfillVocabularyStep(deps.db, dialect, nowIso), false);
      await deps.db.deleteFrom('search_documents').where('article_id', 'like', 'zz-filler-%').execute();
      const after = await deps.db.selectFrom('search_vocabulary').select(['term', 'doc_count']).orderBy('term').execute();
      assert.deepEqual(
        after.map((r) => [r.term, Number(r.doc_count)]),
        before.map((r) => [r.term, Number(r.doc_count)]),
      );
      assert.equal(await inVocabulary('zeppelinhangar'), 0, 'the draft stays out');
      assert.equal(await suggestion('meltwatr'), 'meltwater');
    });
  });
}
