import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { FrontArrangementTable } from '../../db/schema.ts';
import type { Arrangement, ArrangementState, ArrangementVersion, FrontKey } from './front-arrangement.ts';

/** The one mapping of a stored version to the domain's. */
export function rowToArrangementVersion(r: Selectable<FrontArrangementTable>): ArrangementVersion {
  return {
    id: r.id,
    frontKey: r.front_key as FrontKey,
    version: Number(r.version),
    state: r.state as ArrangementState,
    effectiveAt: r.effective_at,
    arrangement: JSON.parse(r.blocks) as Arrangement,
    createdAt: r.created_at,
    createdBy: r.created_by,
    restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
  };
}

export async function insertArrangementVersion(db: Db, v: ArrangementVersion): Promise<void> {
  await db
    .insertInto('front_arrangements')
    .values({
      id: v.id,
      front_key: v.frontKey,
      version: v.version,
      state: v.state,
      effective_at: v.effectiveAt,
      blocks: JSON.stringify(v.arrangement),
      created_at: v.createdAt,
      created_by: v.createdBy,
      restored_from: v.restoredFrom,
    })
    .execute();
}

/** The front's revision: its highest version number, 0 before the first. */
export async function frontRevision(db: Db, key: FrontKey): Promise<number> {
  const row = await db
    .selectFrom('front_arrangements')
    .select('version')
    .where('front_key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.version) : 0;
}

export async function findArrangementVersion(db: Db, key: FrontKey, version: number): Promise<ArrangementVersion | null> {
  const row = await db
    .selectFrom('front_arrangements')
    .selectAll()
    .where('front_key', '=', key)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? rowToArrangementVersion(row) : null;
}

/** The front's versions, newest first. */
export async function listArrangementVersions(db: Db, key: FrontKey, limit = 50): Promise<ArrangementVersion[]> {
  const rows = await db
    .selectFrom('front_arrangements')
    .selectAll()
    .where('front_key', '=', key)
    .orderBy('version', 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToArrangementVersion);
}

/**
 * The published version in force at `nowIso` and every one scheduled after it: all a node
 * needs to show the front until the next change, scheduled takeovers included.
 */
export async function loadPublishedTimeline(db: Db, key: FrontKey, nowIso: string): Promise<ArrangementVersion[]> {
  const published = () => db.selectFrom('front_arrangements').selectAll().where('front_key', '=', key).where('state', '=', 'published');
  const [current, upcoming] = await Promise.all([
    published().where('effective_at', '<=', nowIso).orderBy('effective_at', 'desc').orderBy('version', 'desc').limit(1).execute(),
    published().where('effective_at', '>', nowIso).execute(),
  ]);
  return [...current, ...upcoming].map(rowToArrangementVersion);
}

/** Fronts whose published version took over in (sinceIso, nowIso]. */
export async function findTakeovers(db: Db, sinceIso: string, nowIso: string): Promise<FrontKey[]> {
  const rows = await db
    .selectFrom('front_arrangements')
    .select('front_key')
    .where('state', '=', 'published')
    .where('effective_at', '>', sinceIso)
    .where('effective_at', '<=', nowIso)
    .execute();
  return [...new Set(rows.map((r) => r.front_key as FrontKey))];
}

/** Withdraws a scheduled version; false when it is not (or no longer) a future one. */
export async function cancelScheduledVersion(db: Db, id: string, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('front_arrangements')
    .set({ state: 'cancelled' })
    .where('id', '=', id)
    .where('state', '=', 'published')
    .where('effective_at', '>', nowIso)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
