import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. The front desk's story picker matches any fragment of a headline as the editor types
// (`lower(headline) like '%…%'`, domain/fronts/front-story-picker.ts); a B-tree cannot answer
// that, so a fragment in no headline read every story: 2.5 s at a million on PostgreSQL. A
// trigram index (pg_trgm) answers it from the index. pg_trgm ships with PostgreSQL's contrib
// modules and is a trusted extension (a database owner may create it); where it is not
// installed the picker still works, walking stories by date, and this migration leaves the
// index out rather than stop the upgrade. SQLite's archives are small: nothing to do.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  // A savepoint: a refused CREATE EXTENSION must not abort the migrations' transaction.
  await sql`savepoint pg_trgm_extension`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint pg_trgm_extension`.execute(db);
    return;
  }
  await sql`release savepoint pg_trgm_extension`.execute(db);
  await sql`create index articles_headline_trgm_idx on articles using gin (lower(headline) gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  // The extension stays: other objects of the database may use it.
  await sql`drop index if exists articles_headline_trgm_idx`.execute(db);
}
