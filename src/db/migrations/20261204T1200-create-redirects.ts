import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Old addresses of stories moved in from another platform
// (a WordPress permalink or `/?p=123`, a Ghost `/slug/`), each answering 301 to the story's
// Masthead address. Looked up only when a public request would otherwise be a 404.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('redirects')
    /** The normalised old address: a path without its trailing slash, or `/?p=123` / `/?page_id=2`. */
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    /** Where it came from: `wordpress` or `ghost`. */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('redirects_article_idx').on('redirects').column('article_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('redirects').execute();
}
