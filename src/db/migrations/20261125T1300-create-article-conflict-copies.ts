import type { Kysely } from 'kysely';

// Frozen. Edits refused because someone else saved first are kept here, never thrown away,
// so the writer can compare and take theirs over the latest. Also the story list's orders.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('article_conflict_copies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('base_revision', 'integer', (c) => c.notNull())
    .addColumn('current_revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    // JSON text of the refused, already validated article input.
    .addColumn('input', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('article_conflict_copies_article_idx')
    .on('article_conflict_copies')
    .columns(['article_id', 'resolved_at', 'created_at'])
    .execute();
  // The newsroom story list sorts by last change, overall and per creator.
  await db.schema.createIndex('articles_modified_idx').on('articles').columns(['modified_at', 'id']).execute();
  await db.schema.createIndex('articles_created_by_modified_idx').on('articles').columns(['created_by', 'modified_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('articles_created_by_modified_idx').execute();
  await db.schema.dropIndex('articles_modified_idx').execute();
  await db.schema.dropTable('article_conflict_copies').execute();
}
