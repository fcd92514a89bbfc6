import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Sharable preview links: an unguessable, expiring, revocable
// address for a draft. Only the SHA-256 of the secret is kept, so the table (or a backup of it)
// cannot be used to open a preview; the open count and time say whether the link was used.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('preview_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('open_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_opened_at', 'text')
    .execute();
  await db.schema.createIndex('preview_links_article_idx').on('preview_links').columns(['article_id', 'expires_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('preview_links').execute();
}
