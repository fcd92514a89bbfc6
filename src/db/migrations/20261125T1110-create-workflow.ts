import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Portable types only (text ids and times, integer counters).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('embargo_until', 'text').execute();
  await db.schema.alterTable('articles').addColumn('scheduled_at', 'text').execute();
  await db.schema.alterTable('articles').addColumn('created_by', 'text').execute();

  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // The scheduler's only hot query: the earliest pending jobs.
  await db.schema.createIndex('scheduled_jobs_status_run_at_idx').on('scheduled_jobs').columns(['status', 'run_at']).execute();
  await db.schema.createIndex('scheduled_jobs_article_idx').on('scheduled_jobs').columns(['article_id', 'status']).execute();

  await db.schema
    .createTable('article_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('article_revisions_article_revision_uq')
    .on('article_revisions')
    .columns(['article_id', 'revision'])
    .unique()
    .execute();

  await db.schema
    .createTable('article_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('article_notes_article_idx').on('article_notes').columns(['article_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['article_notes', 'article_revisions', 'scheduled_jobs']) await db.schema.dropTable(t).execute();
  for (const c of ['created_by', 'scheduled_at', 'embargo_until']) await db.schema.alterTable('articles').dropColumn(c).execute();
}
