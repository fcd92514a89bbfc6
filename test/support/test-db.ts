import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type DialectName } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/*
 * Every storage and HTTP test runs once per dialect. SQLite always runs; PostgreSQL runs
 * when its server answers (MASTHEAD_TEST_POSTGRES_URL, default the local trust-auth server).
 * Under CI=true an unreachable PostgreSQL fails the run instead of being skipped.
 */

export const POSTGRES_ADMIN_URL = process.env.MASTHEAD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface DialectCase {
  dialect: DialectName;
  /** Set when this dialect cannot run here; pass it to node:test's `skip`. */
  skip: string | false;
}

let postgresProbe: Promise<string | false> | undefined;

async function probePostgres(): Promise<string | false> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return false;
  } catch (err) {
    const reason = `PostgreSQL not reachable at ${POSTGRES_ADMIN_URL} (${(err as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI must test both databases`);
    return reason;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The dialects to run, with a skip reason for any that is unavailable. */
export async function testDialects(): Promise<DialectCase[]> {
  const only = process.env.MASTHEAD_TEST_DIALECTS?.split(',').map((s) => s.trim());
  postgresProbe ??= probePostgres();
  const cases: DialectCase[] = [
    { dialect: 'sqlite', skip: false },
    { dialect: 'postgres', skip: await postgresProbe },
  ];
  return only ? cases.filter((c) => only.includes(c.dialect)) : cases;
}

/** Deferred work running against each test database (see drainBeforeDestroy). */
const deferredWorkOf = new WeakMap<DatabaseHandle, Array<{ drain(): Promise<void> }>>();

/**
 * Has the database's destroy() first wait for `work` (deps' deferred work over it): a related
 * refresh still running would otherwise fail on a closed connection, or land in the next test.
 */
export function drainBeforeDestroy(handle: DatabaseHandle, work: { drain(): Promise<void> }): void {
  deferredWorkOf.set(handle, [...(deferredWorkOf.get(handle) ?? []), work]);
}

async function drainDeferredWork(handle: DatabaseHandle): Promise<void> {
  for (const work of deferredWorkOf.get(handle) ?? []) await work.drain();
}

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The connection URL (PostgreSQL) or file (SQLite), for a second node's own connection. */
  location: string;
  /** Closes the connection and removes the database. */
  destroy(): Promise<void>;
}

/** A fresh, migrated, private database for one test file (or one test). */
export async function createTestDatabase(dialect: DialectName, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    // A file, as in production: file databases also get the direct read-only connection.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-sqlite-'));
    const handle = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'test.sqlite'), create: true });
    if (options.migrate !== false) await migrateToLatest(handle.db);
    return {
      handle,
      location: path.join(dir, 'test.sqlite'),
      async destroy() {
        await drainDeferredWork(handle);
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `masthead_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString() });
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    handle,
    location: url.toString(),
    async destroy() {
      await drainDeferredWork(handle);
      await handle.close();
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}
