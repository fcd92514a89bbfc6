import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, DialectName } from '../../db/database.ts';
import { limitParam, preparedQuery } from '../../db/prepared.ts';
import type { Database } from '../../db/schema.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';
import { postgresConfigName, SEARCH_CONFIGS, searchConfigFor, stemmerFor, type SearchConfig } from './search-language.ts';
import { toWebsearchText, type SearchQuery, type SearchTerm } from './search-query.ts';
import { sectionTerm, weekOf, weekTerm } from './search-index.ts';
import type { EditionScope } from '../editions/edition.ts';
import { inEditionScope, scopeFilters } from '../editions/edition-scope.ts';
import { changeDroppedMemo } from '../changes/change-dropped-memo.ts';
import { indexedYears, yearBounds } from './search-year-index.ts';

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

/** How many matches are counted at most, for a page past the ranked candidates (PostgreSQL); a page of results counts to RANK_CANDIDATES ("200+"). */
export const COUNT_CAP = 1000;

/** BM25 weights of the FTS5 columns (headline, standfirst, body, meta), as PostgreSQL's A–D. */
const BM25_WEIGHTS = sql.raw('10.0, 4.0, 1.0, 2.0');

// Which configurations the index holds documents in: one index probe each (search_documents_config_idx).
// The names are literals, not parameters: PostgreSQL's generic plan for a named statement
// guessed from an archive in one language that any `config = $n` matches most rows, and
// scanned the whole table (seconds at a million stories) to find none in French.
const selectIndexedConfigs = preparedQuery<[], Record<SearchConfig, unknown>>((db) =>
  db.selectNoFrom((eb) =>
    SEARCH_CONFIGS.map((c) =>
      eb
        .exists(
          eb
            .selectFrom('search_documents')
            .select(sql`1`.as('one'))
            .where('config', '=', sql.lit(c)),
        )
        .as(c),
    ),
  ),
);

/** How long a search trusts the indexed languages it read, at most (changes drop them at once). */
const INDEXED_CONFIGS_TRUSTED_MS = 5_000;

/**
 * The configurations the index holds a document in, read once for many searches: a story in a
 * language new to the archive is published (or becomes visible) by a committed change, which
 * drops the memo on every node (domain/changes/change-dropped-memo.ts), so public search finds
 * it at once. A draft's language is read only within INDEXED_CONFIGS_TRUSTED_MS, which public
 * search does not need.
 */
const indexedConfigs = changeDroppedMemo(async (db) => {
  const [row] = await selectIndexedConfigs(db);
  return SEARCH_CONFIGS.filter((c) => row !== undefined && Boolean(Number(row[c]) || row[c] === true));
}, INDEXED_CONFIGS_TRUSTED_MS);

/**
 * The languages to read a query in: the filter's (an edition of one language reads the query in
 * that language only, as a language filter does), else every language the index holds a story
 * in. Each language read adds its stems to the match, and each stem is one more posting list
 * to merge and weigh: an archive in two languages should not pay for ten.
 */
async function configsFor(db: Db, filters: SearchFilters, nowIso: string): Promise<SearchConfig[]> {
  const language = filters.language ?? filters.edition?.language;
  if (language) return [searchConfigFor(language)];
  return indexedConfigs(db).get(Date.parse(nowIso));
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
 * PostgreSQL: the quoted phrases every match must hold (each alone in its group), as their
 * plain words, for the index of pairs of neighbouring words (indexMatch).
 */
function requiredPhrases(query: SearchQuery): string[] {
  return query.required.filter((g) => g.length === 1 && g[0]!.words.length > 1).map((g) => g[0]!.words.join(' '));
}

/**
 * The stories of configuration `c` the index finds for the query's websearch `text`, ANDed with
 * `filter` lexemes (tsquery text) when given; each tsquery a scalar subquery when `once` (see
 * tsMatchIn). With `phrases` (a text[] value of requiredPhrases), the index asked is that of
 * their pairs of successive words (`phrase_pairs`, migrations 20261211T0900 and 20261212T0900),
 * which holds the filter lexemes too: GIN keeps no positions, so a phrase was checked on every
 * story holding all its words, and two words that often share a story but never touch made that
 * seconds of the database's CPU at a million stories. Those rows still need the exact match
 * (exactMatch). A phrase whose successive indexed words in `c` all stand more than two stopwords
 * apart ("end of it all" in English) has no pairs: the documents' index is asked then, the other
 * branch's tsquery being null (no index work).
 */
function indexMatch(c: SearchConfig, text: unknown, filter: unknown, phrases: unknown, once: boolean): RawBuilder<SqlBool> {
  const cfg = sql`${postgresConfigName(c)}::regconfig`;
  const scalar = (q: RawBuilder<unknown>) => (once ? sql`(select ${q})` : q);
  const filtered = (q: RawBuilder<unknown>) => (filter === null ? q : sql`${q} && ${filter}::tsquery`);
  const query = sql`websearch_to_tsquery(${cfg}, ${text})`;
  if (phrases === null) return sql<SqlBool>`(d.config = ${c} and d.document @@ ${scalar(filtered(query))})`;
  const pairs = sql`search_phrase_pairs(${cfg}, ${phrases}::text[])`;
  return sql<SqlBool>`(d.config = ${c} and (d.phrase_pairs @@ ${scalar(filtered(pairs))}
    or d.document @@ ${scalar(sql`case when ${pairs} is null then ${filtered(query)} end`)}))`;
}

/** The stories that match the query exactly, each in its own configuration (the check after indexMatch with phrases). */
function exactMatch(text: unknown, configs: readonly SearchConfig[], once: boolean): RawBuilder<SqlBool> {
  const parts = configs.map((c) => indexMatch(c, text, null, null, once));
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/**
 * PostgreSQL: each story matched with its own configuration's reading of the query, so an
 * excluded word is excluded in the story's language. Each branch is one GIN lookup.
 */
function tsMatch(query: SearchQuery, configs: readonly SearchConfig[]): RawBuilder<SqlBool> {
  const text = toWebsearchText(query);
  const phrases = requiredPhrases(query);
  if (!phrases.length) return exactMatch(text, configs, false);
  const parts = configs.map((c) => indexMatch(c, text, null, phrases, false));
  return sql<SqlBool>`((${sql.join(parts, sql` or `)}) and ${exactMatch(text, configs, false)})`;
}

function tsRank(text: string, configs: readonly SearchConfig[], alias = 'd'): RawBuilder<number> {
  const cases = configs.map((c) => sql`when ${c} then websearch_to_tsquery(${postgresConfigName(c)}::regconfig, ${text})`);
  return sql<number>`ts_rank_cd(${sql.ref(`${alias}.document`)}, case ${sql.ref(`${alias}.config`)} ${sql.join(cases, sql` `)} end)`;
}

/**
 * The filters as the values their conditions compare with, so a precompiled query (SQLite)
 * can pass parameter markers for them: the language filter is an exact tag and a prefix.
 */
interface FilterValues {
  sectionId?: string;
  language?: string;
  languagePrefix?: string;
  from?: string;
  until?: string;
  tagId?: string;
  authorId?: string;
  /** The edition's scope: part of a precompiled statement's shape (a few constants), not a parameter. */
  edition?: EditionScope;
}

const FILTER_KEYS = ['sectionId', 'language', 'languagePrefix', 'from', 'until', 'tagId', 'authorId'] as const;

function filterValues(filters: SearchFilters): FilterValues {
  const lang = filters.language?.toLowerCase();
  return {
    sectionId: filters.sectionId,
    language: lang,
    languagePrefix: lang === undefined ? undefined : `${lang}-%`,
    from: filters.from,
    until: filters.until,
    tagId: filters.tagId,
    authorId: filters.authorId,
    edition: filters.edition,
  };
}

/**
 * The filters as conditions on the stories known as `a` (the articles table), or on their
 * search documents known as `d`, which keep the same facts (section, language, publication
 * time) as of the revision indexed.
 */
function applyFilters(
  eb: ExpressionBuilder<Database & { a: Database['articles'] }, 'a'>,
  f: FilterValues,
  alias: 'a' | 'd' = 'a',
): Expression<SqlBool> {
  const col = (name: 'section_id' | 'language' | 'published_at') => sql.ref<string>(`${alias}.${name}`);
  const storyId = sql.ref<string>(alias === 'a' ? 'a.id' : 'd.article_id');
  const conditions: Expression<SqlBool>[] = [];
  if (f.sectionId !== undefined) conditions.push(eb(col('section_id'), '=', f.sectionId));
  if (f.language !== undefined && f.languagePrefix !== undefined) {
    const language = sql`lower(${col('language')})`;
    conditions.push(eb.or([eb(language, '=', f.language), eb(language, 'like', f.languagePrefix)]));
  }
  if (scopeFilters(f.edition)) conditions.push(inEditionScope(eb, alias, f.edition));
  if (f.from !== undefined) conditions.push(eb(col('published_at'), '>=', f.from));
  if (f.until !== undefined) conditions.push(eb(col('published_at'), '<', f.until));
  if (f.tagId !== undefined) {
    const tagId = f.tagId;
    conditions.push(eb(storyId, 'in', eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId)));
  }
  if (f.authorId !== undefined) {
    const authorId = f.authorId;
    conditions.push(eb(storyId, 'in', eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId)));
  }
  return eb.and(conditions);
}

/**
 * How many of a query's newest matches are ranked at most. A common word can match most of a
 * million-story archive, and ranking every match would make one search cost as much as the
 * archive is large. Past this bound the most recently indexed matches are the ones ranked and
 * filtered (a news reader wants recent stories; a specific query, or a phrase, matches fewer
 * and has all its matches ranked). 200 fill 20 pages of results, on both databases: on SQLite
 * each candidate costs its story's row and its share of the scoring (500 took 1.9 ms a search
 * against 1.0 ms for 200 over 100,000 stories); on PostgreSQL its document's heap row and
 * the scoring of its whole tsvector (~10 µs).
 */
export const RANK_CANDIDATES = 200;

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

// The SQLite queries below run on every search: precompiled (db/prepared.ts), they skip Kysely's
// building and compiling and run on the read-only connection. Their shape is fixed; values
// vary (a list of words goes in as one JSON array).
const selectCommonWords = preparedQuery<[wordsJson: string], { term: string }>((db, wordsJson) =>
  db
    .selectFrom('search_vocabulary')
    .select('term')
    .where('term', 'in', sql<string>`(select value from json_each(${wordsJson}))`)
    .where('doc_count', '>', COMMON_WORD_DOCS),
);

/** How long a SQLite search trusts what it read of a word's commonness, at most (changes drop it at once). */
const COMMON_WORDS_TRUSTED_MS = 60_000;
/** Words whose commonness is kept at most; past it the memo starts afresh. */
const COMMON_WORDS_KEPT = 20_000;

/**
 * Whether each word asked lately is common, by word: a memo every committed change drops
 * (change-dropped-memo.ts), as it may move a word's count across the bound. It only chooses
 * which words are weighed, never what matches; reading the vocabulary for it was ~4 % of the
 * event loop's time a search.
 */
const commonnessKnown = changeDroppedMemo(async () => new Map<string, boolean>(), COMMON_WORDS_TRUSTED_MS);

/** The words of `query` (single-word terms) that are common in the vocabulary. */
async function commonWords(db: Db, query: SearchQuery, nowIso: string): Promise<Set<string>> {
  const single = [...new Set(query.required.flat().flatMap((t) => (t.words.length === 1 ? t.words : [])))];
  if (!single.length) return new Set();
  const known = await commonnessKnown(db).get(Date.parse(nowIso));
  const unknown = single.filter((w) => !known.has(w));
  if (unknown.length) {
    const rows = await selectCommonWords(db, JSON.stringify(unknown));
    const common = new Set(rows.map((r) => r.term));
    if (known.size + unknown.length > COMMON_WORDS_KEPT) known.clear();
    for (const w of unknown) known.set(w, common.has(w));
  }
  return new Set(single.filter((w) => known.get(w) === true));
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

/**
 * How a SQLite search weighs its candidates (see scoringQuery): not at all; always with one
 * expression; with one only when the query has fewer matches than the candidates; or with one
 * expression then and another (its phrases left out) past them.
 */
type ScoringShape = 'none' | 'always' | 'few' | 'both';

interface PageRow {
  /** A result's story; null on the one row that carries the counts. */
  id: string | null;
  /** The result's score; on the counts row, how many candidates are results. */
  score: number;
  /** On the counts row, how many matches were read (at most RANK_CANDIDATES). */
  n: number | null;
  /** The result's publication time (sorting the page's rows again); null on the counts row. */
  published_at: string | null;
}

type PageQuery = (db: Db, ...params: unknown[]) => Promise<PageRow[]>;

/** One precompiled statement per combination of filters, scoring shape and sort (values are parameters). */
const pageQueries = new Map<string, PageQuery>();

type FilterKey = (typeof FILTER_KEYS)[number];

/**
 * A SQLite search is one statement, run on the read-only connection without Kysely building
 * it (db/prepared.ts). Its parts, as materialized common table expressions:
 *
 * - h: the newest RANK_CANDIDATES matches' row ids. The full-text index goes first (left to
 *   itself, SQLite's planner walks every visible story by date and probes the index once per
 *   story) and the LIMIT bounds the work. Never a count over the whole match: past the bound
 *   the answer says "200+", which costs nothing.
 * - c: those of them readers may see that pass the filters. CROSS JOIN keeps the order; the
 *   stories are read through the covering index articles_search_filter_idx (a story's row
 *   holds its body, and reaching its embargo column walked the body's overflow pages).
 * - s: BM25 scores over the candidates' row-id range only (one index range read), with the
 *   scoring expression(s) of scoringQuery; which one applies depends on how many matches h
 *   read, a condition SQLite evaluates once, so the other expression is never run.
 * - the page: candidates in order, LIMIT/OFFSET; then one row with the counts.
 *
 * Ordering, counting and paging stay inside SQLite: returning the 200 candidates to
 * JavaScript (a row object each) cost more than finding them.
 */
function pageQuery(keys: readonly FilterKey[], scoring: ScoringShape, sort: SearchSort, edition: EditionScope | undefined): PageQuery {
  const scope = scopeFilters(edition) ? edition : undefined;
  const shape = `${keys.join(',')}|${scoring}|${sort}|${scope ? JSON.stringify(scope) : ''}`;
  let query = pageQueries.get(shape);
  if (query) return query;
  query = preparedQuery<unknown[], PageRow>(
    (db, match, nowIso, few, many, limit, offset, ...values) => {
      const f: FilterValues = { ...Object.fromEntries(keys.map((k, i) => [k, values[i]])), edition: scope };
      type Fts = { search_fts: { rowid: number } };
      const raw = sql<number>`(select count(*) from h)`;
      const scores = (expr: unknown, guard: RawBuilder<SqlBool> | null) => {
        let q = db
          .withTables<Fts & { c: { doc_id: number } }>()
          .selectFrom('search_fts')
          .select([sql<number>`search_fts.rowid`.as('doc_id'), sql<number>`-bm25(search_fts, ${BM25_WEIGHTS})`.as('score')])
          .where(sql<SqlBool>`search_fts match ${expr}`)
          .where(sql<SqlBool>`search_fts.rowid between (select min(doc_id) from c) and (select max(doc_id) from c)`);
        if (guard) q = q.where(guard);
        return q;
      };
      const withCandidates = db
        .with(
          (cte) => cte('h').materialized(),
          () =>
            db
              .withTables<Fts>()
              .selectFrom('search_fts')
              .select(sql<number>`search_fts.rowid`.as('doc_id'))
              .where(sql<SqlBool>`search_fts match ${match}`)
              .orderBy(sql`search_fts.rowid`, 'desc')
              .limit(limitParam(RANK_CANDIDATES)),
        )
        .with(
          (cte) => cte('c').materialized(),
          (db) =>
            db
              .selectFrom('h')
              .crossJoin('search_documents as d')
              .crossJoin('articles as a')
              .where(sql<SqlBool>`d.doc_id = h.doc_id`)
              .whereRef('a.id', '=', 'd.article_id')
              .where((eb) => visibleToReaders(eb as unknown as ArticlesEb, 'a', nowIso as string))
              .where((eb) => applyFilters(eb as never, f))
              .select(['h.doc_id', 'a.id', 'a.published_at']),
        )
        .with(
          (cte) => cte('s').materialized(),
          () => {
            const few_ = sql<SqlBool>`${raw} < ${RANK_CANDIDATES}`;
            const many_ = sql<SqlBool>`${raw} >= ${RANK_CANDIDATES}`;
            if (scoring === 'always') return scores(few, null);
            if (scoring === 'few') return scores(few, few_);
            if (scoring === 'both') return scores(few, few_).unionAll(scores(many, many_));
            // Nothing weighed: an empty table keeps one statement text for the page below.
            return db.selectNoFrom([sql<number>`0`.as('doc_id'), sql<number>`0`.as('score')]).where(sql<SqlBool>`0`);
          },
        );
      // SQL leaves the order of a compound's rows open: the page's rows carry their sort keys and
      // are sorted again (pageOrder). A row_number() over the candidates cost as much as finding them.
      const order =
        sort === 'relevance' ? sql`coalesce(s.score, 0) desc, c.published_at desc, c.id desc` : sql`c.published_at desc, c.id desc`;
      const page = db
        .withTables<{ c: { doc_id: number; id: string; published_at: string | null }; s: { doc_id: number; score: number } }>()
        .selectFrom('c')
        .leftJoin('s', 's.doc_id', 'c.doc_id')
        .select([
          sql<string | null>`c.id`.as('id'),
          sql<number>`coalesce(s.score, 0)`.as('score'),
          sql<number | null>`null`.as('n'),
          sql<string | null>`c.published_at`.as('published_at'),
        ])
        .orderBy(order)
        .limit(limitParam(limit as number))
        .offset(limitParam(offset as number));
      return withCandidates
        .selectFrom(page.as('p'))
        .select(['p.id', 'p.score', 'p.n', 'p.published_at'])
        .unionAll(
          db.selectNoFrom([
            sql<string | null>`null`.as('id'),
            sql<number>`(select count(*) from c)`.as('score'),
            sql<number | null>`${raw}`.as('n'),
            sql<string | null>`null`.as('published_at'),
          ]),
        );
    },
    { offThread: true },
  );
  pageQueries.set(shape, query);
  return query;
}

/** The page query's order, for its rows (as SQLite compares them: numbers, then ASCII text). */
function pageOrder(sort: SearchSort): (x: PageRow, y: PageRow) => number {
  const text = (a: string | null, b: string | null) => (a === b ? 0 : (a ?? '') < (b ?? '') ? -1 : 1);
  const newest = (x: PageRow, y: PageRow) => text(y.published_at, x.published_at) || text(y.id, x.id);
  return sort === 'relevance' ? (x, y) => Number(y.score) - Number(x.score) || newest(x, y) : newest;
}

async function searchSqlite(db: Db, plan: SearchPlan): Promise<SearchAnswerHits> {
  const configs = await configsFor(db, plan.filters, plan.nowIso);
  if (!configs.length) return { hits: [], total: 0, capped: false, reachable: 0 };
  const values = filterValues(plan.filters);
  const keys = FILTER_KEYS.filter((k) => values[k] !== undefined);
  // What to weigh with when the query has fewer matches than the candidates, and past them
  // (phrases then left out): both are known before the search, which picks one as it runs.
  // (Sorted by date, the results still carry their scores: the Content API shows them.)
  const common = await commonWords(db, plan.query, plan.nowIso);
  const fewQuery = scoringQuery(plan.query, common, false);
  const manyQuery = scoringQuery(plan.query, common, true);
  const few = fewQuery && fts5Match(fewQuery, configs);
  const many = manyQuery && fts5Match(manyQuery, configs);
  const scoring: ScoringShape = !few ? 'none' : few === many ? 'always' : !many ? 'few' : 'both';
  const rows = await pageQuery(keys, scoring, plan.sort, plan.filters.edition)(
    db,
    fts5Match(plan.query, configs),
    plan.nowIso,
    few ?? '',
    many ?? '',
    plan.limit,
    plan.offset,
    ...keys.map((k) => values[k]!),
  );
  const counts = rows.find((r) => r.id === null);
  const total = Number(counts?.score ?? 0);
  return {
    hits: rows
      .filter((r) => r.id !== null)
      .sort(pageOrder(plan.sort))
      .map((r) => ({ articleId: r.id!, score: Number(r.score) })),
    total,
    capped: Number(counts?.n ?? 0) >= RANK_CANDIDATES,
    reachable: total,
  };
}

/**
 * How a PostgreSQL search steps back through the weeks for a query's newest matches. Each step
 * ANDs the query with the lexemes of a span of weeks (publishedWeekTerm; year by year when they
 * are many, stepFilters): GIN then walks the few stories of those weeks and skips through a
 * common word's posting list, where reading the whole list (a word in 40% of a million stories)
 * took 65–90 ms. The first step is the current week. Each next span is sized from the matches
 * found so far: the weeks they suggest the rest of the candidates need (NEXT_SPAN_MARGIN more),
 * at least one week and at most SPAN_GROWTH times the weeks asked so far, and within the first
 * year at most WEEK_TERMS_AT_MOST weeks; from YEAR_STEPS_FROM_WEEK on, year by year. The fixed
 * schedule this replaced (1, 3, 12, 12 … weeks) asked a dense query's twelve weeks to keep
 * twenty of their thousand matches: at a million stories the bench's searches read 18 % fewer
 * buffers this way. The growth bound keeps a word rare lately but common years ago (a past
 * event's name) from one step fetching thousands of its old matches. Past LAST_STEP_WEEK the
 * rest of the archive is one step; for a phrase found sparse, as soon as that is known
 * (phraseRestInOneStep).
 */
const LAST_STEP_WEEK = 255;
/** Weeks back from which the steps go year by year (stepFilters). */
const YEAR_STEPS_FROM_WEEK = 64;
const NEXT_SPAN_MARGIN = 1.25;
const SPAN_GROWTH = 4;

/**
 * The weeks of the next step, after `askedWeeks` weeks (the current one counted by the share of
 * it gone by) that held `matches` candidates, with `wanted` more candidates wanted.
 */
export function nextStepWeeks(askedWeeks: number, matches: number, wanted: number): number {
  const most = Math.max(1, Math.ceil(askedWeeks * SPAN_GROWTH));
  if (matches <= 0) return most;
  return Math.min(most, Math.max(1, Math.ceil((wanted / matches) * askedWeeks * NEXT_SPAN_MARGIN)));
}

/**
 * A phrase is checked on each story that has all its words (GIN keeps no positions: ~50 µs a
 * story), and two common words can be in thousands of stories a week. Once this many matches
 * are found a phrase search stops stepping back: the newest matches of a common phrase are
 * ranked, not all of them.
 */
const PHRASE_ENOUGH = 50;

/**
 * A phrase's step walks its pairs' whole posting list (a pair is rarer than any span of week
 * lexemes) to keep only the span's matches. Once the matches found so far, at their rate, put
 * at most this many in the steps' remaining weeks, the rest of the archive is one step: one
 * walk, and this many stories' rows at most to sort ("ground local" in a section, 156 matches
 * in ten years at a million stories, took eleven steps).
 */
const PHRASE_REST_AT_MOST = 150;

/** Whether a phrase search's matches so far, `matches` in `askedWeeks` weeks, put few enough in `remainingWeeks` more for one step. */
export function phraseRestInOneStep(askedWeeks: number, matches: number, remainingWeeks: number): boolean {
  return ((matches + 1) / askedWeeks) * remainingWeeks <= PHRASE_REST_AT_MOST;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

const NO_YEARS: ReadonlySet<number> = new Set();

/** The year weeks `from`..`to` all lie in, when it has an index of its own (else the full index serves: a span across New Year). */
function indexedYearOf(from: number, to: number, years: ReadonlySet<number>): number | undefined {
  const year = new Date(from * WEEK_MS).getUTCFullYear();
  return years.has(year) && new Date((to + 1) * WEEK_MS - 1).getUTCFullYear() === year ? year : undefined;
}

/**
 * The week lexemes of weeks `from`..`to` (inclusive) as a tsquery's text: "'@w2922' | '@w2923'";
 * within a section, its own week lexemes (sectionWeekTerm), whose postings are that section's only.
 */
function weeksQuery(from: number, to: number, sectionId: string | undefined): string {
  const terms: string[] = [];
  for (let w = from; w <= to; w++) terms.push(quotedLexeme(weekTerm(w, sectionId)));
  return terms.join(' | ');
}

/**
 * Week lexemes ORed in one step at most. Past this a step is asked year by year, newest first
 * (one "@y2024" lexeme each, the stories bounded by date): GIN merges every ORed posting list
 * for each candidate, and 192 weeks' lexemes made one step cost 330–420 ms for a pair of words
 * at a million stories; a year at a time also stops as soon as enough matches are found.
 */
const WEEK_TERMS_AT_MOST = 12;

interface StepFilter {
  /** Lexemes as a tsquery's text. */
  lexemes: string;
  /** When the lexemes cover more than the step (a whole year): the step's instants. */
  after?: string;
  before?: string;
  /** The year a year step lies in. */
  year?: number;
}

/** The queries a step of weeks `from`..`to` is asked in, newest first, within a section when one is given. */
function stepFilters(from: number, to: number, sectionId: string | undefined): StepFilter[] {
  if (to - from + 1 <= WEEK_TERMS_AT_MOST) return [{ lexemes: weeksQuery(from, to, sectionId) }];
  const start = new Date(from * WEEK_MS);
  const end = new Date((to + 1) * WEEK_MS);
  const section = sectionId === undefined ? '' : ` & ${quotedLexeme(sectionTerm(sectionId))}`;
  const filters: StepFilter[] = [];
  for (let y = new Date(end.getTime() - 1).getUTCFullYear(); y >= start.getUTCFullYear(); y--) {
    const after = new Date(Math.max(start.getTime(), Date.UTC(y, 0, 1)));
    const before = new Date(Math.min(end.getTime(), Date.UTC(y + 1, 0, 1)));
    filters.push({ lexemes: `'@y${y}'${section}`, after: after.toISOString(), before: before.toISOString(), year: y });
  }
  return filters;
}

/** A lexeme as tsquery text: quoted, its quotes and backslashes escaped. */
const quotedLexeme = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * The query's match, each story against its own configuration, ANDed with filter lexemes
 * (tsquery text: some weeks, a section) when there are any. For a step's prepared statement:
 * each tsquery is a scalar subquery (an InitPlan, built once per run) rather than an
 * expression of the parameters, which a generic plan would evaluate again for every row it
 * rechecks (a phrase's), and which made PostgreSQL plan each run afresh (~0.4 ms a step,
 * as long as a small step's run) because only a custom plan could fold it.
 */
function tsMatchIn(text: string, configs: readonly SearchConfig[], filter: string | null, phrases: unknown): RawBuilder<SqlBool> {
  const parts = configs.map((c) => indexMatch(c, text, filter, phrases, true));
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** tsRank for a step's prepared statement: each configuration's tsquery built once per run (see tsMatchIn). */
function tsRankOnce(text: string, configs: readonly SearchConfig[], alias: string): RawBuilder<number> {
  const cases = configs.map((c) => sql`when ${c} then (select websearch_to_tsquery(${postgresConfigName(c)}::regconfig, ${text}))`);
  return sql<number>`ts_rank_cd(${sql.ref(`${alias}.document`)}, case ${sql.ref(`${alias}.config`)} ${sql.join(cases, sql` `)} end)`;
}

/**
 * exactMatch for a step's rows, where a query of stopwords only ("about their" in English: no
 * lexeme at all) passes as it does the step's index condition (its filter lexemes alone): checked
 * against each story, it failed every one of a whole year's (3 s a step at a million stories).
 */
function exactMatchInStep(text: string, configs: readonly SearchConfig[]): RawBuilder<SqlBool> {
  const parts = configs.map((c) => {
    const query = sql`(select websearch_to_tsquery(${postgresConfigName(c)}::regconfig, ${text}))`;
    return sql`(d.config = ${c} and (numnode(${query}) = 0 or d.document @@ ${query}))`;
  });
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

type StepQuery = (db: Db, ...params: unknown[]) => Promise<{ id: string; score: number }[]>;

/** One precompiled statement per shape of a PostgreSQL step (values are parameters). */
const stepQueries = new Map<string, StepQuery>();

/**
 * A PostgreSQL step's statement for one shape: the languages asked, the filters given, whether
 * the step asks the index for filter lexemes and bounds the publication time, the sort, and the
 * year whose own index it may read (search-year-index.ts: that year's bounds are literals in
 * the statement, so that its prepared plan may use the partial index).
 * Built once per shape (db/prepared.ts): a search runs one to nine steps, and building each
 * with Kysely cost more of the server's time than anything but the snippets. Kept prepared on
 * each connection, a step skips its parse and analysis too.
 *
 * Visibility and the filters are read off the documents themselves (their copy of the story's
 * facts, written with it: visibleFrom in article-visibility.ts): joining each match's story row
 * cost an index probe and a heap row, ~70 % of a step. Sorted by relevance, a step scores the
 * matches it keeps while their rows are at hand (after its LIMIT, so only those).
 */
function stepQuery(
  configs: readonly SearchConfig[],
  keys: readonly FilterKey[],
  withLexemes: boolean,
  withAfter: boolean,
  withBefore: boolean,
  withPhrases: boolean,
  byRelevance: boolean,
  edition: EditionScope | undefined,
  year: number | undefined,
): StepQuery {
  const scope = scopeFilters(edition) ? edition : undefined;
  const shape = `${configs.join(',')}|${keys.join(',')}|${withLexemes}|${withAfter}|${withBefore}|${withPhrases}|${byRelevance}|${scope ? JSON.stringify(scope) : ''}|${year ?? ''}`;
  let query = stepQueries.get(shape);
  if (query) return query;
  query = preparedQuery<unknown[], { id: string; score: number }>((db, text, lexemes, nowIso, limit, after, before, phrases, ...values) => {
    const bounds = year === undefined ? undefined : yearBounds(year);
    const inYear = bounds ? sql` and d.published_at >= ${sql.lit(bounds.from)} and d.published_at < ${sql.lit(bounds.until)}` : sql``;
    const f: FilterValues = { ...Object.fromEntries(keys.map((k, i) => [k, values[i]])), edition: scope };
    let matches = db
      .selectFrom(
        sql<{
          article_id: string;
          published_at: string;
          section_id: string;
          language: string;
          config: string;
          document: unknown;
        }>`(select d.article_id, d.published_at, d.section_id, d.language, d.config, d.document from search_documents d
          where ${tsMatchIn(text, configs, withLexemes ? lexemes : null, withPhrases ? phrases : null)} and d.visible_from <= ${nowIso}${inYear} offset 0)`.as(
          'd',
        ),
      )
      .where((eb) => applyFilters(eb as never, f, 'd'));
    // The pairs' index finds the stories with the phrases' words next to each other: the rest of
    // the query (and the words' order) is checked on those.
    if (withPhrases) matches = matches.where(exactMatchInStep(text, configs));
    if (withAfter) matches = matches.where('d.published_at', '>=', after);
    if (withBefore) matches = matches.where('d.published_at', '<', before);
    const newest = matches
      .select(['d.article_id', 'd.published_at', 'd.config', 'd.document'])
      .orderBy('d.published_at', 'desc')
      .orderBy('d.article_id', 'desc')
      .limit(limit);
    return db
      .selectFrom(newest.as('n'))
      .select(['n.article_id as id', byRelevance ? tsRankOnce(text, configs, 'n').as('score') : sql<number>`0`.as('score')])
      .orderBy('n.published_at', 'desc')
      .orderBy('n.article_id', 'desc');
  });
  stepQueries.set(shape, query);
  return query;
}

/**
 * PostgreSQL: the newest RANK_CANDIDATES visible matches that pass the filters are found step
 * by step back in time (nextStepWeeks, then the rest of the archive), and only those are ranked
 * with ts_rank_cd (which reads each one's whole tsvector). Past the bound the answer says
 * "200+"; the count never ranks.
 */
async function searchPostgres(db: Db, plan: SearchPlan): Promise<SearchAnswerHits> {
  const configs = await configsFor(db, plan.filters, plan.nowIso);
  if (!configs.length) return { hits: [], total: 0, capped: false, reachable: 0 };
  const f = filterValues(plan.filters);
  // The GIN index finds every match of a step first (`offset 0` keeps the planner from merging
  // the subquery): a span of weeks bounds them, and the rest of the archive is only asked once
  // the steps found the query's matches sparse. Left to itself the planner, misjudging how rare
  // a phrase is, may walk every story by date and test each one's tsvector instead (13.7 s seen
  // for one phrase at a million stories; 104 ms for a rare phrase's rest of the archive).
  // A section filter is also asked of the index (its lexemes, search-index.ts: with the weeks
  // in a step's, stepFilters); the section column stays the rule (applyFilters).
  const nowWeek = weekOf(plan.nowIso);
  // A date filter bounds the weeks worth asking.
  const newestWeek = f.until === undefined ? nowWeek : Math.min(nowWeek, weekOf(f.until));
  const oldestWeek = f.from === undefined ? -Infinity : weekOf(f.from);
  const hasPhrase = plan.query.required.some((g) => g.some((t) => t.words.length > 1));
  const ids: string[] = [];
  const byRelevance = plan.sort === 'relevance';
  const scores = new Map<string, number>();
  const text = toWebsearchText(plan.query);
  const phrases = requiredPhrases(plan.query);
  const keys = FILTER_KEYS.filter((k) => f[k] !== undefined);
  const values = keys.map((k) => f[k]);
  // The newest of a step's matches, up to the bound (the steps go back in time, so ids stay newest first).
  const collectNewest = async (lexemes: string | null, after: string | undefined, before: string | undefined, year?: number) => {
    const step = stepQuery(
      configs,
      keys,
      lexemes !== null,
      after !== undefined,
      before !== undefined,
      phrases.length > 0,
      byRelevance,
      f.edition,
      year,
    );
    const rows = await step(db, text, lexemes, plan.nowIso, RANK_CANDIDATES - ids.length, after, before, phrases, ...values);
    for (const r of rows) {
      ids.push(r.id);
      scores.set(r.id, Number(r.score));
    }
  };
  const target = hasPhrase ? PHRASE_ENOUGH : RANK_CANDIDATES;
  const found = () => ids.length >= target;
  // Steps go from the newest week the date filter allows back to the oldest (or to
  // LAST_STEP_WEEK weeks back), each span sized from the weeks asked so far (the current week
  // counted by the share of it gone by) and the candidates they held.
  const stepsEnd = nowWeek - LAST_STEP_WEEK;
  const currentWeekShare = Math.max(1 / 7, (Date.parse(plan.nowIso) / WEEK_MS) % 1);
  let askedWeeks = 0;
  // A year's own index serves every step within that year of a search without a phrase (whose
  // pairs have an index of their own): a sparse search's step by year within a section walked a
  // word's postings of the whole archive, and now that year's only ("sixth thought" in a
  // section at a million stories: 6.9 → 2.8 ms).
  const years = !phrases.length ? await indexedYears(db, Date.parse(plan.nowIso)) : NO_YEARS;
  // Where the steps end and the rest of the archive begins.
  let restBefore = stepsEnd;
  for (let to = newestWeek, from = to; to >= Math.max(oldestWeek, stepsEnd); to = from - 1) {
    // Spans of the first year stay within WEEK_TERMS_AT_MOST weeks (asked as whole years, a span
    // walks every posting of a year's lexeme); past it a query is sparse and the rest of the
    // steps' weeks are asked year by year.
    const weeks =
      nowWeek - to >= YEAR_STEPS_FROM_WEEK
        ? Infinity
        : Math.min(WEEK_TERMS_AT_MOST, nextStepWeeks(askedWeeks, ids.length, target - ids.length));
    from = Math.max(oldestWeek, stepsEnd, to - weeks + 1);
    const weeksYear = weeks === Infinity ? undefined : indexedYearOf(from, to, years);
    for (const step of stepFilters(from, to, f.sectionId)) {
      const year = step.year === undefined ? weeksYear : years.has(step.year) ? step.year : undefined;
      await collectNewest(step.lexemes, step.after, step.before, year);
      if (found()) break;
    }
    if (found()) break;
    askedWeeks += to - from + (to === nowWeek ? currentWeekShare : 1);
    if (phrases.length && phraseRestInOneStep(askedWeeks, ids.length, from - Math.max(oldestWeek, stepsEnd))) {
      restBefore = from;
      break;
    }
  }
  const enough = found();
  if (!enough && oldestWeek < restBefore) {
    // The rest of the archive: the section's lexeme when there is one.
    const section = f.sectionId === undefined ? null : quotedLexeme(sectionTerm(f.sectionId));
    await collectNewest(section, undefined, new Date(restBefore * WEEK_MS).toISOString());
  }
  if (!ids.length) return { hits: [], total: 0, capped: false, reachable: 0 };
  const reachable = ids.length;
  // The candidates are newest first already (each step sorted its own, and the steps go back
  // in time): their place in `ids` is the date order. By relevance they were scored in their
  // step; by date only the page is scored, here.
  let hits: SearchHit[];
  if (byRelevance) {
    const place = new Map(ids.map((id, i) => [id, i]));
    hits = ids
      .map((id) => ({ articleId: id, score: scores.get(id)! }))
      .sort((x, y) => y.score - x.score || place.get(x.articleId)! - place.get(y.articleId)!)
      .slice(plan.offset, plan.offset + plan.limit);
  } else {
    const page = ids.slice(plan.offset, plan.offset + plan.limit);
    const rows = (
      await sql<{ article_id: string; score: number }>`select d.article_id, ${tsRank(toWebsearchText(plan.query), configs, 'd')} as score
        from unnest(${page}::text[]) with ordinality as o(article_id, place)
        join search_documents d on d.article_id = o.article_id
        order by o.place`.execute(db)
    ).rows;
    hits = rows.map((r) => ({ articleId: r.article_id, score: Number(r.score) }));
  }
  return {
    hits,
    total: reachable,
    // The rest of the archive's step stops at the bound too: there may be more past it.
    capped: enough || ids.length >= RANK_CANDIDATES,
    reachable,
  };
}

/*
 * The desk's text filter, over every story in the index whatever its status. A million stories
 * hold hundreds of thousands of matches of a common word, and no index gives them in the list's
 * order: taking them all as `a.id in (…)` took 10 s for "government", and left to judge how
 * many match, PostgreSQL walked the list checking each story for a word it had never seen (6 s
 * for no match). So the list asks deskQueryIsDense first (the vocabulary's counts, one indexed
 * read): a query of common words only walks the list's own order checking each story
 * (storyMatches, one index probe a story) over a bounded stretch, and any other query, or one
 * whose walk found too few, lists among all its matches (storyAmongMatches).
 */

/**
 * How many stories a word must be in to make a desk query "dense" (deskQueryIsDense), for an
 * index of `documents`. A set costs each of its d·N matches, a walk the 26/d stories it checks
 * for a page (about as much each: ~15–25 µs on PostgreSQL, ~12 µs on SQLite): they cost the
 * same where d·N = √(26·N), ~1,600 matches at 100,000 stories and ~5,100 at a million.
 */
export function deskCommonWordDocs(documents: number): number {
  return Math.ceil(Math.sqrt(26 * Math.max(1, documents)));
}

/** The index's documents, near enough (PostgreSQL's estimate; SQLite's highest rowid): read at once. */
async function indexedDocuments(db: Db, dialect: DialectName): Promise<number> {
  const { rows } = await (
    dialect === 'sqlite'
      ? sql<{ n: number | null }>`select max(doc_id) as n from search_documents`
      : sql<{ n: number | null }>`select reltuples::bigint as n from pg_class where oid = 'search_documents'::regclass`
  ).execute(db);
  return Math.max(0, Number(rows[0]?.n ?? 0));
}

/**
 * Whether `query` likely matches many stories, by the vocabulary's counts: in each required
 * group, every word of some term is in more than `commonDocs` visible stories (by default
 * deskCommonWordDocs of the index's size). A phrase's words bound how often it occurs (its walk
 * checks it exactly); those the vocabulary does not hold are stopwords ("said in a statement")
 * or match nothing. A lone word it does not hold is rare.
 */
export async function deskQueryIsDense(db: Db, dialect: DialectName, query: SearchQuery, commonDocs?: number): Promise<boolean> {
  if (!query.required.length) return false;
  commonDocs ??= deskCommonWordDocs(await indexedDocuments(db, dialect));
  const words = [...new Set(query.required.flat().flatMap((t) => t.words))];
  const rows = await db.selectFrom('search_vocabulary').select(['term', 'doc_count']).where('term', 'in', words).execute();
  const known = new Set(rows.map((r) => r.term));
  const common = new Set(rows.filter((r) => Number(r.doc_count) > commonDocs).map((r) => r.term));
  const dense = (t: SearchTerm) =>
    t.words.length === 1
      ? common.has(t.words[0]!)
      : t.words.some((w) => common.has(w)) && t.words.every((w) => common.has(w) || !known.has(w));
  return query.required.every((g) => g.some(dense));
}

/**
 * A condition: the story `a` is among all the stories matching `query`, drafts included. On
 * SQLite a subquery, which it reads into a temporary index first. On PostgreSQL the ids are read
 * first, always from the GIN indexes, and given as one array: as a subquery, or with a common
 * word's estimate, the planner read the whole table instead (6.5 s at a million stories).
 */
export async function storyAmongMatches(db: Db, dialect: DialectName, query: SearchQuery): Promise<RawBuilder<SqlBool>> {
  const configs = [...SEARCH_CONFIGS];
  if (dialect === 'sqlite')
    return sql<SqlBool>`a.id in (select d.article_id from search_fts
      join search_documents d on d.doc_id = search_fts.rowid
      where search_fts match ${fts5Match(query, configs)})`;
  const ids = await db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const { rows } = await sql<{ article_id: string }>`select d.article_id from search_documents d
      where ${tsMatch(query, configs)}`.execute(trx);
    return rows.map((r) => r.article_id);
  });
  return sql<SqlBool>`a.id = any(${ids}::text[])`;
}

/**
 * A condition: the story `a` matches `query`, checked on its own document (an index probe and
 * the match) for each story the list walks. A scalar subquery on PostgreSQL, which the planner
 * cannot turn into a join reading every match first.
 */
export function storyMatches(dialect: DialectName, query: SearchQuery): RawBuilder<SqlBool> {
  const configs = [...SEARCH_CONFIGS];
  return dialect === 'sqlite'
    ? sql<SqlBool>`exists (select 1 from search_fts
        where search_fts.rowid = (select d.doc_id from search_documents d where d.article_id = a.id)
        and search_fts match ${fts5Match(query, configs)})`
    : sql<SqlBool>`coalesce((select ${exactMatch(toWebsearchText(query), configs, true)} from search_documents d where d.article_id = a.id), false)`;
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
