import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Live coverage: a story may be a live blog (flag and coverage
// window on the story itself, written by the story write path), and its timestamped entries.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('articles')
    .addColumn('live_blog', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('articles').addColumn('coverage_start_at', 'text').execute();
  await db.schema.alterTable('articles').addColumn('coverage_end_at', 'text').execute();

  await db.schema
    .createTable('live_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    // draft | published
    .addColumn('status', 'text', (c) => c.notNull())
    // JSON array of author ids, in byline order.
    .addColumn('author_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('key_event', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Every write sets it: open live streams resume from (modified_at, id).
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('correction_note', 'text')
    .addColumn('corrected_at', 'text')
    .addColumn('deleted_at', 'text')
    // JSON text of the validated ArticleDocument; last, as on articles.
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  // The reader page's keyset pages (newest or oldest first) and the streams' "changed since".
  await db.schema.createIndex('live_entries_page_idx').on('live_entries').columns(['article_id', 'published_at', 'id']).execute();
  await db.schema.createIndex('live_entries_changes_idx').on('live_entries').columns(['article_id', 'modified_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('live_entries').execute();
  await db.schema.alterTable('articles').dropColumn('coverage_end_at').execute();
  await db.schema.alterTable('articles').dropColumn('coverage_start_at').execute();
  await db.schema.alterTable('articles').dropColumn('live_blog').execute();
}
