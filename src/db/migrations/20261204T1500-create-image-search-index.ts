import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. The newsroom media library searches images with the story search's engine (issue 13):
// one row per image in image_search_documents, written in the image row's transaction, and the
// dialect's index beside it, as for stories (20261203T1630):
//
// SQLite: a contentless FTS5 table image_search_fts (rowid = doc_id) with four columns ranked
// by BM25: titles (headline, title, keywords from the file), caption, credits (credit line,
// photographer, copyright notice), other (alt text, file name); unicode61 folds accents.
// PostgreSQL: the same four as tsvector weights A–D with the `masthead_simple` configuration
// (unaccent, no stemming: images have no language) and a GIN index.
//
// `embedded` keeps the headline, title and keywords read from the file at upload, which the
// images table has no columns for. Existing images are indexed here from their columns; their
// files' headlines and keywords are not read back (migrations run no application code).

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`create table image_search_documents (
      doc_id integer primary key,
      image_id text not null unique,
      embedded text not null
    )`.execute(db);
    await sql`create virtual table image_search_fts using fts5(
      titles, caption, credits, other,
      content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
    )`.execute(db);
    await sql`insert into image_search_documents (image_id, embedded) select id, '' from images`.execute(db);
    await sql`insert into image_search_fts (rowid, titles, caption, credits, other)
      select d.doc_id, '', i.caption, i.credit || ' ' || i.creator || ' ' || i.copyright_notice, i.alt_text || ' ' || i.original_filename
      from image_search_documents d join images i on i.id = d.image_id`.execute(db);
    return;
  }
  await sql`create table image_search_documents (
    image_id text primary key,
    embedded text not null,
    document tsvector not null
  )`.execute(db);
  await sql`create index image_search_documents_document_idx on image_search_documents using gin (document)`.execute(db);
  // Words only, as the application writes them: PostgreSQL's parser would keep "photo-2.png" whole.
  const plain = (expr: string) => sql.raw(`regexp_replace(${expr}, '[^[:alnum:]]+', ' ', 'g')`);
  await sql`insert into image_search_documents (image_id, embedded, document)
    select id, '',
      setweight(to_tsvector('masthead_simple'::regconfig, ${plain('caption')}), 'B') ||
      setweight(to_tsvector('masthead_simple'::regconfig, ${plain("credit || ' ' || creator || ' ' || copyright_notice")}), 'C') ||
      setweight(to_tsvector('masthead_simple'::regconfig, ${plain("alt_text || ' ' || original_filename")}), 'D')
    from images`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) await sql`drop table image_search_fts`.execute(db);
  await db.schema.dropTable('image_search_documents').execute();
}
