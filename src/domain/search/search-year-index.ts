import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { changeDroppedMemo } from '../changes/change-dropped-memo.ts';

/*
 * PostgreSQL: a GIN index of each recent year's documents beside the index of all of them.
 *
 * A search step asks the GIN index for the query's words ANDed with its weeks' lexemes, and GIN
 * walks the postings of whichever lexemes are rarest over the whole archive. A week (~1,900
 * stories a week at a million) is rarer than most words there, so a pair of words that seldom
 * meet walks every story of every week it asks; stepping back a year for its two hundred
 * newest matches cost 30–60 ms at a million stories. Within one year's index a word's postings
 * are that year's only, so a rare word drives GIN instead: in-process, two-word searches
 * without a section took 20 % less over the bench's queries ("london matteo" 46 → 33 ms), and
 * the others the same (bench/RESULTS.md, 2026-12-08). Each year's index is a tenth of the
 * full one (22–24 MB at a million stories).
 *
 * The steps reach back 64 weeks before they go year by year, so this year's and last year's
 * documents are the ones worth it; next year's index is made in December, before its first
 * story, and older ones are dropped. A step uses a year's index only once it is valid
 * (`create index concurrently` leaves an invalid one behind when it fails), else the full one:
 * the answers are the same either way.
 */

const PREFIX = 'search_documents_document_y';
const NAME = /^search_documents_document_y(\d{4})$/;

/** The index of year `year`'s documents. */
export function yearIndexName(year: number): string {
  return `${PREFIX}${year}`;
}

/** The publication instants of year `year` (UTC, as `search_documents.published_at` holds them): [from, until). */
export function yearBounds(year: number): { from: string; until: string } {
  return { from: `${year}-01-01T00:00:00.000Z`, until: `${year + 1}-01-01T00:00:00.000Z` };
}

/** The years that should have an index at `now`: this year and last, and next year from December. */
export function wantedIndexYears(now: Date): number[] {
  const year = now.getUTCFullYear();
  return now.getUTCMonth() === 11 ? [year - 1, year, year + 1] : [year - 1, year];
}

/** One key for every node's maintenance (pg_try_advisory_lock's two-integer form): "mast", "yidx". */
const LOCK = [0x6d617374, 0x79696478] as const;

async function yearIndexes(db: Db): Promise<Map<number, { valid: boolean }>> {
  const { rows } = await sql<{ name: string; valid: boolean }>`select c.relname as name, (i.indisvalid and i.indisready) as valid
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = to_regclass('search_documents') and c.relname like ${`${PREFIX}%`}`.execute(db);
  const out = new Map<number, { valid: boolean }>();
  for (const r of rows) {
    const m = NAME.exec(r.name);
    if (m) out.set(Number(m[1]), { valid: Boolean(r.valid) });
  }
  return out;
}

/**
 * Makes the wanted years' indexes (wantedIndexYears) and drops older ones, without blocking
 * saves (`concurrently`); a node that finds another one at it does nothing. PostgreSQL only.
 */
export async function ensureYearIndexes(db: Db, now: Date): Promise<{ created: number[]; dropped: number[] }> {
  const done = await db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${LOCK[0]}, ${LOCK[1]}) as locked`.execute(conn);
    if (!rows[0]?.locked) return { created: [], dropped: [] };
    try {
      const present = await yearIndexes(conn);
      const wanted = wantedIndexYears(now);
      const created: number[] = [];
      const dropped: number[] = [];
      for (const [year, { valid }] of present) {
        // An invalid index is a failed build: dropped here and, when still wanted, made again.
        if (year >= wanted[0]! && valid) continue;
        await sql`drop index concurrently if exists ${sql.id(yearIndexName(year))}`.execute(conn);
        if (year < wanted[0]!) dropped.push(year);
        else present.delete(year);
      }
      for (const year of wanted) {
        if (present.has(year)) continue;
        const { from, until } = yearBounds(year);
        await sql`create index concurrently if not exists ${sql.id(yearIndexName(year))} on search_documents using gin (document)
          where published_at >= ${sql.lit(from)} and published_at < ${sql.lit(until)}`.execute(conn);
        created.push(year);
      }
      return { created, dropped };
    } finally {
      await sql`select pg_advisory_unlock(${LOCK[0]}, ${LOCK[1]})`.execute(conn);
    }
  });
  forgetIndexedYears(db);
  return done;
}

/** How long a search trusts the years it read, at most (ensureYearIndexes forgets them at once on its own node). */
const YEARS_TRUSTED_MS = 60_000;

/**
 * The years whose index is valid, read once a minute at most: a change-dropped memo (as the
 * languages the index holds), though only time and ensureYearIndexes alter what it holds.
 */
const validYears = changeDroppedMemo(
  async (db) => new Set([...(await yearIndexes(db))].filter(([, i]) => i.valid).map(([year]) => year)) as ReadonlySet<number>,
  YEARS_TRUSTED_MS,
);

export function indexedYears(db: Db, nowMs: number): Promise<ReadonlySet<number>> {
  return validYears(db).get(nowMs);
}

/** Drops what indexedYears read for this database. */
export function forgetIndexedYears(db: Db): void {
  validYears(db).invalidate();
}
