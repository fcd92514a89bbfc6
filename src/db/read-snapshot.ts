import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Transaction } from 'kysely';
import type { DialectName } from './database.ts';
import type { Database } from './schema.ts';

/**
 * Runs `fn` inside one read-only snapshot of the whole database while the site keeps writing:
 * every query in it sees the data as of one moment.
 *
 * PostgreSQL: a REPEATABLE READ READ ONLY transaction on a pooled connection (the snapshot is
 * taken at its first query). SQLite: Kysely has one connection, and holding it would stop every
 * writer of this process, so the snapshot is a read transaction on a connection of its own to the
 * same file; WAL lets writers go on while it reads the pages as of its first read. An in-memory
 * SQLite database has no second connection: there the transaction runs on the only one.
 */
export async function withReadSnapshot<T>(
  db: Kysely<Database>,
  dialect: DialectName,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
  const file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db)).rows[0]?.file;
  if (!file) return db.transaction().execute(fn);
  const connection = new SQLite(file, { readonly: true, fileMustExist: true });
  connection.pragma('busy_timeout = 5000');
  const snapshot = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  try {
    return await snapshot.transaction().execute(fn);
  } finally {
    await snapshot.destroy();
  }
}
