import { SqliteAdapter, type Kysely } from 'kysely';

// Frozen. SQLite only: a search looks up each of its candidates' stories by id to apply the
// visibility rule and the filters. A story's row holds its body, and reaching the columns
// stored after it (embargo_until) walked the body's overflow pages: ~6 µs a candidate, most of
// a search's cost on 100,000 stories. This index covers those columns, so the row is never
// read. PostgreSQL reads them from the heap tuple without detoasting the body: not needed there.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await db.schema
    .createIndex('articles_search_filter_idx')
    .on('articles')
    .columns(['id', 'status', 'published_at', 'embargo_until', 'section_id', 'language'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await db.schema.dropIndex('articles_search_filter_idx').execute();
}
