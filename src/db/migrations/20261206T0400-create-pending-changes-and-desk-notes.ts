import type { Kysely } from 'kysely';

// Frozen. Two newsroom-only tables beside the story, never inside its document:
// - article_pending_changes: an edit to a live story waiting for an editor (one per story),
//   the validated article input as JSON; the live story is untouched until it is published.
// - editorial_notes: the desk's notes on a passage of a story, threaded, resolvable; outside the
//   block document so no reader-facing read model, export or feed can ever carry them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('article_pending_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().unique().references('articles.id').onDelete('cascade'))
    // The live revision the change was started from: the review says when the story moved on since.
    .addColumn('base_revision', 'integer', (c) => c.notNull())
    // The change's own counter, so two tabs autosaving one pending change cannot overwrite each other.
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('article_pending_changes_updated_idx').on('article_pending_changes').columns(['updated_at', 'id']).execute();
  await db.schema
    .createTable('editorial_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    // Null for a thread's first note; replies name it.
    .addColumn('thread_id', 'text', (c) => c.references('editorial_notes.id').onDelete('cascade'))
    .addColumn('author_user_id', 'text', (c) => c.notNull())
    // The passage the thread is about (first note only): its words and the body block it was in.
    .addColumn('quote', 'text')
    .addColumn('block_index', 'integer')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .execute();
  await db.schema.createIndex('editorial_notes_article_idx').on('editorial_notes').columns(['article_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('editorial_notes_thread_idx').on('editorial_notes').columns(['thread_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('editorial_notes').execute();
  await db.schema.dropTable('article_pending_changes').execute();
}
