import { sql, type Kysely } from 'kysely';

// Frozen: never edit after merge. A per-story change sequence for live entries: every write of
// an entry takes the story's next number in its own transaction (the counter row is locked until
// commit, so numbers follow commit order), and readers resume from it (the Content API's `since`,
// the live stream's event id). Timestamps could not do that: a slower writer commits an earlier
// time after a reader has already moved past it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('live_entries')
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Existing entries numbered in the order their last writes were read until now.
  await sql`UPDATE live_entries SET seq = (
    SELECT COUNT(*) FROM live_entries e2
    WHERE e2.article_id = live_entries.article_id
      AND (e2.modified_at < live_entries.modified_at OR (e2.modified_at = live_entries.modified_at AND e2.id <= live_entries.id))
  )`.execute(db);
  await db.schema.createIndex('live_entries_seq_idx').unique().on('live_entries').columns(['article_id', 'seq']).execute();

  await db.schema
    .createTable('live_entry_sequences')
    .addColumn('article_id', 'text', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO live_entry_sequences (article_id, last_seq)
    SELECT article_id, MAX(seq) FROM live_entries GROUP BY article_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('live_entry_sequences').execute();
  await db.schema.dropIndex('live_entries_seq_idx').execute();
  await db.schema.alterTable('live_entries').dropColumn('seq').execute();
}
