import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. Every search document keeps its story's publication time, section and the instant
// from which readers may see it (domain/articles/article-visibility.ts `visibleFrom`: the
// publication time, or the embargo's end when later; null unless published), written with the
// story from now on (domain/search/search-index.ts). A public search on PostgreSQL then reads
// no story row per match (each cost an index probe and a heap row, ~70 % of a step). One pass
// over the documents (the table holds the old row versions until vacuumed), then the
// full-text index rebuilt.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('search_documents').addColumn('published_at', 'text').execute();
  await db.schema.alterTable('search_documents').addColumn('section_id', 'text').execute();
  await db.schema.alterTable('search_documents').addColumn('visible_from', 'text').execute();
  await sql`update search_documents as d
    set published_at = a.published_at, section_id = a.section_id,
      visible_from = case when a.status = 'published' and a.published_at is not null
        then case when a.embargo_until is not null and a.embargo_until > a.published_at then a.embargo_until else a.published_at end
      end
    from articles as a
    where a.id = d.article_id`.execute(db);
  // Every document got a new row version, and GIN indexed each one: at a million stories the
  // index came out of the update ~40 times slower to scan (22 ms against 0.6 ms for a word and
  // a week) until rebuilt (~30 s there, writes to the table wait meanwhile).
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await sql`reindex index search_documents_document_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('search_documents').dropColumn('visible_from').execute();
  await db.schema.alterTable('search_documents').dropColumn('section_id').execute();
  await db.schema.alterTable('search_documents').dropColumn('published_at').execute();
}
