import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. PostgreSQL: every published story's tsvector gains one lexeme naming its section and
// publication week together ("@s", the section's id, "w", the week number since 1970-01-01
// counted in 7-day spans), as domain/search/search-index.ts writes it from now on: a search
// filtered by section steps back through weeks with these, so GIN walks only that section's
// postings of those weeks. SQLite's FTS5 search needs no such lexeme.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents
    set document = document || array_to_tsvector(array[
      '@s' || section_id || 'w' || floor(extract(epoch from published_at::timestamptz) / 604800)::bigint::text
    ])
    where published_at is not null and section_id is not null`.execute(db);
}

/** Documents past which the index is rebuilt after the update (below, a rebuild gains nothing). */
const REBUILD_FROM_DOCUMENTS = 10_000;

// The update left a dead row version per document. A GIN index holding them (the update's own
// entries, or a rebuild inside the migration's transaction, which indexes them too) scans up to
// ~50 times slower once VACUUM has removed them (0.55 → 29.6 ms for a word and a week at a
// million stories), so the dead versions go first, then the index is rebuilt from live rows
// alone, CONCURRENTLY: searches and saves go on meanwhile.
export async function afterCommit(db: Kysely<any>, fromDocuments = REBUILD_FROM_DOCUMENTS): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  const { rows } = await sql<{ n: number }>`select reltuples::bigint as n from pg_class where oid = 'search_documents'::regclass`.execute(
    db,
  );
  if (Number(rows[0]?.n ?? 0) < fromDocuments) return;
  await sql`vacuum (analyze) search_documents`.execute(db);
  await sql`reindex index concurrently search_documents_document_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents
    set document = ts_delete(document, array(select lexeme from unnest(document) where lexeme ~ '^@s.+w[0-9]+$'))
    where published_at is not null`.execute(db);
}
