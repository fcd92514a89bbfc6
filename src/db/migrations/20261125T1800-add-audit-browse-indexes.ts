import type { Kysely } from 'kysely';

// Frozen. The newsroom audit log pages through everything newest first, or through one
// action (group) newest first; without these both scan the whole table.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('audit_log_at_id_idx').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_action_at_idx').on('audit_log').columns(['action', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_action_at_idx').execute();
  await db.schema.dropIndex('audit_log_at_id_idx').execute();
}
