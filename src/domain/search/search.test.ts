import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import {
  buildArticleInput,
  hoursAgo,
  paragraphs,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../accounts/role.ts';
import { deleteArticle } from '../articles/article-delete.ts';
import { visibleFrom } from '../articles/article-visibility.ts';
import { createArticle, updateArticle } from '../articles/article-service.ts';
import { runWorkflowAction } from '../articles/article-workflow-service.ts';
import { ValidationError } from '../errors.ts';
import { bulkGenerate } from '../../demo/bulk-generate.ts';
import { listStories } from '../desk/article-list.ts';
import { reindexAll } from './search-reindex.ts';
import { compactSearchIndex } from './search-index.ts';
import { searchInputSchema, searchPublished, type SearchAnswer } from './search-service.ts';

const admin: Actor = { userId: 'u-admin', role: 'admin' };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: search index and public search`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      tax = await seedTaxonomy(deps);
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    const search = (q: string, extra: Record<string, unknown> = {}): Promise<SearchAnswer> =>
      searchPublished(deps, searchInputSchema.parse({ q, ...extra }), 10);
    const found = async (q: string, extra: Record<string, unknown> = {}) => (await search(q, extra)).results.map((r) => r.teaser.headline);

    it('finds a published story by a word deep in its body, a photo credit and its byline, with a marked snippet', async () => {
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Harbour pilots strike over night shifts',
          standfirst: 'The port authority says ships will wait.',
          authorIds: [tax.reporter.id],
          body: {
            version: 1,
            blocks: [
              ...paragraphs('Opening words about ships.', 'Much later the union said the quayside cranes stood idle.').blocks,
              {
                type: 'figure',
                imageId: '00000000-0000-0000-0000-000000000000',
                caption: 'Cranes at dawn',
                credit: 'Petra Lindqvist/Agency',
              },
            ],
          },
        }),
      );
      assert.deepEqual(await found('quayside cranes'), ['Harbour pilots strike over night shifts']);
      assert.deepEqual(await found('Baniya'), ['Harbour pilots strike over night shifts'], 'byline indexed');
      assert.deepEqual(await found('Lindqvist'), ['Harbour pilots strike over night shifts'], 'photo credit indexed');
      assert.deepEqual(await found('dawn'), ['Harbour pilots strike over night shifts'], 'caption indexed');
      const [hit] = (await search('quayside')).results;
      assert.ok(hit);
      assert.deepEqual(
        hit.snippet.filter((p) => p.mark).map((p) => p.text),
        ['quayside'],
      );
      assert.equal(hit.bylines[0]?.name, 'Sudesh Baniya');
    });

    it(
      'weighs a word until it is common, reading its commonness once until a committed change',
      { skip: dialect !== 'sqlite' && 'SQLite only: PostgreSQL weighs every word' },
      async () => {
        await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Kestrel nests on the bell tower' }));
        // The related lists' deferred refresh publishes a change of its own when done: let it land first.
        await deps.deferredWork.drain();
        const score = async () => (await search('kestrel')).results[0]?.score;
        assert.ok((await score())! > 0, 'a rare word is weighed');
        // Past the bound in the vocabulary, without a change: what was read stays (the memo).
        await deps.db.updateTable('search_vocabulary').set({ doc_count: 1_000_000 }).where('term', '=', 'kestrel').execute();
        assert.ok((await score())! > 0, 'commonness read once, kept until a change');
        // Any committed change may move a word across the bound: it drops what was read.
        await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Bell ringers return' }));
        assert.equal(await score(), 0, 'a common word is matched but not weighed');
      },
    );

    it('brings each result its bylines in their order, read with its teaser, and none for a story without', async () => {
      await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Tidal barrage vote', authorIds: [tax.editor.id, tax.reporter.id] }),
      );
      await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Tidal barrage costs', authorIds: [] }));
      const bylines = new Map((await search('tidal barrage')).results.map((r) => [r.teaser.headline, r.bylines]));
      assert.deepEqual(bylines.get('Tidal barrage vote'), [
        { id: tax.editor.id, slug: tax.editor.slug, name: 'Amira Haddad' },
        { id: tax.reporter.id, slug: tax.reporter.slug, name: 'Sudesh Baniya' },
      ]);
      assert.deepEqual(bylines.get('Tidal barrage costs'), []);
    });

    it('never finds drafts, scheduled, embargoed, unpublished or deleted stories, and finds one again after republishing', async () => {
      const draft = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Zeppelin draft', status: 'draft', publishedAt: undefined }),
      );
      const scheduled = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Zeppelin scheduled', status: 'draft', publishedAt: undefined }),
      );
      await runWorkflowAction(deps, scheduled.id, { type: 'schedule', at: '2026-12-25T12:00:00.000Z' }, admin);
      const embargoed = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Zeppelin embargoed' }));
      // The one visibility rule checks the embargo even when a hand edit broke the services' invariant.
      await deps.db.updateTable('articles').set({ embargo_until: '2026-12-01T00:00:00.000Z' }).where('id', '=', embargoed.id).execute();
      const future = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Zeppelin future', publishedAt: '2026-11-26T00:00:00.000Z' }),
      );
      const unpublished = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Zeppelin unpublished' }));
      await runWorkflowAction(deps, unpublished.id, { type: 'unpublish' }, admin);
      const deleted = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Zeppelin deleted' }));
      await deleteArticle(deps, admin, deleted.id);
      await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Zeppelin visible' }));

      assert.deepEqual(await found('zeppelin'), ['Zeppelin visible']);
      assert.ok(draft && future);
      const docs = await deps.db.selectFrom('search_documents').select('article_id').where('article_id', '=', deleted.id).execute();
      assert.deepEqual(docs, [], 'a deleted story leaves the index');

      await runWorkflowAction(deps, unpublished.id, { type: 'republish' }, admin);
      assert.deepEqual((await found('zeppelin', { sort: 'newest' })).sort(), ['Zeppelin unpublished', 'Zeppelin visible']);

      // Each document keeps its story's facts as the services last wrote them (a public search
      // applies the rule to them without reading the story rows): every story but the one
      // embargoed by a hand edit above, which only the teasers' own check keeps out.
      const rows = await deps.db
        .selectFrom('search_documents as d')
        .innerJoin('articles as a', 'a.id', 'd.article_id')
        .select([
          'a.id',
          'a.status',
          'a.published_at',
          'a.embargo_until',
          'a.section_id',
          'd.visible_from',
          'd.published_at as doc_published_at',
          'd.section_id as doc_section_id',
        ])
        .where('a.headline', 'like', 'Zeppelin%')
        .where('a.id', '!=', embargoed.id)
        .execute();
      assert.equal(rows.length, 5, 'draft, scheduled, future, republished and visible stories are indexed');
      for (const r of rows) {
        assert.equal(r.visible_from, visibleFrom({ status: r.status, publishedAt: r.published_at, embargoUntil: r.embargo_until }), r.id);
        assert.equal(r.doc_published_at, r.published_at);
        assert.equal(r.doc_section_id, r.section_id);
      }
      assert.equal(rows.find((r) => r.id === scheduled.id)!.visible_from, null, 'a scheduled story is not visible until published');
      assert.ok(rows.find((r) => r.id === unpublished.id)!.visible_from, 'republished: visible again');
    });

    it('a rolled-back save leaves the index as it was', async () => {
      const story = await createArticle(deps, buildArticleInput({ sectionId: tax.sport.id, headline: 'Marmalade derby ends level' }));
      await assert.rejects(
        withTransaction(deps.db, async (trx) => {
          await updateArticle(
            { ...deps, db: trx },
            story.id,
            buildArticleInput({ sectionId: tax.sport.id, headline: 'Quince derby ends level' }),
            story.revision,
          );
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual(await found('quince'), []);
      assert.deepEqual(await found('marmalade'), ['Marmalade derby ends level']);
      const saved = await updateArticle(
        deps,
        story.id,
        buildArticleInput({ sectionId: tax.sport.id, headline: 'Quince derby ends level' }),
        story.revision,
      );
      assert.equal(saved.revision, story.revision + 1);
      assert.deepEqual(await found('quince'), ['Quince derby ends level']);
      assert.deepEqual(await found('marmalade'), []);
    });

    it('stems each story in its own language and folds accents: a French query finds an inflected form', async () => {
      // Queries are read in the languages the index holds: none is French yet…
      assert.deepEqual(await found('bretonne'), []);
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.europe.id,
          language: 'fr',
          headline: 'Les électeurs bretons attendent les résultats',
          standfirst: 'Dépouillement tardif à Quimper.',
          body: paragraphs('Les gouvernements successifs ont promis une réforme électorale.'),
        }),
      );
      // …and the first French story is found at once by a form only French stems to its word.
      assert.deepEqual(await found('bretonne'), ['Les électeurs bretons attendent les résultats'], 'feminine finds masculine plural');
      assert.deepEqual(await found('électeur'), ['Les électeurs bretons attendent les résultats'], 'singular finds plural');
      assert.deepEqual(await found('gouvernement'), ['Les électeurs bretons attendent les résultats']);
      assert.deepEqual(await found('electeurs'), ['Les électeurs bretons attendent les résultats'], 'no accent typed');
      assert.deepEqual(await found('électeur', { language: 'fr' }), ['Les électeurs bretons attendent les résultats']);
      assert.deepEqual(await found('électeur', { language: 'de' }), []);
    });

    it('reads phrases, -excluded words and OR as a reader types them', async () => {
      await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.sport.id, headline: 'Walrus sighting', body: paragraphs('A grey walrus basked on the pier.') }),
      );
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.sport.id,
          headline: 'Narwhal sighting',
          body: paragraphs('The pier was grey with rain when the narwhal came.'),
        }),
      );
      assert.deepEqual(await found('"grey walrus"'), ['Walrus sighting']);
      assert.deepEqual((await found('"walrus grey"')).length, 0, 'phrase order matters');
      assert.deepEqual((await found('pier grey')).sort(), ['Narwhal sighting', 'Walrus sighting']);
      assert.deepEqual(await found('pier -walrus'), ['Narwhal sighting']);
      assert.deepEqual((await found('walrus OR narwhal')).sort(), ['Narwhal sighting', 'Walrus sighting']);
      assert.deepEqual(await found('walrus narwhal'), [], 'words are all required');
      assert.deepEqual(await found('walrus', { section: 'world' }), [], 'section filter');
      assert.deepEqual(await found('walrus', { section: 'sport' }), ['Walrus sighting']);
      assert.deepEqual(await found('walrus', { from: '2026-11-26' }), [], 'date filter');
      assert.deepEqual(await found('walrus', { to: '2026-11-25' }), ['Walrus sighting']);
    });

    it('finds a phrase only where its words touch, for readers and the desk, stopwords and three words included', async () => {
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Quarry inquiry opens',
          body: paragraphs(
            'Councillor Jack Brien told the quarry inquiry the state of play was grim.',
            'Nobody knew the cost of the quarry.',
            'It was the end of it all for the inquiry.',
          ),
        }),
      );
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Quarry inquiry adjourns',
          body: paragraphs('Jack spoke first. The quarry owner, Brien, spoke after lunch. Then state cup play resumed.'),
        }),
      );
      assert.deepEqual(await found('"jack brien"'), ['Quarry inquiry opens']);
      assert.deepEqual((await found('jack brien')).sort(), ['Quarry inquiry adjourns', 'Quarry inquiry opens'], 'as words, both');
      assert.deepEqual(await found('"brien jack"'), []);
      assert.deepEqual(await found('"state of play"'), ['Quarry inquiry opens'], 'a stopword inside, not any word');
      assert.deepEqual(await found('"cost of the quarry"'), ['Quarry inquiry opens'], 'two stopwords inside');
      assert.deepEqual(await found('"end of it all for the inquiry"'), ['Quarry inquiry opens'], 'five stopwords inside');
      assert.deepEqual(await found('"play of state"'), []);
      assert.deepEqual(await found('"told the quarry inquiry"'), ['Quarry inquiry opens'], 'four words, a stopword');
      assert.deepEqual(await found('"councillor jack brien" quarry'), ['Quarry inquiry opens'], 'three words and a word');
      assert.deepEqual(
        (await found('"jack brien" OR lunch')).sort(),
        ['Quarry inquiry adjourns', 'Quarry inquiry opens'],
        'in an OR group',
      );
      const listed = async (q: string) => (await listStories(deps, admin, { q })).items.map((i) => i.headline);
      assert.deepEqual(await listed('"jack brien"'), ['Quarry inquiry opens'], "the desk's list");
      if (dialect === 'postgres') {
        // GIN keeps no positions: a trigger keeps each pair of neighbouring words as a lexeme of
        // `phrase_pairs`, and a phrase is asked of that index. Without its pair a story is not
        // found by the phrase, though it has both words next to each other.
        const doc = sql`(select d.article_id from search_documents d join articles a on a.id = d.article_id where a.headline = 'Quarry inquiry opens')`;
        const pairs = await sql<{ lexeme: string }>`select lexeme from search_documents, unnest(phrase_pairs)
          where article_id = ${doc}`.execute(deps.db);
        const lexemes = pairs.rows.map((r) => r.lexeme);
        for (const pair of ['@pjack brien', '@qstate play', '@rcost quarri', '@w'])
          assert.ok(
            lexemes.some((l) => l.startsWith(pair)),
            `${pair} in ${lexemes.join(', ')}`,
          );
        assert.ok(!lexemes.includes('@qjack told'), 'no pair with an indexed word between');
        await sql`update search_documents set phrase_pairs = ts_delete(phrase_pairs, array['@pjack brien', '@qstate play', '@rcost quarri'])
          where article_id = ${doc}`.execute(deps.db);
        assert.deepEqual(await found('"jack brien"'), [], 'asked of the pairs');
        assert.deepEqual(await found('"state of play"'), [], 'asked of the pairs a stopword apart');
        assert.deepEqual(await found('"cost of the quarry"'), [], 'asked of the pairs two stopwords apart');
        assert.deepEqual(await listed('"jack brien"'), [], "the desk's list too");
        assert.deepEqual((await found('jack brien')).length, 2);
        assert.deepEqual(await found('"end of it all for the inquiry"'), ['Quarry inquiry opens'], 'no pair: asked of the documents');
        await reindexAll(deps, { restart: true });
        assert.deepEqual(await found('"jack brien"'), ['Quarry inquiry opens'], 'kept from the document by every write');
        // A phrase of stopwords only has no lexeme to check: it matches as the same words
        // unquoted do (the step's filter alone), not nothing after checking every story.
        assert.ok((await found('about their')).length > 0);
        assert.deepEqual(await found('"about their"'), await found('about their'), 'stopwords only, quoted');
      }
    });

    it('a story moved to another section is found under its new section only', async () => {
      const story = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.sport.id, headline: 'Ptarmigan census', body: paragraphs('Ptarmigans were counted.') }),
      );
      assert.deepEqual(await found('ptarmigan', { section: 'sport' }), ['Ptarmigan census']);
      await updateArticle(
        deps,
        story.id,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Ptarmigan census', body: paragraphs('Ptarmigans were counted.') }),
        story.revision,
      );
      assert.deepEqual(await found('ptarmigan', { section: 'world' }), ['Ptarmigan census']);
      assert.deepEqual(await found('ptarmigan', { section: 'sport' }), []);
      // Over more weeks than the recent windows (the rest of the archive is asked differently).
      assert.deepEqual(await found('ptarmigan', { section: 'world', from: '2000-01-01' }), ['Ptarmigan census']);
    });

    it('finds the newest matches of a common word back over weeks, years and the rest of the archive', async () => {
      const weeksAgo = (w: number) => hoursAgo(w * 7 * 24);
      // Published over eleven years: this week, months, years and a decade ago (the steps a
      // search takes back in time on PostgreSQL); one in another section.
      for (const [w, section] of [
        [0.5, tax.world],
        [30, tax.world],
        [40, tax.sport],
        [150, tax.world],
        [600, tax.world],
      ] as const) {
        await createArticle(
          deps,
          buildArticleInput({
            sectionId: section.id,
            headline: `Quokka survey, ${w} weeks ago`,
            body: paragraphs('Quokkas were counted.'),
            publishedAt: weeksAgo(w),
          }),
        );
      }
      assert.deepEqual(await found('quokkas', { sort: 'newest' }), [
        'Quokka survey, 0.5 weeks ago',
        'Quokka survey, 30 weeks ago',
        'Quokka survey, 40 weeks ago',
        'Quokka survey, 150 weeks ago',
        'Quokka survey, 600 weeks ago',
      ]);
      assert.deepEqual(await found('quokkas', { sort: 'newest', section: 'world' }), [
        'Quokka survey, 0.5 weeks ago',
        'Quokka survey, 30 weeks ago',
        'Quokka survey, 150 weeks ago',
        'Quokka survey, 600 weeks ago',
      ]);
      assert.deepEqual(await found('"quokkas were"', { sort: 'newest', section: 'sport' }), ['Quokka survey, 40 weeks ago']);
    });

    it('refuses abusive queries with a validation error and survives hostile syntax', async () => {
      await assert.rejects(search('a'.repeat(201)), ValidationError);
      await assert.rejects(search(Array.from({ length: 13 }, (_, i) => `w${i}`).join(' ')), ValidationError);
      await assert.rejects(search('-walrus -narwhal'), ValidationError);
      await assert.rejects(search(Array.from({ length: 40 }, () => 'OR').join(' ') + ' x y'), ValidationError, 'operators count too');
      for (const hostile of [
        '"',
        'NEAR(a b)',
        'a:b',
        '* ^ {',
        "'; drop table articles; --",
        'walrus" OR "',
        '((walrus',
        'NOT walrus',
        'OR OR walrus OR',
        '-',
        '""""',
      ]) {
        const answer = await search(hostile);
        assert.ok(Array.isArray(answer.results), hostile);
      }
      assert.equal((await search('   ')).query, null, 'an empty box searches for nothing');
    });

    it("the desk's story list searches bodies of drafts and published stories with the same engine", async () => {
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Desk draft',
          status: 'draft',
          publishedAt: undefined,
          body: paragraphs('The ombudsman resigned.'),
        }),
      );
      await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Desk published', body: paragraphs('An ombudsman was named.') }),
      );
      const listed = async (q: string) => (await listStories(deps, admin, { q })).items.map((i) => i.headline).sort();
      assert.deepEqual(await listed('ombudsmen'), [], 'no such word stem');
      assert.deepEqual(await listed('ombudsman'), ['Desk draft', 'Desk published']);
      assert.deepEqual(await listed('ombudsman -resigned'), ['Desk published']);
      assert.deepEqual(await found('ombudsman'), ['Desk published'], 'the public never sees the draft');
      await assert.rejects(listStories(deps, admin, { q: Array.from({ length: 13 }, (_, i) => `w${i}`).join(' ') }), ValidationError);
    });

    it("indexes the bulk generator's stories in their batch, bylines and section included", async () => {
      await bulkGenerate(deps, { articles: 3, related: 0, seed: 7 });
      const row = await deps.db.selectFrom('articles').select(['id', 'headline']).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      const doc = await deps.db
        .selectFrom('search_documents')
        .select(['headline', 'meta'])
        .where('article_id', '=', row.id)
        .executeTakeFirstOrThrow();
      assert.equal(doc.headline, row.headline);
      assert.ok(doc.meta.length > 0);
      assert.ok((await found(`"${row.headline.replace(/"/g, '')}"`, { sort: 'newest' })).includes(row.headline));
    });

    it('finds the newest matches first over ten years of stories, this week to the oldest, and counts them all', async () => {
      // Spread over ten years: PostgreSQL steps back week by week (recent weeks' lexemes), then
      // asks the rest of the archive; every story must come back once, newest first.
      await bulkGenerate(deps, { articles: 40, related: 0, seed: 11, days: 3650 });
      const generated = await deps.db
        .selectFrom('articles')
        .innerJoin('sections', 'sections.id', 'articles.section_id')
        .select(['articles.id', 'articles.published_at'])
        .where('sections.slug', '=', 'sport')
        .where('articles.status', '=', 'published')
        .orderBy('articles.published_at', 'desc')
        .orderBy('articles.id', 'desc')
        .execute();
      assert.ok(generated.length >= 3, 'the generator wrote sport stories');
      const years = new Set(generated.map((r) => r.published_at!.slice(0, 4)));
      assert.ok(years.size >= 2, 'they span several years');
      const answer = await search('sport', { sort: 'newest', section: 'sport' });
      assert.deepEqual(
        answer.results.map((r) => r.teaser.id),
        generated.slice(0, 10).map((r) => r.id),
      );
      assert.equal(answer.total, generated.length);
    });

    it('merges the full-text index written story by story, and finds the same stories after', async () => {
      for (let i = 0; i < 6; i++) {
        await createArticle(
          deps,
          buildArticleInput({ sectionId: tax.world.id, headline: `Wombat census ${i}`, body: paragraphs('Wombats were counted.') }),
        );
      }
      const pieces = async () =>
        dialect === 'sqlite' ? Number((await sql<{ n: number }>`select count(*) as n from search_fts_idx`.execute(deps.db)).rows[0]!.n) : 0;
      const before = await pieces();
      const steps = await compactSearchIndex(deps.db, dialect);
      if (dialect === 'sqlite') {
        // Each story's own transaction left FTS5 a segment; some levels held several.
        assert.ok(steps > 0, 'merge steps did work');
        assert.ok((await pieces()) < before, `index pieces ${before} → ${await pieces()}`);
      }
      assert.equal(await compactSearchIndex(deps.db, dialect), 0, 'nothing left to merge');
      assert.equal((await found('wombats')).length, 6);
    });

    it('reindexes every story, resumably, to the same answers', async () => {
      const beforeCount = (await found('sighting')).length;
      const seen: number[] = [];
      const result = await reindexAll(deps, { batchSize: 2, onProgress: (p) => seen.push(p.done) });
      assert.ok(result.indexed > 0);
      assert.equal(seen.at(-1), result.indexed);
      assert.equal((await found('sighting')).length, beforeCount);
      assert.equal(await compactSearchIndex(deps.db, dialect), 0, 'the reindex left its batches merged');
      assert.deepEqual(await deps.db.selectFrom('search_state').selectAll().execute(), [], 'no cursor left after a finished run');
      // A stopped run's cursor is picked up: only the stories after it are done again.
      const ids = (await deps.db.selectFrom('articles').select('id').orderBy('id').execute()).map((r) => r.id);
      await deps.db
        .insertInto('search_state')
        .values({ key: 'reindex_after', value: ids[ids.length - 3]! })
        .execute();
      const resumed = await reindexAll(deps, { batchSize: 50 });
      assert.deepEqual([resumed.resumed, resumed.indexed], [true, 2]);
    });
  });
}
