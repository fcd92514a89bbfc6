import { SqliteAdapter, sql, type Kysely } from 'kysely';

// Frozen. `article_related.score` was created as `real`: 8 bytes on SQLite but 4 on
// PostgreSQL, so a score moved between the two (a backup restored on the other database) came
// back rounded. Double precision on PostgreSQL makes both hold the same value; SQLite's REAL
// already is one.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`alter table article_related alter column score type double precision`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`alter table article_related alter column score type real`.execute(db);
}
