import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Breaking-news alerts: a site-wide banner linking to a story,
// raised by an editor, cleared by hand or at `expires_at`. At most one is active; older rows
// stay as the record of what was shown.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('breaking_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('cleared_at', 'text')
    .addColumn('cleared_by', 'text')
    .execute();
  // The active alert: not cleared, newest first.
  await db.schema.createIndex('breaking_alerts_active_idx').on('breaking_alerts').columns(['cleared_at', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('breaking_alerts').execute();
}
