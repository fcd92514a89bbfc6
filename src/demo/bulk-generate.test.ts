import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { extractKeywords } from '../domain/articles/article-related.ts';
import type { ServiceDeps } from '../domain/deps.ts';
import { parseArticleDocument } from '../domain/documents/document-schema.ts';
import { documentText } from '../domain/documents/document-text.ts';
import { isId } from '../domain/ids.ts';
import { createLocalMediaStore } from '../domain/media/media-store.ts';
import { reindexAll } from '../domain/search/search-reindex.ts';
import { isSlug, toSlug } from '../domain/slug.ts';
import { bulkGenerate, type BulkProgress } from './bulk-generate.ts';
import { DEMO_AUTHORS, DEMO_SECTIONS, generateStory } from './story-generator.ts';
import { createDeferredWork } from '../domain/changes/deferred-work.ts';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const ARTICLES = 300;
const RELATED = 40;
const DAYS = 30;

async function count(
  deps: ServiceDeps,
  table: 'articles' | 'article_authors' | 'article_tags' | 'article_related' | 'sections' | 'authors' | 'images' | 'tags',
) {
  const row = await deps.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('story generator', () => {
  test('is deterministic, valid and varied', () => {
    assert.deepEqual(generateStory(7, 123), generateStory(7, 123));
    const headlines = new Set<string>();
    for (let n = 0; n < 5000; n++) {
      const s = generateStory(1, n);
      parseArticleDocument(s.body);
      assert.equal(s.sectionSlug, DEMO_SECTIONS[n % DEMO_SECTIONS.length]!.slug);
      assert.ok(s.authorIndex >= 0 && s.authorIndex < DEMO_AUTHORS.length);
      assert.ok(s.tags.length >= 1 && s.age >= 0 && s.age < 1);
      assert.ok(s.headline.length <= 300 && s.standfirst.length <= 600);
      headlines.add(s.headline);
    }
    assert.ok(headlines.size > 3000, `only ${headlines.size} distinct headlines in 5000 stories`);
  });
});

for (const { dialect, skip } of await testDialects()) {
  describe(`bulk generate (${dialect})`, { skip }, () => {
    let testDb: TestDatabase;
    let deps: ServiceDeps;
    let mediaDir: string;
    const events: BulkProgress[] = [];

    before(async () => {
      testDb = await createTestDatabase(dialect);
      mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-gen-media-'));
      deps = {
        db: testDb.handle.db,
        dialect,
        clock: () => NOW,
        mediaStore: createLocalMediaStore(mediaDir),
        deferredWork: createDeferredWork({ log: () => console }),
      };
      const result = await bulkGenerate(deps, {
        articles: ARTICLES,
        seed: 5,
        batchSize: 70,
        related: RELATED,
        days: DAYS,
        onProgress: (p) => events.push(p),
      });
      assert.equal(result.articles, ARTICLES);
      assert.equal(result.related, RELATED);
    });

    after(async () => {
      await testDb?.destroy();
      if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true });
    });

    test('writes every article with its demo sections, authors, images and tags', async () => {
      assert.equal(await count(deps, 'articles'), ARTICLES);
      assert.equal(await count(deps, 'sections'), DEMO_SECTIONS.length);
      assert.equal(await count(deps, 'authors'), DEMO_AUTHORS.length);
      assert.equal(await count(deps, 'images'), 6);
      assert.ok((await count(deps, 'tags')) > 20);
      assert.ok((await count(deps, 'article_authors')) >= ARTICLES);
      assert.ok((await count(deps, 'article_tags')) >= ARTICLES);
      const withoutAuthor = await deps.db
        .selectFrom('articles as a')
        .select('a.id')
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('article_authors as aa').select('aa.article_id').whereRef('aa.article_id', '=', 'a.id'))),
        )
        .execute();
      assert.deepEqual(withoutAuthor, []);
      const withoutTag = await deps.db
        .selectFrom('articles as a')
        .select('a.id')
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('article_tags as at').select('at.article_id').whereRef('at.article_id', '=', 'a.id'))),
        )
        .execute();
      assert.deepEqual(withoutTag, []);
      const perSection = await deps.db
        .selectFrom('articles')
        .select(['section_id', (eb) => eb.fn.countAll().as('n')])
        .groupBy('section_id')
        .execute();
      assert.equal(perSection.length, DEMO_SECTIONS.length);
    });

    test('rows have the shape createArticle writes', async () => {
      const rows = await deps.db.selectFrom('articles').selectAll().orderBy('id').execute();
      const images = new Set((await deps.db.selectFrom('images').select('id').execute()).map((r) => r.id));
      for (const row of rows) {
        assert.ok(isId(row.id) && row.id[14] === '7', `UUIDv7 id: ${row.id}`);
        const doc = parseArticleDocument(JSON.parse(row.body));
        assert.equal(row.body, JSON.stringify(doc));
        assert.equal(row.body_text, documentText(doc));
        assert.deepEqual(
          JSON.parse(row.keywords),
          extractKeywords({ headline: row.headline, standfirst: row.standfirst, bodyText: row.body_text }),
        );
        assert.equal(row.translation_group_id, row.id);
        assert.equal(row.status, 'published');
        assert.equal(row.language, 'en');
        assert.equal(row.revision, 1);
        assert.ok(isSlug(row.slug), row.slug);
        assert.ok(row.hero_image_id === null || images.has(row.hero_image_id));
        assert.ok(row.published_at !== null && row.published_at <= NOW.toISOString());
        assert.ok(row.published_at >= new Date(NOW.getTime() - (DAYS + 1) * 86_400_000).toISOString());
        assert.ok(row.created_at <= row.published_at);
        assert.ok(row.updated_at === null || (row.updated_at > row.published_at && row.updated_at <= NOW.toISOString()));
      }
      // Oldest first: publication order follows id order, as in a real newsroom.
      const byPublished = [...rows].sort((a, b) => (a.published_at! < b.published_at! ? -1 : a.published_at! > b.published_at! ? 1 : 0));
      assert.deepEqual(
        byPublished.map((r) => r.published_at),
        rows.map((r) => r.published_at),
      );
      assert.ok(new Set(rows.map((r) => r.published_at)).size > ARTICLES * 0.95, 'publication times are spread');
    });

    test('slugs are unique per section', async () => {
      const rows = await deps.db.selectFrom('articles').select(['section_id', 'slug']).execute();
      assert.equal(new Set(rows.map((r) => `${r.section_id}/${r.slug}`)).size, rows.length);
    });

    test('the newest K articles, and only they, have stored related lists', async () => {
      const newest = await deps.db
        .selectFrom('articles')
        .select('id')
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .limit(RELATED)
        .execute();
      const withRelated = await deps.db.selectFrom('article_related').select('article_id').distinct().execute();
      assert.deepEqual(new Set(withRelated.map((r) => r.article_id)), new Set(newest.map((r) => r.id)));
      const lists = await deps.db.selectFrom('article_related').select(['article_id', 'related_id', 'rank']).execute();
      for (const l of lists) assert.notEqual(l.article_id, l.related_id);
      assert.ok(lists.length >= RELATED * 3, `expected full lists, got ${lists.length} rows`);
    });

    test('search documents, their index and the vocabulary are what the story write path makes', async () => {
      const snapshot = async () => {
        const docs = await sql<Record<string, unknown>>`select article_id, language, config, headline, standfirst, body, meta, revision,
          in_vocabulary${sql.raw(dialect === 'postgres' ? ', document::text as document' : ', doc_id')} from search_documents order by article_id`.execute(
          deps.db,
        );
        const vocabulary = await deps.db.selectFrom('search_vocabulary').selectAll().orderBy('term').execute();
        // SQLite's FTS5 table keeps no text: its index is compared word by word, position by position.
        const fts =
          dialect === 'sqlite'
            ? (
                await sql<
                  Record<string, unknown>
                >`select term, doc, col, "offset" from temp.search_fts_instances order by doc, col, "offset"`.execute(deps.db)
              ).rows
            : [];
        return { docs: docs.rows, vocabulary, fts };
      };
      if (dialect === 'sqlite')
        await sql`create virtual table temp.search_fts_instances using fts5vocab(main, search_fts, instance)`.execute(deps.db);
      const bulk = await snapshot();
      assert.equal(bulk.docs.length, ARTICLES);
      assert.ok(bulk.vocabulary.length > 100 && (dialect === 'postgres' || bulk.fts.length > ARTICLES * 100));
      // A full reindex rewrites every document and recounts the vocabulary one story at a time.
      await reindexAll(deps, { restart: true });
      assert.deepEqual(await snapshot(), bulk);
    });

    test('reports progress up to the total', () => {
      const articles = events.filter((e) => e.phase === 'articles');
      assert.deepEqual(articles.at(-1), { phase: 'articles', done: ARTICLES, total: ARTICLES });
      assert.ok(articles.length >= Math.ceil(ARTICLES / 70));
      assert.deepEqual(events.at(-1), { phase: 'related', done: RELATED, total: RELATED });
    });

    test('a second run reuses sections, authors, images and tags and keeps slugs unique', async () => {
      const tagsBefore = await count(deps, 'tags');
      // Same seed: the same stories again, so every base slug repeats.
      await bulkGenerate(deps, { articles: 100, seed: 5, batchSize: 1000, related: 0, days: DAYS });
      assert.equal(await count(deps, 'articles'), ARTICLES + 100);
      assert.equal(await count(deps, 'sections'), DEMO_SECTIONS.length);
      assert.equal(await count(deps, 'authors'), DEMO_AUTHORS.length);
      assert.equal(await count(deps, 'images'), 6);
      assert.equal(await count(deps, 'tags'), tagsBefore);
      const rows = await deps.db.selectFrom('articles').select(['section_id', 'slug']).execute();
      assert.equal(new Set(rows.map((r) => `${r.section_id}/${r.slug}`)).size, rows.length);
    });

    test('a slug taken by an earlier article is renamed, not a failed batch', async () => {
      // The next run's first slug counter is 401: occupy the slug it will want.
      const first = generateStory(9, 0);
      const section = await deps.db.selectFrom('sections').select('id').where('slug', '=', first.sectionSlug).executeTakeFirstOrThrow();
      const wanted = `${toSlug(first.headline)}-401`;
      await deps.db
        .updateTable('articles')
        .set({ slug: wanted, section_id: section.id })
        .where('id', '=', (await deps.db.selectFrom('articles').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id)
        .execute();
      await bulkGenerate(deps, { articles: 10, seed: 9, related: 0, days: DAYS });
      assert.equal(await count(deps, 'articles'), ARTICLES + 110);
      const rows = await deps.db.selectFrom('articles').select(['section_id', 'slug']).where('section_id', '=', section.id).execute();
      assert.equal(new Set(rows.map((r) => r.slug)).size, rows.length);
      assert.ok(rows.some((r) => r.slug === `${wanted}-x2`));
    });
  });
}
