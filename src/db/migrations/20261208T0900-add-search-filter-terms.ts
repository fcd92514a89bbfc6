import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. PostgreSQL: every story's tsvector gains lexemes naming its section ("@s" and the
// section's id) and the year it was published in ("@y2026", UTC), as
// domain/search/search-index.ts writes them from now on: a search filtered by section lets the
// GIN index intersect the query's postings with the section's, and a search stepping back over
// years asks for a few year lexemes instead of ORing hundreds of week lexemes. One pass over
// the documents (~3.5 min at a million stories on 2 cores; the table holds the old row
// versions until vacuumed). SQLite's FTS5 search reads candidates newest-first by row id and
// filters them with the story row: it needs neither.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents d
    set document = d.document || array_to_tsvector(array_remove(array[
      '@s' || a.section_id,
      '@y' || extract(year from a.published_at::timestamptz at time zone 'UTC')::int::text
    ], null))
    from articles a
    where a.id = d.article_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents
    set document = ts_delete(document, array(select lexeme from unnest(document) where lexeme like '@s%' or lexeme like '@y%'))
    where document::text like '%''@s%' or document::text like '%''@y%'`.execute(db);
}
