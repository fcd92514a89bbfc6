import { sql } from 'kysely';
import { SQLITE_OPTIMIZE_PRAGMAS, type Db, type DialectName } from './database.ts';

/*
 * SQLite plans from statistics it only has once ANALYZE has run; without them it guesses, and
 * it guessed that "published and not embargoed" narrows a query more than "this translation
 * group" or "this alert's story", walking every published story on each page. SQLite's own
 * advice for long-lived connections: `PRAGMA optimize` at open and periodically, with an
 * analysis limit so a large archive is sampled, not read whole. PostgreSQL's autovacuum keeps
 * its statistics itself.
 */

/** Brings the planner's statistics up to date where they are missing or stale (SQLite only). */
export async function refreshPlannerStatistics(db: Db, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  for (const pragma of SQLITE_OPTIMIZE_PRAGMAS) await sql.raw(`PRAGMA ${pragma}`).execute(db);
}
