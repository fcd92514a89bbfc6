import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. PostgreSQL: every published story's tsvector gains one lexeme naming its section and
// publication week together ("@s", the section's id, "w", the week number since 1970-01-01
// counted in 7-day spans), as domain/search/search-index.ts writes it from now on: a search
// filtered by section steps back through weeks with these, so GIN walks only that section's
// postings of those weeks. One pass over the documents, then the full-text index rebuilt (a
// mass update leaves it much slower to scan, see 20261209T0900). SQLite's FTS5 search needs
// no such lexeme.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents
    set document = document || array_to_tsvector(array[
      '@s' || section_id || 'w' || floor(extract(epoch from published_at::timestamptz) / 604800)::bigint::text
    ])
    where published_at is not null and section_id is not null`.execute(db);
  await sql`reindex index search_documents_document_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents
    set document = ts_delete(document, array(select lexeme from unnest(document) where lexeme ~ '^@s.+w[0-9]+$'))
    where published_at is not null`.execute(db);
}
