import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Who has a story open in the editor (one row per browser
// tab, kept alive by heartbeats) and who holds its soft editing lock. In the database so every
// node sees the same desk; rows past `expires_at` are ignored and swept by the next heartbeat.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('story_presence')
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    // A random id per open editor tab, so one person in two tabs is two presences.
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The field being edited (`headline`, `body`…), empty when only reading.
    .addColumn('field', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_presence_pk', ['article_id', 'client_id'])
    .execute();
  await db.schema
    .createTable('story_locks')
    .addColumn('article_id', 'text', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    // The holder's heartbeat moves it; past it the lock is free for anyone.
    .addColumn('expires_at', 'text', (c) => c.notNull())
    // The last takeover, so the tab that lost the lock is told by whom and when.
    .addColumn('taken_from_client_id', 'text')
    .addColumn('taken_by_user_id', 'text')
    .addColumn('taken_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('story_locks').execute();
  await db.schema.dropTable('story_presence').execute();
}
