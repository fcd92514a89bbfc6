import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { migrations } from './migrations/index.ts';

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message}`, { cause: error });
  }
  await runAfterCommit(db, results);
}

/** Each migration's afterCommit work, for those that just ran up (in their order). */
async function runAfterCommit(db: Kysely<any>, results: readonly MigrationResult[] | undefined): Promise<void> {
  for (const r of results ?? []) {
    if (r.status === 'Success' && r.direction === 'Up') await migrations[r.migrationName]?.afterCommit?.(db);
  }
}

/** Rolls every migration back (used by the up→down→up test). */
export async function migrateDownAll(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  for (;;) {
    const { error, results } = await migrator.migrateDown();
    if (error) throw error;
    if (!results || results.length === 0) return;
  }
}

/**
 * Brings the database to exactly `name` (up or down), as a restore needs before loading an
 * archive written at that schema version; the versions after it run once the rows are in.
 */
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateTo(name);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message}`, { cause: error });
  }
  await runAfterCommit(db, results);
}

/**
 * Names of the migrations this code knows that the database has not run (readiness: empty when
 * current). Reads Kysely's table directly: the Migrator's own listing introspects the whole schema
 * first, too much for a check polled every few seconds.
 */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  let ran: Set<string>;
  try {
    ran = new Set((await db.selectFrom('kysely_migration').select('name').execute()).map((r: { name: string }) => r.name));
  } catch (err) {
    // No migration table yet (a database never migrated); anything else (unreachable) is the caller's to report.
    if (!(await checkMigrationTableMissing(db))) throw err;
    ran = new Set();
  }
  return Object.keys(migrations).filter((name) => !ran.has(name));
}

async function checkMigrationTableMissing(db: Kysely<any>): Promise<boolean> {
  try {
    const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
    return !tables.some((t) => t.name === 'kysely_migration');
  } catch {
    return false;
  }
}
