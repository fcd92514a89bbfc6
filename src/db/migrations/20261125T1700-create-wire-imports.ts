import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Which article a wire item (ninjs `uri`) or imported web
// page (its URL) became, so importing it again updates that article instead of duplicating.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wire_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** `ninjs` or `html`. */
    .addColumn('source_kind', 'text', (c) => c.notNull())
    /** The ninjs `uri`, or the page URL of an HTML import. */
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    /** The ninjs version the item was validated against (e.g. `2.2`); null for HTML. */
    .addColumn('ninjs_version', 'text')
    /** The item's own `version` and `versioncreated`, to tell a newer copy from an older one. */
    .addColumn('item_version', 'text')
    .addColumn('version_created', 'text')
    /** The article revision the last import wrote; a different current revision means the desk edited it since. */
    .addColumn('article_revision', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wire_imports_source_uq').on('wire_imports').columns(['source_kind', 'source_key']).unique().execute();
  await db.schema.createIndex('wire_imports_article_idx').on('wire_imports').column('article_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wire_imports').execute();
}
