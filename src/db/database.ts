import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
import type { DatabaseTarget } from '../config.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

/** A handle usable both outside and inside a transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

/** Raised when the database cannot be reached; main.ts prints its message as one line. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

// PostgreSQL returns BIGINT counts as strings; our counts always fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
// REAL / DOUBLE come back as strings too on some setups; keep them numeric.
pg.types.setTypeParser(700, (v) => Number.parseFloat(v));
pg.types.setTypeParser(701, (v) => Number.parseFloat(v));

/** Opens the configured database and checks that it answers. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'sqlite') {
    let sqlite: SQLite.Database;
    try {
      if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
      sqlite = new SQLite(target.file);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
    } catch (err) {
      throw new DatabaseUnavailableError(`Cannot open SQLite database ${target.file}: ${(err as Error).message}`, { cause: err });
    }
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    // A second, read-only connection serves the public pages' precompiled reads directly:
    // WAL gives it committed snapshots while Kysely's single writer connection is busy.
    let reader: SQLite.Database | undefined;
    if (target.file !== ':memory:') {
      reader = new SQLite(target.file, { readonly: true });
      reader.pragma('busy_timeout = 5000');
      directReaders.set(db, withStatementCache(reader));
    }
    return {
      db,
      dialect: 'sqlite',
      close: async () => {
        await db.destroy();
        reader?.close();
      },
    };
  }

  const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client error (server restart) must not crash the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(
      `Cannot connect to PostgreSQL at ${redactUrl(target.url)}: ${(err as Error).message || (err as { code?: string }).code || 'connection failed'}`,
      { cause: err },
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

const directReaders = new WeakMap<object, SqliteDatabase>();

/**
 * Runs a compiled read-only query straight on the SQLite reader connection, skipping
 * Kysely's per-query connection handling. Undefined when the database has no such reader
 * (PostgreSQL, in-memory SQLite, or inside a transaction, whose Transaction object is not
 * registered and must see its own writes).
 */
export function directReader(db: Db): ((sql: string, parameters: readonly unknown[]) => unknown[]) | undefined {
  const reader = directReaders.get(db);
  if (!reader) return undefined;
  return (sql, parameters) => reader.prepare(sql).all(parameters) as unknown[];
}

/**
 * Kysely prepares every query afresh; preparing costs more than running a small indexed
 * query, so statements are kept by SQL text (bounded, oldest dropped first).
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
