import { sql, type Kysely } from 'kysely';

// Frozen. A story whose embargo lifts becomes visible with no write at all; the publishing
// scheduler finds those (to purge page caches) every second with a range on embargo_until.
// Partial: only embargoed stories are indexed, so the index stays small.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('articles_embargo_until_idx')
    .on('articles')
    .column('embargo_until')
    .where(sql.ref('embargo_until'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('articles_embargo_until_idx').execute();
}
