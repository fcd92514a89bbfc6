import type { Kysely } from 'kysely';

// Frozen. Which fixed-ratio crops (1:1, 4:3, 16:9) of an image are on disk, as a JSON list;
// null for images stored before crops existed, until the back-fill has made theirs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('images').addColumn('crops', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('images').dropColumn('crops').execute();
}
