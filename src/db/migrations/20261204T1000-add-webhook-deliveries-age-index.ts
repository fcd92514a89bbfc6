import type { Kysely } from 'kysely';

// Frozen. Finished deliveries past the retention are pruned by age (`status in (succeeded,
// failed) and created_at < cutoff`), and the metrics ask for the oldest undelivered one; the
// existing indexes lead with next_attempt_at or webhook_id, so both scanned the whole log.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('webhook_deliveries_status_created_idx').on('webhook_deliveries').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_status_created_idx').execute();
}
