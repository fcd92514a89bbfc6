import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, DialectName } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';
import { postgresConfigName, SEARCH_CONFIGS, searchConfigFor, stemmerFor, type SearchConfig } from './search-language.ts';
import { toWebsearchText, type SearchQuery, type SearchTerm } from './search-query.ts';
import type { EditionScope } from '../editions/edition.ts';
import { inEditionScope, scopeFilters } from '../editions/edition-scope.ts';

/*
 * The one place search branches on the database. Both dialects answer the same question
 * (which stories match a parsed query, and how well) from the index search-index.ts keeps:
 * SQLite with an FTS5 MATCH expression built from the query tree and BM25 with column weights,
 * PostgreSQL with websearch_to_tsquery over the same operators and ts_rank_cd over the
 * weighted tsvector. Without a language filter the query is read in every indexed language
 * (the reader's language is not known), each story matching in its own: on PostgreSQL exactly
 * (each story against its configuration's query); on SQLite a word matches any language's
 * stem of it and an excluded word excludes every such stem.
 */

export interface SearchFilters {
  sectionId?: string;
  authorId?: string;
  tagId?: string;
  /** A BCP 47 primary language (`fr`); stories whose tag starts with it. */
  language?: string;
  /** One edition's stories (its scope, as its fronts list them). */
  edition?: EditionScope;
  /** Published on or after (ISO-8601). */
  from?: string;
  /** Published before (ISO-8601). */
  until?: string;
}

export type SearchSort = 'relevance' | 'newest';

export interface SearchPlan {
  query: SearchQuery;
  filters: SearchFilters;
  sort: SearchSort;
  offset: number;
  limit: number;
  /** Public searches see only what readers may see at `nowIso`. */
  nowIso: string;
}

export interface SearchHit {
  articleId: string;
  /** Higher is better; comparable only within one answer. */
  score: number;
}

/** How many matches are counted at most (PostgreSQL: "more than 1,000 results"; SQLite stops at RANK_CANDIDATES). */
export const COUNT_CAP = 1000;

/** BM25 weights of the FTS5 columns (headline, standfirst, body, meta), as PostgreSQL's A–D. */
const BM25_WEIGHTS = sql.raw('10.0, 4.0, 1.0, 2.0');

function configsFor(filters: SearchFilters): SearchConfig[] {
  // An edition of one language reads the query in that language only, as a language filter does.
  const language = filters.language ?? filters.edition?.language;
  return language ? [searchConfigFor(language)] : [...SEARCH_CONFIGS];
}

/** A term in FTS5 syntax: each configuration's stemmed form, any of which may match. */
function fts5Term(term: SearchTerm, configs: readonly SearchConfig[]): string {
  // Words are letters, marks and digits only (search-query.ts), so quoting is all the escaping needed.
  const forms = new Set(configs.map((c) => term.words.map(stemmerFor(c)).join(' ')));
  const alternatives = [...forms].map((f) => `"${f}"`);
  return alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`;
}

/** The query as an FTS5 MATCH expression. */
export function fts5Match(query: SearchQuery, configs: readonly SearchConfig[]): string {
  const groups = query.required.map((g) =>
    g.length === 1 ? fts5Term(g[0]!, configs) : `(${g.map((t) => fts5Term(t, configs)).join(' OR ')})`,
  );
  let expr = `(${groups.join(' AND ')})`;
  for (const t of query.excluded) expr = `(${expr} NOT ${fts5Term(t, configs)})`;
  return expr;
}

/**
 * PostgreSQL: each story matched with its own configuration's reading of the query, so an
 * excluded word is excluded in the story's language. Each branch is one GIN lookup.
 */
function tsMatch(query: SearchQuery, configs: readonly SearchConfig[]): RawBuilder<SqlBool> {
  const text = toWebsearchText(query);
  const parts = configs.map(
    (c) => sql`(d.config = ${c} and d.document @@ websearch_to_tsquery(${postgresConfigName(c)}::regconfig, ${text}))`,
  );
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

function tsRank(query: SearchQuery, configs: readonly SearchConfig[], alias = 'd'): RawBuilder<number> {
  const text = toWebsearchText(query);
  const cases = configs.map((c) => sql`when ${c} then websearch_to_tsquery(${postgresConfigName(c)}::regconfig, ${text})`);
  return sql<number>`ts_rank_cd(${sql.ref(`${alias}.document`)}, case ${sql.ref(`${alias}.config`)} ${sql.join(cases, sql` `)} end)`;
}

type ArticleEb = ExpressionBuilder<Database, 'articles'>;

function applyFilters(eb: ExpressionBuilder<Database & { a: Database['articles'] }, 'a'>, filters: SearchFilters): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (filters.sectionId) conditions.push(eb('a.section_id', '=', filters.sectionId));
  if (filters.language) {
    const lang = filters.language.toLowerCase();
    conditions.push(eb.or([eb(sql`lower(a.language)`, '=', lang), eb(sql`lower(a.language)`, 'like', `${lang}-%`)]));
  }
  const edition = filters.edition;
  if (scopeFilters(edition)) conditions.push(inEditionScope(eb, 'a', edition));
  if (filters.from) conditions.push(eb('a.published_at', '>=', filters.from));
  if (filters.until) conditions.push(eb('a.published_at', '<', filters.until));
  if (filters.tagId) {
    const tagId = filters.tagId;
    conditions.push(eb('a.id', 'in', eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId)));
  }
  if (filters.authorId) {
    const authorId = filters.authorId;
    conditions.push(eb('a.id', 'in', eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId)));
  }
  return eb.and(conditions);
}

/**
 * How many of a query's newest matches are ranked at most. A common word can match most of a
 * million-story archive, and ranking every match would make one search cost as much as the
 * archive is large. Past this bound the most recently indexed matches are the ones ranked and
 * filtered (a news reader wants recent stories; a specific query, or a phrase, matches fewer
 * and has all its matches ranked). 500 fills 50 pages; scoring them costs ~1 ms on SQLite.
 */
export const RANK_CANDIDATES = 500;

/** PostgreSQL: below this many matches the search starts from the matched ids (GIN), else from the newest stories. */
const GIN_FIRST_BELOW = 2000;

export interface SearchAnswerHits {
  hits: SearchHit[];
  /** Visible matches counted, at most COUNT_CAP. */
  total: number;
  /** There may be more matches than `total` (the cap, or the scan's bound, was reached). */
  capped: boolean;
  /** How many results pagination can reach: the ranked candidates that are visible and pass the filters. */
  reachable: number;
}

/** Visible stories matching the plan: a page of hits in order, and how many match (up to COUNT_CAP). */
export async function searchVisibleStories(db: Db, dialect: DialectName, plan: SearchPlan): Promise<SearchAnswerHits> {
  return dialect === 'sqlite' ? searchSqlite(db, plan) : searchPostgres(db, plan);
}

type ArticlesEb = ExpressionBuilder<Database & { a: Database['articles'] }, 'a'>;

/**
 * A word more visible stories than this contain is matched but not scored on SQLite. FTS5's
 * bm25() reads the whole posting list of every phrase of the query to weigh it (its IDF):
 * ~7 ms for a word in most of 100,000 stories, whatever the LIMIT, and ten times that at a
 * million. Such a word's weight is near zero anyway (BM25 gives a word in over half the
 * documents an IDF of ~0), so leaving it out of the scored expression changes little.
 */
export const COMMON_WORD_DOCS = 10_000;

/** The words of `query` (single-word terms) that are common in the vocabulary. */
async function commonWords(db: Db, query: SearchQuery): Promise<Set<string>> {
  const single = [...new Set(query.required.flat().flatMap((t) => (t.words.length === 1 ? t.words : [])))];
  if (!single.length) return new Set();
  const rows = await db
    .selectFrom('search_vocabulary')
    .select('term')
    .where('term', 'in', single)
    .where('doc_count', '>', COMMON_WORD_DOCS)
    .execute();
  return new Set(rows.map((r) => r.term));
}

/**
 * The query to score with: required words that are not common, phrases unless the query has
 * more matches than the candidates, nothing excluded; null when nothing is left (common terms
 * only: the newest come first, as their near-zero weight would leave them anyway).
 */
export function scoringQuery(query: SearchQuery, common: ReadonlySet<string>, manyMatches: boolean): SearchQuery | null {
  const required = query.required
    .map((g) => g.filter((t) => (t.words.length > 1 ? !manyMatches : !common.has(t.words[0]!))))
    .filter((g) => g.length > 0);
  return required.length ? { required, excluded: [], text: query.text } : null;
}

async function searchSqlite(db: Db, plan: SearchPlan): Promise<SearchAnswerHits> {
  const configs = configsFor(plan.filters);
  const match = fts5Match(plan.query, configs);
  const fts = db.withTables<{ search_fts: { rowid: number } }>();
  // The newest `limit` matches' row ids: the full-text index goes first, in its own subquery
  // (left to itself, SQLite's planner walks every visible story by date and probes the index
  // once per story); CROSS JOIN keeps this order and the LIMIT bounds the work.
  const newest = (limit: number) =>
    fts
      .selectFrom('search_fts')
      .select(sql<number>`search_fts.rowid`.as('doc_id'))
      .where(sql<SqlBool>`search_fts match ${match}`)
      .orderBy(sql`search_fts.rowid`, 'desc')
      .limit(limit);
  // Visible, filtered stories among the candidates. Their articles are read through the covering
  // index articles_search_filter_idx: a story's row holds its body, and reaching its embargo
  // column walked the body's overflow pages (~6 µs per candidate, once most of a search's cost).
  const visible = (limit: number) =>
    db
      .selectFrom(newest(limit).as('h'))
      .crossJoin('search_documents as d')
      .crossJoin('articles as a')
      .where(sql<SqlBool>`d.doc_id = h.doc_id`)
      .whereRef('a.id', '=', 'd.article_id')
      .where((eb) => visibleToReaders(eb as unknown as ArticlesEb, 'a', plan.nowIso))
      .where((eb) => applyFilters(eb as never, plan.filters));
  // No scoring in either: the candidates, and whether they were all the matches (the MATCH
  // alone, row ids only). Never a count over the whole match: past RANK_CANDIDATES matches the
  // answer says "500+", which costs nothing, where counting visible matches cost most of a search.
  const [candidates, raw] = await Promise.all([
    visible(RANK_CANDIDATES).select(['h.doc_id', 'a.id', 'a.published_at']).execute(),
    db
      .selectFrom(newest(RANK_CANDIDATES).as('r'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const more = Number(raw.n) >= RANK_CANDIDATES;
  const scores = new Map<number, number>();
  // Scored separately, over the candidates' row-id range only (one index range read), without
  // the terms whose weighing would read a long posting list: common words, and phrases of a
  // query with more matches than the candidates (FTS5 weighs a phrase by running it over the
  // whole index).
  const scoring = candidates.length ? scoringQuery(plan.query, await commonWords(db, plan.query), more) : null;
  if (scoring) {
    const ids = candidates.map((c) => c.doc_id);
    const rows = await fts
      .selectFrom('search_fts')
      .where(sql<SqlBool>`search_fts match ${fts5Match(scoring, configs)}`)
      .where(sql<SqlBool>`search_fts.rowid between ${Math.min(...ids)} and ${Math.max(...ids)}`)
      .select([sql<number>`search_fts.rowid`.as('doc_id'), sql<number>`-bm25(search_fts, ${BM25_WEIGHTS})`.as('score')])
      .execute();
    for (const r of rows) scores.set(Number(r.doc_id), Number(r.score));
  }
  const ranked = candidates
    .map((c) => ({ articleId: c.id, publishedAt: c.published_at ?? '', score: scores.get(Number(c.doc_id)) ?? 0 }))
    .sort(
      (x, y) =>
        (plan.sort === 'relevance' ? y.score - x.score : 0) ||
        (x.publishedAt < y.publishedAt ? 1 : x.publishedAt > y.publishedAt ? -1 : 0) ||
        (x.articleId < y.articleId ? 1 : x.articleId > y.articleId ? -1 : 0),
    );
  return {
    hits: ranked.slice(plan.offset, plan.offset + plan.limit).map((r) => ({ articleId: r.articleId, score: r.score })),
    total: candidates.length,
    capped: more,
    reachable: candidates.length,
  };
}

/**
 * PostgreSQL: the GIN index finds the matches (each story against its own configuration's
 * query), the newest RANK_CANDIDATES visible, filtered ones are kept, and only those are
 * ranked with ts_rank_cd (which reads each one's whole tsvector). The count never ranks.
 */
async function searchPostgres(db: Db, plan: SearchPlan): Promise<SearchAnswerHits> {
  const configs = configsFor(plan.filters);
  // A query with few matches is answered from the GIN index's ids: asked for the newest
  // matches, the planner would walk every story by date and test each one's tsvector (~250 ms
  // for a rare word at 24,000 stories). A common word's newest matches are found at once that way.
  const matched = (
    await db.selectFrom('search_documents as d').select('d.article_id').where(tsMatch(plan.query, configs)).limit(GIN_FIRST_BELOW).execute()
  ).map((r) => r.article_id);
  if (!matched.length) return { hits: [], total: 0, capped: false, reachable: 0 };
  const few = matched.length < GIN_FIRST_BELOW;
  const base = () => {
    const q = db
      .selectFrom('search_documents as d')
      .innerJoin('articles as a', 'a.id', 'd.article_id')
      .where((eb) => visibleToReaders(eb, 'a', plan.nowIso))
      .where((eb) => applyFilters(eb as never, plan.filters));
    return few ? q.where('d.article_id', 'in', matched) : q.where(tsMatch(plan.query, configs));
  };
  const candidates = base()
    .select(['a.id', 'a.published_at', 'd.config', sql<unknown>`d.document`.as('document')])
    .orderBy('a.published_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(RANK_CANDIDATES);
  let page = db
    .selectFrom(candidates.as('a'))
    .select([
      sql<string>`a.id`.as('article_id'),
      tsRank(plan.query, configs, 'a').as('score'),
      sql<string>`count(*) over ()`.as('reachable'),
    ]);
  page =
    plan.sort === 'newest' ? page.orderBy(sql`a.published_at`, 'desc') : page.orderBy(sql`2`, 'desc').orderBy(sql`a.published_at`, 'desc');
  const rows = await page
    .orderBy(sql`a.id`, 'desc')
    .limit(plan.limit)
    .offset(plan.offset)
    .execute();
  const reachable = rows.length ? Number(rows[0]!.reachable) : 0;
  // Fewer candidates than the bound are all the matches: the count. Else count, unranked, capped.
  const total =
    rows.length && reachable < RANK_CANDIDATES
      ? reachable
      : Number(
          (
            await db
              .selectFrom(
                base()
                  .select(sql`1`.as('one'))
                  .limit(COUNT_CAP)
                  .as('m'),
              )
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
  return {
    hits: rows.map((r) => ({ articleId: r.article_id, score: Number(r.score) })),
    total,
    capped: total >= COUNT_CAP,
    reachable,
  };
}

/**
 * The desk's text filter: a condition `a.id in (stories matching)` over every story in the
 * index, whatever its status, for the newsroom list to combine with its own filters and order.
 */
export function storiesMatching(
  eb: ArticleEb | ExpressionBuilder<Database & { a: Database['articles'] }, 'a'>,
  dialect: DialectName,
  query: SearchQuery,
) {
  const configs = [...SEARCH_CONFIGS];
  const e = eb as unknown as ExpressionBuilder<Database & { search_fts: { rowid: number } }, never>;
  const ids =
    dialect === 'sqlite'
      ? e
          .selectFrom('search_fts')
          .innerJoin('search_documents as d', (j) => j.on(sql`d.doc_id`, '=', sql.ref('search_fts.rowid')))
          .select('d.article_id')
          .where(sql<SqlBool>`search_fts match ${fts5Match(query, configs)}`)
      : e.selectFrom('search_documents as d').select('d.article_id').where(tsMatch(query, configs));
  return ids;
}

/** A word of the spelling vocabulary. */
export interface VocabularyEntry {
  term: string;
  folded: string;
  docCount: number;
}

/** Candidates per length bucket (first letter, length), most frequent first. */
const BUCKET_CANDIDATES = 300;
/** Candidates by trigram similarity (PostgreSQL with pg_trgm). */
const TRIGRAM_CANDIDATES = 100;

const trigramIndex = new WeakMap<object, Promise<boolean>>();

/** Whether the vocabulary has its trigram index (pg_trgm could be created), asked once per database. */
function hasTrigramIndex(db: Db): Promise<boolean> {
  const key = db.getExecutor().adapter;
  let known = trigramIndex.get(key);
  if (!known) {
    known = sql<{ ok: boolean }>`select to_regclass('search_vocabulary_trgm_idx') is not null as ok`
      .execute(db)
      .then((r) => Boolean(r.rows[0]?.ok));
    trigramIndex.set(key, known);
  }
  return known;
}

/**
 * A bounded list of vocabulary words that may lie within `maxDistance` edits of `folded` (an
 * accent-folded word), for the caller to measure: on both databases the most frequent words
 * with the same first letter and a length within reach (one index range each, at most
 * BUCKET_CANDIDATES per length); on PostgreSQL also the words closest by trigrams (GIN index),
 * which finds a misspelt first letter too. Never a scan of the vocabulary.
 */
export async function vocabularyCandidates(db: Db, dialect: DialectName, folded: string, maxDistance: number): Promise<VocabularyEntry[]> {
  const chars = [...folded];
  const lengths: number[] = [];
  for (let n = Math.max(1, chars.length - maxDistance); n <= chars.length + maxDistance; n++) lengths.push(n);
  const buckets = lengths.map((n) =>
    db
      .selectFrom('search_vocabulary')
      .select(['term', 'folded', 'doc_count'])
      .where('initial', '=', chars[0]!)
      .where('length', '=', n)
      .orderBy('doc_count', 'desc')
      .limit(BUCKET_CANDIDATES)
      .execute(),
  );
  const trigram =
    dialect === 'postgres' && chars.length >= 5 && (await hasTrigramIndex(db))
      ? db
          .selectFrom('search_vocabulary')
          .select(['term', 'folded', 'doc_count'])
          .where(sql<SqlBool>`folded % ${folded}`)
          .where('length', '>=', chars.length - maxDistance)
          .where('length', '<=', chars.length + maxDistance)
          .orderBy(sql`similarity(folded, ${folded})`, 'desc')
          .limit(TRIGRAM_CANDIDATES)
          .execute()
      : Promise.resolve([]);
  const rows = (await Promise.all([...buckets, trigram])).flat();
  const seen = new Map<string, VocabularyEntry>();
  for (const r of rows) seen.set(r.term, { term: r.term, folded: r.folded, docCount: Number(r.doc_count) });
  return [...seen.values()];
}

export interface ImageHit {
  imageId: string;
  score: number;
}

/** BM25 weights of the image index's columns (titles, caption, credits, other), as A–D. */
const IMAGE_BM25_WEIGHTS = sql.raw('8.0, 4.0, 2.0, 1.0');

/**
 * The newsroom's image search: images matching a parsed query (the same operators as stories,
 * words unstemmed and accents folded), best match first, then newest.
 */
export async function searchImages(
  db: Db,
  dialect: DialectName,
  query: SearchQuery,
  page: { offset: number; limit: number },
): Promise<ImageHit[]> {
  const e = db.withTables<{ image_search_fts: { rowid: number } }>();
  const rows =
    dialect === 'sqlite'
      ? await e
          .selectFrom('image_search_fts')
          .innerJoin('image_search_documents as d', (j) => j.on(sql`d.doc_id`, '=', sql.ref('image_search_fts.rowid')))
          .innerJoin('images as i', 'i.id', 'd.image_id')
          .where(sql<SqlBool>`image_search_fts match ${fts5Match(query, ['simple'])}`)
          .select(['i.id', sql<number>`-bm25(image_search_fts, ${IMAGE_BM25_WEIGHTS})`.as('score')])
          .orderBy(sql`2`, 'desc')
          .orderBy('i.created_at', 'desc')
          .orderBy('i.id', 'desc')
          .limit(page.limit)
          .offset(page.offset)
          .execute()
      : await (() => {
          const tsquery = sql`websearch_to_tsquery(${postgresConfigName('simple')}::regconfig, ${toWebsearchText(query)})`;
          return e
            .selectFrom('image_search_documents as d')
            .innerJoin('images as i', 'i.id', 'd.image_id')
            .where(sql<SqlBool>`d.document @@ ${tsquery}`)
            .select(['i.id', sql<number>`ts_rank_cd(d.document, ${tsquery})`.as('score')])
            .orderBy(sql`2`, 'desc')
            .orderBy('i.created_at', 'desc')
            .orderBy('i.id', 'desc')
            .limit(page.limit)
            .offset(page.offset)
            .execute();
        })();
  return rows.map((r) => ({ imageId: r.id, score: Number(r.score) }));
}
