import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Language editions of the site (one newsroom, many
// languages), the per-edition names and slugs of sections, and the link from a translation to
// the story it was made from (what it was synced with, and whether the source moved on since).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('editions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** Short code shown in the newsroom (`en`, `fr`, `ar`). */
    .addColumn('code', 'text', (c) => c.notNull().unique())
    /** BCP 47 language tag; a story belongs to the edition of its language. */
    .addColumn('language', 'text', (c) => c.notNull().unique())
    .addColumn('locale', 'text', (c) => c.notNull())
    /** `ltr` or `rtl`. */
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('site_name', 'text')
    /** First path segment (`fr`), null for the default edition or one on its own host. */
    .addColumn('path_prefix', 'text', (c) => c.unique())
    .addColumn('host', 'text', (c) => c.unique())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('section_editions')
    .addColumn('section_id', 'text', (c) => c.notNull().references('sections.id').onDelete('cascade'))
    .addColumn('edition_id', 'text', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('section_editions_pk', ['section_id', 'edition_id'])
    .execute();
  await db.schema.createIndex('section_editions_slug_uq').on('section_editions').columns(['edition_id', 'slug']).unique().execute();
  await db.schema
    .createTable('translation_links')
    /** The translation. */
    .addColumn('article_id', 'text', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('source_article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    /** The source's revision and text the translation was last made or confirmed against. */
    .addColumn('synced_revision', 'integer', (c) => c.notNull())
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .addColumn('synced_headline', 'text', (c) => c.notNull())
    .addColumn('synced_standfirst', 'text', (c) => c.notNull())
    .addColumn('synced_body_text', 'text', (c) => c.notNull())
    /** Set by the source's write when it is updated or corrected after publication; cleared by an editor's confirm. */
    .addColumn('out_of_date_since', 'text')
    .execute();
  await db.schema.createIndex('translation_links_source_idx').on('translation_links').column('source_article_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('translation_links').execute();
  await db.schema.dropTable('section_editions').execute();
  await db.schema.dropTable('editions').execute();
}
