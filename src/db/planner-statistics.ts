import { sql } from 'kysely';
import type { Db, DialectName } from './database.ts';

/*
 * SQLite plans from statistics it only has once ANALYZE has run; without them it guesses, and
 * it guessed that "published and not embargoed" narrows a query more than "this translation
 * group" or "this alert's story", walking every published story on each page. SQLite's own
 * advice for long-lived connections: `PRAGMA optimize` at open and periodically, with an
 * analysis limit so a large archive is sampled, not read whole. PostgreSQL's autovacuum keeps
 * its statistics itself.
 */

/** Rows sampled per index by ANALYZE (SQLite's recommended bound: fast on any archive). */
const ANALYSIS_LIMIT = 1000;

/** Brings the planner's statistics up to date where they are missing or stale (SQLite only). */
export async function refreshPlannerStatistics(db: Db, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql.raw(`PRAGMA analysis_limit = ${ANALYSIS_LIMIT}`).execute(db);
  // 0x10002: consider every table, not only those this connection has queried.
  await sql.raw('PRAGMA optimize = 0x10002').execute(db);
}
