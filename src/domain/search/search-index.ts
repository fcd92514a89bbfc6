import { sql, type RawBuilder } from 'kysely';
import type { Db, DialectName } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Article } from '../articles/article.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { documentText } from '../documents/document-text.ts';
import { isVisibleToReaders, visibleFrom } from '../articles/article-visibility.ts';
import { postgresConfigName, SEARCH_CONFIGS, searchConfigFor, stemmerFor, words, type SearchConfig } from './search-language.ts';
import { changeVocabulary, vocabularyDelta, vocabularyTerms } from './search-vocabulary.ts';

/*
 * Keeping the index exact: writeStory calls `indexStory` in the story's own transaction, so a
 * rolled-back save leaves the index as it was and a committed one is searchable at once. The
 * index holds every story whatever its status (the desk searches drafts); public searches
 * apply the visibility rule when they run. The spelling vocabulary (search-vocabulary.ts) is
 * the exception: it counts only the words of stories visible when they are written (or when
 * the scheduler sees them become visible), since a suggestion cannot be checked afterwards.
 */

/** The searchable text of a story, by weight. */
export interface SearchFields {
  headline: string;
  standfirst: string;
  /** Paragraphs, headings, lists, quotes and speakers, captions, photo credits, embed titles. */
  body: string;
  /** Bylines, tag names and the section's name. */
  meta: string;
}

/** The body's text plus what documentText leaves out for reading but readers search for: photo credits. */
export function searchableBody(doc: ArticleDocument): string {
  const credits = doc.blocks.flatMap((b) => (b.type === 'figure' && b.credit ? [b.credit] : []));
  return [documentText(doc), ...credits].join('\n');
}

/** Stemmed words, space-separated, as SQLite's FTS5 table stores them (it folds accents itself). */
export function stemmedText(text: string, config: SearchConfig): string {
  const stem = stemmerFor(config);
  return words(text).map(stem).join(' ');
}

async function loadMeta(trx: Db, story: Article): Promise<string> {
  const [authors, tags, section] = await Promise.all([
    story.authorIds.length ? trx.selectFrom('authors').select(['id', 'name']).where('id', 'in', story.authorIds).execute() : [],
    story.tagIds.length ? trx.selectFrom('tags').select(['id', 'name']).where('id', 'in', story.tagIds).execute() : [],
    trx.selectFrom('sections').select('name').where('id', '=', story.sectionId).executeTakeFirst(),
  ]);
  // In byline and tag order (the story's), not the rows' order: the same story always indexes the same text.
  const names = new Map([...authors, ...tags].map((r) => [r.id, r.name]));
  const named = [...story.authorIds, ...story.tagIds].flatMap((id) => names.get(id) ?? []);
  return [...named, section?.name ?? ''].join(' ');
}

const fieldTexts = (f: SearchFields) => [f.headline, f.standfirst, f.body, f.meta];

/** The words a stored document counts in the vocabulary (none when it counts none). */
async function countedTerms(trx: Db, articleId: string): Promise<Set<string>> {
  // The text only when it was counted: a draft's autosave reads one small column.
  const counted = (column: 'headline' | 'standfirst' | 'body' | 'meta') =>
    sql<string>`case when in_vocabulary = 1 then ${sql.ref(column)} else '' end`.as(column);
  const old = await trx
    .selectFrom('search_documents')
    .select(['in_vocabulary', counted('headline'), counted('standfirst'), counted('body'), counted('meta')])
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  return old?.in_vocabulary ? vocabularyTerms(fieldTexts(old)) : new Set();
}

/**
 * Writes (or rewrites) a story's search document inside `trx`, and moves the vocabulary by
 * the words it gains or loses: a story readers can see at `nowIso` counts its words, any
 * other none.
 */
export async function indexStory(
  trx: Db,
  dialect: DialectName,
  story: Article,
  nowIso: string,
  /** A batch's running vocabulary change, applied by the caller before its commit; else applied here. */
  batchDeltas?: Map<string, number>,
): Promise<void> {
  const fields: SearchFields = {
    headline: story.headline,
    standfirst: story.standfirst,
    body: searchableBody(story.body),
    meta: await loadMeta(trx, story),
  };
  const visible = isVisibleToReaders(story, nowIso);
  const before = await countedTerms(trx, story.id);
  await writeSearchDocument(trx, dialect, story, fields, visible);
  const delta = vocabularyDelta(before, visible ? vocabularyTerms(fieldTexts(fields)) : new Set(), batchDeltas);
  if (!batchDeltas) await changeVocabulary(trx, delta);
}

/**
 * Counts a story's words in the vocabulary if readers can see it at `nowIso` and it is not
 * counted yet: for stories that became visible by time alone (publication time or embargo
 * end reached with no write), called by the publishing scheduler. Idempotent.
 */
export async function admitToVocabulary(trx: Db, dialect: DialectName, articleId: string, nowIso: string): Promise<boolean> {
  // Lock the story as a save would, so a save committing meanwhile is seen, not overwritten.
  let q = trx.selectFrom('articles').select(['status', 'published_at', 'embargo_until']).where('id', '=', articleId);
  if (dialect === 'postgres') q = q.forNoKeyUpdate();
  const a = await q.executeTakeFirst();
  if (!a || !isVisibleToReaders({ status: a.status, publishedAt: a.published_at, embargoUntil: a.embargo_until }, nowIso)) return false;
  const doc = await trx
    .selectFrom('search_documents')
    .select(['headline', 'standfirst', 'body', 'meta', 'in_vocabulary'])
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  if (!doc || doc.in_vocabulary) return false;
  await changeVocabulary(trx, vocabularyDelta(new Set(), vocabularyTerms(fieldTexts(doc))));
  await trx.updateTable('search_documents').set({ in_vocabulary: 1 }).where('article_id', '=', articleId).execute();
  return true;
}

/** A story's search document as a bulk writer builds it (names already known). */
export interface SearchDocumentInput {
  id: string;
  language: string;
  revision: number;
  fields: SearchFields;
  /** Readers can see the story now: its words go into the spelling vocabulary. */
  visible?: boolean;
  /** When the story was (or will be) published; null for a story never published. */
  publishedAt: string | null;
  sectionId: string;
  /** From when readers may see the story (article-visibility.ts `visibleFrom`). */
  visibleFrom: string | null;
}

/** Documents per statement in writeSearchDocuments: a few MB of text, far below any parameter limit. */
const DOCUMENTS_PER_STATEMENT = 500;

/**
 * Writes many documents in `trx` for stories written beside writeStory (the bulk generator),
 * which already has the names of bylines, tags and sections in memory. New stories only
 * (nothing counted before, no FTS5 row to replace); a statement per few hundred documents,
 * with the same rows and index entries as writeSearchDocument.
 */
export async function writeSearchDocuments(trx: Db, dialect: DialectName, docs: readonly SearchDocumentInput[]): Promise<void> {
  // Nothing was counted before, so the batch's words go in as one sum.
  const deltas = new Map<string, number>();
  for (let i = 0; i < docs.length; i += DOCUMENTS_PER_STATEMENT) {
    const part = docs.slice(i, i + DOCUMENTS_PER_STATEMENT);
    if (dialect === 'postgres') await insertPostgresDocuments(trx, part);
    else await insertSqliteDocuments(trx, part);
  }
  for (const d of docs) if (d.visible) vocabularyDelta(new Set(), vocabularyTerms(fieldTexts(d.fields)), deltas);
  await changeVocabulary(trx, deltas);
}

/** One INSERT … SELECT FROM unnest(arrays): a dozen parameters whatever the number of rows. */
async function insertPostgresDocuments(trx: Db, docs: readonly SearchDocumentInput[]): Promise<void> {
  const configs = docs.map((d) => searchConfigFor(d.language));
  const column = <T>(f: (d: SearchDocumentInput, k: number) => T) => docs.map(f);
  await sql`insert into search_documents (article_id, language, config, headline, standfirst, body, meta, revision, in_vocabulary,
      published_at, section_id, visible_from, document)
    select d.article_id, d.language, d.config, d.headline, d.standfirst, d.body, d.meta, d.revision, d.in_vocabulary,
      d.published_at, d.section_id, d.visible_from,
      ${postgresVectorOf(sql`d.pg_config`, sql`d.plain_headline`, sql`d.plain_standfirst`, sql`d.plain_body`, sql`d.plain_meta`)}
        || ${filterVector([sql`d.week_term`, sql`d.year_term`, sql`d.section_term`, sql`d.section_week_term`])}
    from unnest(${column((d) => d.id)}::text[], ${column((d) => d.language)}::text[], ${configs}::text[],
      ${column((d) => d.fields.headline)}::text[], ${column((d) => d.fields.standfirst)}::text[], ${column((d) => d.fields.body)}::text[],
      ${column((d) => d.fields.meta)}::text[], ${column((d) => d.revision)}::int[], ${column((d) => (d.visible === true ? 1 : 0))}::int[],
      ${configs.map(postgresConfigName)}::text[], ${column((d) => plainWords(d.fields.headline))}::text[],
      ${column((d) => plainWords(d.fields.standfirst))}::text[], ${column((d) => plainWords(d.fields.body))}::text[],
      ${column((d) => plainWords(d.fields.meta))}::text[], ${column((d) => publishedWeekTerm(d.publishedAt))}::text[],
      ${column((d) => publishedYearTerm(d.publishedAt))}::text[], ${column((d) => sectionTerm(d.sectionId))}::text[],
      ${column((d) => sectionWeekTerm(d.sectionId, d.publishedAt))}::text[], ${column((d) => d.publishedAt)}::text[], ${column((d) => d.sectionId)}::text[], ${column((d) => d.visibleFrom)}::text[])
      as d(article_id, language, config, headline, standfirst, body, meta, revision, in_vocabulary, pg_config,
        plain_headline, plain_standfirst, plain_body, plain_meta, week_term, year_term, section_term, section_week_term,
        published_at, section_id, visible_from)`.execute(trx);
}

/** Multi-row inserts: the documents (their doc_ids back), then their FTS5 rows. */
async function insertSqliteDocuments(trx: Db, docs: readonly SearchDocumentInput[]): Promise<void> {
  const configs = docs.map((d) => searchConfigFor(d.language));
  const values = docs.map(
    (d, k) =>
      sql`(${d.id}, ${d.language}, ${configs[k]!}, ${d.fields.headline}, ${d.fields.standfirst}, ${d.fields.body}, ${d.fields.meta}, ${d.revision}, ${d.visible === true ? 1 : 0}, ${d.publishedAt}, ${d.sectionId}, ${d.visibleFrom})`,
  );
  const { rows } = await sql<{ doc_id: number; article_id: string }>`insert into search_documents
    (article_id, language, config, headline, standfirst, body, meta, revision, in_vocabulary, published_at, section_id, visible_from)
    values ${sql.join(values)} returning doc_id, article_id`.execute(trx);
  const docIds = new Map(rows.map((r) => [r.article_id, r.doc_id]));
  const fts = docs.map((d, k) => {
    const f = d.fields;
    const c = configs[k]!;
    return sql`(${docIds.get(d.id)!}, ${stemmedText(f.headline, c)}, ${stemmedText(f.standfirst, c)}, ${stemmedText(f.body, c)}, ${stemmedText(f.meta, c)})`;
  });
  await sql`insert into search_fts (rowid, headline, standfirst, body, meta) values ${sql.join(fts)}`.execute(trx);
}

/** Removes a story from the index (it was deleted). */
export async function unindexStory(trx: Db, dialect: DialectName, articleId: string): Promise<void> {
  await changeVocabulary(trx, vocabularyDelta(await countedTerms(trx, articleId), new Set()));
  if (dialect === 'sqlite') {
    await sql`delete from search_fts where rowid = (select doc_id from search_documents where article_id = ${articleId})`.execute(trx);
  }
  await trx.deleteFrom('search_documents').where('article_id', '=', articleId).execute();
}

async function writeSearchDocument(
  trx: Db,
  dialect: DialectName,
  story: Pick<Article, 'id' | 'language' | 'revision' | 'publishedAt' | 'sectionId' | 'status' | 'embargoUntil'>,
  f: SearchFields,
  counted: boolean,
) {
  const config = searchConfigFor(story.language);
  const row = {
    article_id: story.id,
    language: story.language,
    config,
    headline: f.headline,
    standfirst: f.standfirst,
    body: f.body,
    meta: f.meta,
    revision: story.revision,
    in_vocabulary: counted ? 1 : 0,
    published_at: story.publishedAt,
    section_id: story.sectionId,
    visible_from: visibleFrom(story),
  };
  if (dialect === 'postgres') {
    const vector = sql`${postgresVector(config, f)} || ${storyFilterVector(story.publishedAt, story.sectionId)}`;
    await sql`insert into search_documents (article_id, language, config, headline, standfirst, body, meta, revision, in_vocabulary,
        published_at, section_id, visible_from, document)
      values (${row.article_id}, ${row.language}, ${row.config}, ${row.headline}, ${row.standfirst}, ${row.body}, ${row.meta}, ${row.revision}, ${row.in_vocabulary},
        ${row.published_at}, ${row.section_id}, ${row.visible_from}, ${vector})
      on conflict (article_id) do update set language = excluded.language, config = excluded.config, headline = excluded.headline,
        standfirst = excluded.standfirst, body = excluded.body, meta = excluded.meta, revision = excluded.revision,
        in_vocabulary = excluded.in_vocabulary, published_at = excluded.published_at, section_id = excluded.section_id,
        visible_from = excluded.visible_from, document = excluded.document`.execute(trx);
    return;
  }
  const { rows } = await sql<{
    doc_id: number;
  }>`insert into search_documents (article_id, language, config, headline, standfirst, body, meta, revision, in_vocabulary,
      published_at, section_id, visible_from)
    values (${row.article_id}, ${row.language}, ${row.config}, ${row.headline}, ${row.standfirst}, ${row.body}, ${row.meta}, ${row.revision}, ${row.in_vocabulary},
      ${row.published_at}, ${row.section_id}, ${row.visible_from})
    on conflict (article_id) do update set language = excluded.language, config = excluded.config, headline = excluded.headline,
      standfirst = excluded.standfirst, body = excluded.body, meta = excluded.meta, revision = excluded.revision,
      in_vocabulary = excluded.in_vocabulary, published_at = excluded.published_at, section_id = excluded.section_id,
      visible_from = excluded.visible_from
    returning doc_id`.execute(trx);
  const docId = rows[0]!.doc_id;
  await sql`delete from search_fts where rowid = ${docId}`.execute(trx);
  await insertFts(trx, docId, config, f);
}

// Words only, as SQLite sees them: PostgreSQL's parser would otherwise keep "Name/Agency"
// or an e-mail address as one token that no query word matches.
const plainWords = (text: string) => words(text).join(' ');

function postgresVector(config: SearchConfig, f: SearchFields) {
  const cfg = postgresConfigName(config);
  return postgresVectorOf(
    sql`${cfg}`,
    sql`${plainWords(f.headline)}`,
    sql`${plainWords(f.standfirst)}`,
    sql`${plainWords(f.body)}`,
    sql`${plainWords(f.meta)}`,
  );
}

/**
 * The weighted tsvector of plain-word texts (values or column references), in configuration
 * `cfg`. (Its pairs of successive words go to `phrase_pairs`, kept by a trigger from it:
 * migrations 20261211T0900 and 20261212T0900.)
 */
function postgresVectorOf(cfg: RawBuilder<unknown>, ...[headline, standfirst, body, meta]: RawBuilder<unknown>[]) {
  return sql`setweight(to_tsvector(${cfg}::regconfig, ${headline}), 'A')
      || setweight(to_tsvector(${cfg}::regconfig, ${standfirst}), 'B')
      || setweight(to_tsvector(${cfg}::regconfig, ${body}), 'C')
      || setweight(to_tsvector(${cfg}::regconfig, ${meta}), 'D')`;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** The week (since 1970-01-01, a Thursday) an instant falls in. */
export function weekOf(iso: string): number {
  return Math.floor(Date.parse(iso) / WEEK_MS);
}

/**
 * PostgreSQL: the lexeme that tags a story's tsvector with the week it was published in
 * ("@w2923"). No parser makes a lexeme of that shape, so no reader's word matches it. Search
 * ANDs a query with a few recent weeks' lexemes to find a common word's newest matches without
 * reading its whole posting list (search-engine.ts).
 */
export function publishedWeekTerm(publishedAt: string | null): string | null {
  return publishedAt === null || Number.isNaN(Date.parse(publishedAt)) ? null : weekTerm(weekOf(publishedAt));
}

/** The lexeme of week number `week` (weekOf), within a section when one is given (sectionWeekTerm). */
export function weekTerm(week: number, sectionId?: string): string {
  return sectionId === undefined ? `@w${week}` : `${sectionTerm(sectionId)}w${week}`;
}

/**
 * PostgreSQL: the lexeme that tags a story's tsvector with its section ("@s" and the section's
 * id). A search filtered by section ANDs it into the query, so the GIN index intersects the
 * word's postings with the section's instead of every match in a week being joined to its
 * story and then dropped (search-engine.ts). The section condition on the story stays the
 * rule; the lexeme only narrows what the index returns.
 */
export function sectionTerm(sectionId: string): string {
  return `@s${sectionId}`;
}

/**
 * PostgreSQL: the lexeme naming the (UTC) year a story was published in ("@y2026"). Search
 * steps back over spans of years with a few of these where ORing every week's lexeme made the
 * index merge hundreds of posting lists (search-engine.ts).
 */
export function publishedYearTerm(publishedAt: string | null): string | null {
  return publishedAt === null || Number.isNaN(Date.parse(publishedAt)) ? null : `@y${new Date(publishedAt).getUTCFullYear()}`;
}

/**
 * PostgreSQL: the lexeme naming a story's section and publication week together ("@s", the
 * section's id, "w" and the week). A search filtered by section steps back through weeks with
 * these: GIN walks every posting of the lexemes a step ORs (no single one of them is
 * required), so a step asking for "some weeks and the section" walked all those weeks'
 * stories of every section (168,000 postings for twelve weeks at a million stories) where
 * these lexemes hold only the section's (21,000 with eight sections).
 */
export function sectionWeekTerm(sectionId: string, publishedAt: string | null): string | null {
  return publishedAt === null || Number.isNaN(Date.parse(publishedAt)) ? null : weekTerm(weekOf(publishedAt), sectionId);
}

/** A story's filter lexemes (its week, year and section, and the last two together) as a tsvector; terms may be null. */
function filterVector(terms: readonly RawBuilder<unknown>[]) {
  return sql`array_to_tsvector(array_remove(array[${sql.join(terms)}]::text[], null))`;
}

/** filterVector of one story's facts. */
function storyFilterVector(publishedAt: string | null, sectionId: string) {
  return filterVector(
    [publishedWeekTerm(publishedAt), publishedYearTerm(publishedAt), sectionTerm(sectionId), sectionWeekTerm(sectionId, publishedAt)].map(
      (t) => sql`${t}::text`,
    ),
  );
}

async function insertFts(trx: Db, docId: number, config: SearchConfig, f: SearchFields) {
  await sql`insert into search_fts (rowid, headline, standfirst, body, meta) values (${docId}, ${stemmedText(f.headline, config)},
    ${stemmedText(f.standfirst, config)}, ${stemmedText(f.body, config)}, ${stemmedText(f.meta, config)})`.execute(trx);
}

/**
 * Builds the dialect's own index (FTS5 rows, or the tsvector) for documents already stored in
 * search_documents as they are, e.g. by a restore from another database: the stored words and
 * configuration are kept, only the index beside them is made.
 */
export async function indexStoredDocuments(trx: Db, dialect: DialectName, articleIds: readonly string[]): Promise<void> {
  if (!articleIds.length) return;
  const docs = await sql<
    {
      article_id: string;
      doc_id?: number;
      config: string;
      published_at: string | null;
      section_id: string;
      status: string;
      embargo_until: string | null;
    } & SearchFields
  >`select ${sql.raw(dialect === 'sqlite' ? 'd.doc_id, ' : '')}d.article_id, d.config, d.headline, d.standfirst, d.body, d.meta,
    a.published_at, a.section_id, a.status, a.embargo_until
    from search_documents d join articles a on a.id = d.article_id where d.article_id in (${sql.join(articleIds)})`.execute(trx);
  for (const d of docs.rows) {
    // The story's visibility facts as the restored story has them (a backup may predate these columns).
    const from = visibleFrom({ status: d.status, publishedAt: d.published_at, embargoUntil: d.embargo_until });
    const facts = sql`published_at = ${d.published_at}, section_id = ${d.section_id}, visible_from = ${from}`;
    const config = (SEARCH_CONFIGS as readonly string[]).includes(d.config) ? (d.config as SearchConfig) : 'simple';
    if (dialect === 'postgres')
      await sql`update search_documents set ${facts}, document = ${postgresVector(config, d)} || ${storyFilterVector(d.published_at, d.section_id)}
        where article_id = ${d.article_id}`.execute(trx);
    else {
      await sql`update search_documents set ${facts} where article_id = ${d.article_id}`.execute(trx);
      await insertFts(trx, d.doc_id!, config, d);
    }
  }
}

/** FTS5 pages of work per merge step: each step holds SQLite's write lock ~0.3 s at most. */
const MERGE_PAGES = 200;

/**
 * Merges the full-text index's pieces after many documents were written at once (a reindex,
 * the bulk generator). Each write batch leaves FTS5 a segment, and a search reads every
 * segment's list of each word: after reindexing 100,000 stories, searches took 15–20 % more
 * CPU until the segments were merged. SQLite: FTS5's incremental `merge` in short transactions
 * until a step finds nothing to merge (safe while the site serves: writers wait one step at
 * most). PostgreSQL: the GIN index's pending entries, which every search reads, are merged.
 * Returns how many merge steps did work.
 */
export async function compactSearchIndex(db: Db, dialect: DialectName): Promise<number> {
  if (dialect === 'postgres') {
    await sql`select gin_clean_pending_list('search_documents_document_idx'::regclass)`.execute(db);
    await sql`select gin_clean_pending_list('search_documents_phrase_pairs_idx'::regclass)`.execute(db);
    return 0;
  }
  let steps = 0;
  for (;;) {
    // FTS5 reports work done only through the connection's change count (2 or more: it merged).
    const changed = await withTransaction(db, async (trx) => {
      const before = await sql<{ n: number }>`select total_changes() as n`.execute(trx);
      await sql`insert into search_fts (search_fts, rank) values ('merge', ${-MERGE_PAGES})`.execute(trx);
      const after = await sql<{ n: number }>`select total_changes() as n`.execute(trx);
      return Number(after.rows[0]!.n) - Number(before.rows[0]!.n);
    });
    if (changed < 2) return steps;
    steps++;
  }
}
