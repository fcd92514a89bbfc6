import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. Full-text search (issue 13): one row of searchable text per story in
// search_documents, and the dialect's own index beside it.
//
// SQLite: an FTS5 table without stored content (the words are in search_documents), rows
// matched to documents by rowid = doc_id. The application stems words (Snowball, per story
// language) before FTS5 sees them; unicode61 with remove_diacritics 2 folds accents.
//
// PostgreSQL: a weighted tsvector (A headline, B standfirst, C body, D bylines/tags/section)
// with a GIN index, built with one text search configuration per language: a copy of the
// built-in one with `unaccent` before the stemmer, so "élection" and "election" meet. Where the
// extension cannot be created (no privilege), the copies simply stem without folding.
//
// Existing stories are filled here with SQL alone (migrations import no application code): on
// PostgreSQL that is the real index; on SQLite the words go in unstemmed (still accent-folded)
// until `npm run masthead -- search reindex` runs. The body is `articles.body_text`, which
// lacks photo credits until that reindex too.

const LANGUAGES: Record<string, string> = {
  en: 'english',
  fr: 'french',
  de: 'german',
  es: 'spanish',
  it: 'italian',
  pt: 'portuguese',
  ru: 'russian',
  tr: 'turkish',
  ar: 'arabic',
};

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('search_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  if (sqlite) await upSqlite(db);
  else await upPostgres(db);
}

async function upSqlite(db: Kysely<any>): Promise<void> {
  await sql`create table search_documents (
    doc_id integer primary key,
    article_id text not null unique,
    language text not null,
    config text not null,
    headline text not null,
    standfirst text not null,
    body text not null,
    meta text not null,
    revision integer not null
  )`.execute(db);
  await sql`create virtual table search_fts using fts5(
    headline, standfirst, body, meta,
    content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
  )`.execute(db);
  await fillDocuments(db, sql`'simple'`);
  await sql`insert into search_fts (rowid, headline, standfirst, body, meta)
    select doc_id, lower(headline), lower(standfirst), lower(body), lower(meta) from search_documents`.execute(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  // A failed CREATE EXTENSION would abort the migration's transaction; the block's own
  // exception handler rolls back to its implicit savepoint instead.
  await sql`do $$ begin
    create extension if not exists unaccent;
  exception when others then
    raise notice 'unaccent unavailable (%): search will not fold accents', sqlerrm;
  end $$`.execute(db);
  const hasUnaccent =
    (await sql<{ n: number }>`select count(*)::int as n from pg_ts_dict where dictname = 'unaccent'`.execute(db)).rows[0]!.n > 0;
  for (const name of [...Object.values(LANGUAGES), 'simple']) {
    const config = `masthead_${name}`;
    await sql`create text search configuration ${sql.id(config)} (copy = ${sql.raw(`pg_catalog.${name}`)})`.execute(db);
    if (hasUnaccent) {
      const stem = name === 'simple' ? 'simple' : `${name}_stem`;
      await sql`alter text search configuration ${sql.id(config)}
        alter mapping for hword, hword_part, word with unaccent, ${sql.raw(stem)}`.execute(db);
    }
  }
  await sql`create table search_documents (
    article_id text primary key,
    language text not null,
    config text not null,
    headline text not null,
    standfirst text not null,
    body text not null,
    meta text not null,
    revision integer not null,
    document tsvector not null
  )`.execute(db);
  await sql`create index search_documents_document_idx on search_documents using gin (document)`.execute(db);
  const cases = Object.entries(LANGUAGES).map(([code, name]) => sql`when ${code} then ${name}`);
  await fillDocuments(db, sql`case lower(split_part(a.language, '-', 1)) ${sql.join(cases, sql` `)} else 'simple' end`);
  await sql`update search_documents set document =
    setweight(to_tsvector(('masthead_' || config)::regconfig, headline), 'A') ||
    setweight(to_tsvector(('masthead_' || config)::regconfig, standfirst), 'B') ||
    setweight(to_tsvector(('masthead_' || config)::regconfig, body), 'C') ||
    setweight(to_tsvector(('masthead_' || config)::regconfig, meta), 'D')`.execute(db);
}

/** One document per existing story: bylines, tags and section name gathered with SQL. */
async function fillDocuments(db: Kysely<any>, config: ReturnType<typeof sql>): Promise<void> {
  await sql`insert into search_documents (article_id, language, config, headline, standfirst, body, meta, revision${sql.raw(
    db.getExecutor().adapter instanceof SqliteAdapter ? '' : ', document',
  )})
    select a.id, a.language, ${config}, a.headline, a.standfirst, a.body_text,
      coalesce((select ${stringAgg(db, 'au.name')} from article_authors aa join authors au on au.id = aa.author_id where aa.article_id = a.id), '')
        || ' ' || coalesce((select ${stringAgg(db, 't.name')} from article_tags at join tags t on t.id = at.tag_id where at.article_id = a.id), '')
        || ' ' || s.name,
      a.revision${sql.raw(db.getExecutor().adapter instanceof SqliteAdapter ? '' : `, ''::tsvector`)}
    from articles a join sections s on s.id = a.section_id`.execute(db);
}

function stringAgg(db: Kysely<any>, column: string) {
  return db.getExecutor().adapter instanceof SqliteAdapter
    ? sql.raw(`group_concat(${column}, ' ')`)
    : sql.raw(`string_agg(${column}, ' ')`);
}

export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite) await sql`drop table search_fts`.execute(db);
  await db.schema.dropTable('search_documents').execute();
  await db.schema.dropTable('search_state').execute();
  if (!sqlite) {
    for (const name of [...Object.values(LANGUAGES), 'simple']) {
      await sql`drop text search configuration if exists ${sql.id(`masthead_${name}`)}`.execute(db);
    }
  }
}
