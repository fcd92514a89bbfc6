import type { Kysely } from 'kysely';

// Frozen. A search reads its query in the languages the index holds stories in (one probe per
// text-search configuration), not in all ten: this index makes each probe a lookup rather than
// a scan of the documents for a language the archive has none of.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('search_documents_config_idx').on('search_documents').column('config').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('search_documents_config_idx').execute();
}
