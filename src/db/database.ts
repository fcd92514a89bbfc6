import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type SqliteDatabase,
  type Transaction,
} from 'kysely';
import type { DatabaseTarget } from '../config.ts';
import type { Database } from './schema.ts';
import { createObserverHooks, registerObserver, type ObserverHooks } from './database-observer.ts';
import { SqliteReadWorker } from './sqlite-read-worker.ts';

export type DialectName = 'sqlite' | 'postgres';

/** A handle usable both outside and inside a transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Which database `db` talks to, for code not handed the dialect (a query built once per database). */
export function dialectOf(db: Db): DialectName {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

/**
 * Raised when the database cannot be reached or used: at start (main.ts prints its message as
 * one line) and while serving (http/errors.ts answers 503 without its message, which may name
 * the server, the file or the driver's words). `detached`: the SQLite file the server opened
 * is no longer at its path, so anything written now would be lost.
 */
export class DatabaseUnavailableError extends Error {
  readonly detached: boolean;
  constructor(message: string, options: { cause?: unknown; detached?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DatabaseUnavailableError';
    this.detached = options.detached ?? false;
  }
}

/*
 * Driver failures that mean "the database is not there", by their stable codes (never their
 * text). Connection attempts are turned into DatabaseUnavailableError where they happen (the
 * pool below); these are what a query on an open connection can still meet.
 * PostgreSQL SQLSTATE: class 08 (connection exception), 57P01-57P03 (server shutting down,
 * crash, not yet accepting), 3D000 (the database was dropped), 53300 (too many connections).
 * SQLite: the file cannot be opened or read any more. Node: the socket went away.
 */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '3D000',
  '53300',
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
  'SQLITE_READONLY_DBMOVED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/** Whether a thrown value means the database cannot be reached or used right now (a 503, not a bug). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || code.startsWith('SQLITE_IOERR');
}

/** Whether the database can serve and store: reachable, and (SQLite) still the file at its path. */
export async function checkDatabase(db: Kysely<Database>): Promise<void> {
  sqliteFiles.get(db)?.assertAttached();
  await db.selectFrom('sections').select('id').limit(1).execute();
}

// PostgreSQL returns BIGINT counts as strings; our counts always fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
// REAL / DOUBLE come back as strings too on some setups; keep them numeric.
pg.types.setTypeParser(700, (v) => Number.parseFloat(v));
pg.types.setTypeParser(701, (v) => Number.parseFloat(v));

/** The pragmas, in order: rows sampled per index (SQLite's recommended bound: fast on any
 * archive), then analyse every table whose statistics are missing or stale (0x10002: all tables,
 * not only those this connection has queried). */
export const SQLITE_OPTIMIZE_PRAGMAS = ['analysis_limit = 1000', 'optimize = 0x10002'] as const;

/** Opens the configured database and checks that it answers. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'sqlite') {
    let sqlite: SQLite.Database;
    const inMemory = target.file === ':memory:';
    try {
      if (!inMemory && target.create) fs.mkdirSync(path.dirname(target.file), { recursive: true });
      // A configured file that is missing was moved or lost: creating an empty one in its
      // place would serve an empty site and take writes nobody will find (config.ts decides).
      sqlite = new SQLite(target.file, { fileMustExist: !inMemory && !target.create });
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      // At open, as SQLite advises for long-lived connections (db/planner-statistics.ts).
      for (const pragma of SQLITE_OPTIMIZE_PRAGMAS) sqlite.pragma(pragma);
    } catch (err) {
      if (!inMemory && !target.create && !fs.existsSync(target.file)) {
        throw new DatabaseUnavailableError(
          `The SQLite database ${target.file} does not exist. If it was moved, put it back or point MASTHEAD_DATABASE_URL at it; ` +
            'to start a new, empty database at this path, set MASTHEAD_DATABASE_CREATE=true.',
          { cause: err },
        );
      }
      throw new DatabaseUnavailableError(`Cannot open SQLite database ${target.file}: ${(err as Error).message}`, { cause: err });
    }
    const file = inMemory ? undefined : sqliteFileGuard(target.file);
    const hooks = createObserverHooks();
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, file) }), log: hooks.log });
    registerObserver(db, hooks.observer);
    // A second, read-only connection serves the public pages' precompiled reads directly:
    // WAL gives it committed snapshots while Kysely's single writer connection is busy.
    let reader: SQLite.Database | undefined;
    if (file) {
      sqliteFiles.set(db, file);
      reader = new SQLite(target.file, { readonly: true });
      reader.pragma('busy_timeout = 5000');
      directReaders.set(db, withStatementCache(reader));
      directReports.set(db, hooks.report);
      offThreadReaders.set(db, new SqliteReadWorker(target.file, (message, cause) => new DatabaseUnavailableError(message, { cause })));
    }
    return {
      db,
      dialect: 'sqlite',
      close: async () => {
        await offThreadReaders.get(db)?.close();
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
  const hooks = createObserverHooks(() => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: pool.options.max,
  }));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: outageAwarePool(pool) }), log: hooks.log });
  registerObserver(db, hooks.observer);
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

const directReaders = new WeakMap<object, SqliteDatabase>();
const directReports = new WeakMap<object, ObserverHooks['report']>();

/**
 * Runs a compiled read-only query straight on the SQLite reader connection, skipping
 * Kysely's per-query connection handling. Undefined when the database has no such reader
 * (PostgreSQL, in-memory SQLite, or inside a transaction, whose Transaction object is not
 * registered and must see its own writes).
 */
export function directReader(db: Db): ((sql: string, parameters: readonly unknown[], arrays?: boolean) => unknown[]) | undefined {
  const reader = directReaders.get(db);
  if (!reader) return undefined;
  const report = directReports.get(db);
  return (sql, parameters, arrays) => {
    // Timed like Kysely's own queries (the metrics' query time), at two clock reads' cost.
    const start = performance.now();
    let failed = true;
    try {
      const stmt = reader.prepare(sql) as unknown as SQLite.Statement;
      let rows: unknown[];
      if (arrays) {
        // Each row as an array of its values in select order (better-sqlite3's raw mode),
        // set for this run only: the statement is shared by its SQL text.
        stmt.raw(true);
        try {
          rows = stmt.all(parameters);
        } finally {
          stmt.raw(false);
        }
      } else rows = stmt.all(parameters);
      failed = false;
      return rows;
    } finally {
      report?.(performance.now() - start, failed);
    }
  };
}

const offThreadReaders = new WeakMap<object, SqliteReadWorker>();

/**
 * Runs a compiled read-only query on a SQLite reader connection of its own thread
 * (db/sqlite-read-worker.ts), for reads heavy enough to hold the event loop; undefined where
 * directReader is.
 */
export function offThreadReader(db: Db): ((sql: string, parameters: readonly unknown[]) => Promise<unknown[]>) | undefined {
  const worker = offThreadReaders.get(db);
  if (!worker) return undefined;
  const report = directReports.get(db);
  return async (sql, parameters) => {
    const start = performance.now();
    let failed = true;
    try {
      const rows = await worker.all(sql, parameters);
      failed = false;
      return rows;
    } finally {
      report?.(performance.now() - start, failed);
    }
  };
}

/**
 * Every failure to get a connection (refused, timed out, the database dropped) means the
 * database is unavailable, whatever the driver's error looks like; queries then answer 503.
 * So does a query that fails because its connection was cut (the server went away mid-way):
 * pg reports that without a SQLSTATE, but the client has emitted `error`/`end` by then.
 */
function outageAwarePool(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw new DatabaseUnavailableError(`Cannot connect to PostgreSQL: ${(err as Error).message}`, { cause: err });
      }
      if (!watchedClients.has(client)) {
        watchedClients.add(client);
        const lost = () => lostClients.add(client);
        client.on('error', lost);
        client.on('end', lost);
      }
      return {
        query: ((...args: Parameters<pg.PoolClient['query']>) => {
          // A hot query (db/prepared.ts) runs as a named statement: parsed and planned once per
          // connection instead of on every run (planning cost more than running it).
          const name = typeof args[0] === 'string' ? statementNames.get(args[0]) : undefined;
          const result = name
            ? client.query({ name, text: args[0] as string, values: args[1] as unknown[] })
            : (client.query as (...a: unknown[]) => unknown)(...args);
          if (!(result instanceof Promise)) return result;
          return result.catch((err: unknown) => {
            if (lostClients.has(client))
              throw new DatabaseUnavailableError(`PostgreSQL connection lost: ${(err as Error).message}`, { cause: err });
            throw err;
          });
        }) as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}

/** SQL texts run as named (server-side prepared) statements on PostgreSQL, with their names. */
const statementNames = new Map<string, string>();

/**
 * Marks a query text whose shape never changes as worth preparing on the server: each pooled
 * connection parses and plans it once (PostgreSQL keeps the plan, generic after a few runs if
 * that costs no more) and later runs only bind the values. Only fixed shapes may be marked:
 * each name stays prepared on every connection for the connection's life.
 */
export function keepPreparedOnServer(sql: string): void {
  if (!statementNames.has(sql) && statementNames.size < MAX_STATEMENT_NAMES) statementNames.set(sql, `masthead_${statementNames.size + 1}`);
}

/** Statements kept prepared at most (a bound on each connection's plan memory on the server). */
const MAX_STATEMENT_NAMES = 400;

const watchedClients = new WeakSet<object>();
const lostClients = new WeakSet<object>();

const sqliteFiles = new WeakMap<object, SqliteFileGuard>();

interface SqliteFileGuard {
  /** Throws DatabaseUnavailableError (detached) once the path no longer leads to the file opened. */
  assertAttached(): void;
}

/**
 * SQLite keeps writing to an open file after it was moved or deleted (in WAL mode it does not
 * notice at all), so writes would be acknowledged into a file nobody will open again. The
 * file's identity (device, inode) at open is compared with what the path leads to now.
 */
function sqliteFileGuard(file: string): SqliteFileGuard {
  const opened = fs.statSync(file);
  return {
    assertAttached() {
      const now = fs.statSync(file, { throwIfNoEntry: false });
      if (now && now.ino === opened.ino && now.dev === opened.dev) return;
      throw new DatabaseUnavailableError(
        `The SQLite database ${file} has been moved or deleted since the server opened it; restart the server with the file in place.`,
        { detached: true },
      );
    },
  };
}

/**
 * Kysely prepares every query afresh; preparing costs more than running a small indexed
 * query, so statements are kept by SQL text (bounded, oldest dropped first). With a file
 * guard, every statement that may write (commit included) first checks that the file is still
 * in place: a refused write rolls back instead of being acknowledged. Rollbacks are let
 * through, so a refused transaction can still end.
 */
function withStatementCache(sqlite: SQLite.Database, file?: SqliteFileGuard, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      if (!sqlite.open) throw new DatabaseUnavailableError('The SQLite database connection is closed.');
      const stmt = cachedStatement(sql);
      if (file && !stmt.reader && !/^\s*rollback\b/i.test(sql)) file.assertAttached();
      return stmt;
    },
  };

  function cachedStatement(sql: string): SQLite.Statement {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = sqlite.prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
    }
    return stmt;
  }
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
