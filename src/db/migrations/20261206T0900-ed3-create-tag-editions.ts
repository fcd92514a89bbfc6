import type { Kysely } from 'kysely';

// Frozen: never edit after merge. A tag's name in a language edition (`Geneva talks` is
// `Pourparlers de Genève` in French); an edition without one shows the tag's own name. The
// address stays the tag's own slug in every edition.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tag_editions')
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('edition_id', 'text', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tag_editions_pk', ['tag_id', 'edition_id'])
    .execute();
  // Pages read one edition's names for a few tags at once.
  await db.schema.createIndex('tag_editions_edition_idx').on('tag_editions').columns(['edition_id', 'tag_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tag_editions').execute();
}
