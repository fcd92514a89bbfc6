import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. PostgreSQL: every published story's tsvector gains the lexemes of the block of four
// weeks it was published in, alone ("@f" and the block: the week number since 1970-01-01,
// counted in 7-day spans, divided by four) and with its section ("@s", the section's id, "f"
// and the block), as domain/search/search-index.ts writes them from now on: a search step asks
// a span of weeks with as few lexemes as cover it. SQLite's FTS5 search needs no such lexeme.

/** A document's block, as text (null section ids make their lexeme null, dropped). */
const block = sql.raw('floor(floor(extract(epoch from published_at::timestamptz) / 604800) / 4)::bigint::text');

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents
    set document = document || array_to_tsvector(array_remove(array['@f' || ${block}, '@s' || section_id || 'f' || ${block}], null))
    where published_at is not null`.execute(db);
}

// The update left a dead row version per document: the index is rebuilt from live rows after
// it, as after the section-week lexemes' (same work, frozen there).
export { afterCommit } from './20261210T0900-add-search-section-week-terms.ts';

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents
    set document = ts_delete(document, array_remove(array['@f' || ${block}, '@s' || section_id || 'f' || ${block}], null))
    where published_at is not null`.execute(db);
}
