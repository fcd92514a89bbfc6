import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. A PostgreSQL search step reads, for each story the index finds, its date and
// visibility (to filter and order the matches) and the tsvector of the ones it checks for a
// phrase or ranks. With every column stored EXTENDED (the default), a document of ordinary
// length was moved out of the row into TOAST, the row being over 2 KB with the text and the
// phrase pairs: each one read cost a TOAST index probe and its chunks, ~6 µs and 10 buffers,
// which made most of a phrase step at a million stories (1,519 buffers a step). MAIN keeps
// the document compressed in the row (PostgreSQL moves it out only when the row still would
// not fit in a page), and the text, meta and phrase pairs, read for a page of results only,
// go out of the row instead. The small columns every match reads are PLAIN: PostgreSQL
// compresses a MAIN column only after moving every EXTENDED one out of the row, small ones
// included, and each of those was then a TOAST probe of its own. Rows written before this
// keep their layout until written again: a save rewrites a story's, `search reindex` all.
// SQLite has no TOAST: nothing to do.
const IN_ROW = ['article_id', 'language', 'config', 'published_at', 'section_id', 'visible_from'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`alter table search_documents alter column document set storage main, ${sql.join(
    IN_ROW.map((c) => sql`alter column ${sql.ref(c)} set storage plain`),
  )}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`alter table search_documents ${sql.join(['document', ...IN_ROW].map((c) => sql`alter column ${sql.ref(c)} set storage extended`))}`.execute(
    db,
  );
}
