import type { Kysely } from 'kysely';

// Frozen. Expired sessions are swept periodically (`delete … where expires_at <= now`); the
// newsroom's table has had this index since it was created, the readers' one (which grows
// with every reader who signs in) had not, so each sweep scanned it whole.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('reader_sessions_expires_at_idx').on('reader_sessions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reader_sessions_expires_at_idx').execute();
}
