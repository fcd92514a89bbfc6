import type { Kysely } from 'kysely';

// Frozen: never edit after merge. The newsroom media library lists images newest first
// (keyset over created_at, id), records which rendition formats exist on disk (so pages
// never offer a format that was not made) and keeps the uploaded file's name for search.
export async function up(db: Kysely<any>): Promise<void> {
  // Every image stored before this migration was rendered in all three formats.
  await db.schema
    .alterTable('images')
    .addColumn('formats', 'text', (c) => c.notNull().defaultTo('["avif","webp","jpg"]'))
    .execute();
  await db.schema
    .alterTable('images')
    .addColumn('original_filename', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('images_created_at_id_idx').on('images').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('images_created_at_id_idx').execute();
  await db.schema.alterTable('images').dropColumn('original_filename').execute();
  await db.schema.alterTable('images').dropColumn('formats').execute();
}
