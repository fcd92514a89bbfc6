import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. PostgreSQL: every story's tsvector gains a lexeme naming the week it was published in
// ("@w" and the weeks since 1970-01-01, as domain/search/search-index.ts writes it from now on),
// so a search can ask for a common word's matches in the last few weeks without reading the
// word's whole posting list. SQLite's FTS5 reads newest-first by row id and needs none.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents d
    set document = d.document || array_to_tsvector(array['@w' || floor(extract(epoch from a.published_at::timestamptz) / 604800)::bigint::text])
    from articles a
    where a.id = d.article_id and a.published_at is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents
    set document = ts_delete(document, array(select lexeme from unnest(document) where lexeme like '@w%'))
    where document::text like '%''@w%'`.execute(db);
}
