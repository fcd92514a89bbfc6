import { sql } from 'kysely';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { isVisibleToReaders } from '../articles/article-visibility.ts';
import type { ServiceDeps } from '../deps.ts';

/** A story as the front desk lists it: in the picker, and for each pin of an arrangement. */
export interface PickableStory {
  id: string;
  headline: string;
  sectionName: string;
  status: string;
  publishedAt: string | null;
  /** Whether readers may see it now (the one visibility rule): a pin that is not stays off the front. */
  visible: boolean;
}

const PICKER_LIMIT = 20;

function pickerSelect(deps: ServiceDeps) {
  return deps.db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.id', 'a.headline', 's.name as section_name', 'a.status', 'a.published_at', 'a.embargo_until']);
}

type PickerRow = Awaited<ReturnType<ReturnType<typeof pickerSelect>['execute']>>[number];

function rowToPickable(r: PickerRow, nowIso: string): PickableStory {
  return {
    id: r.id,
    headline: r.headline,
    sectionName: r.section_name,
    status: r.status,
    publishedAt: r.published_at,
    visible: isVisibleToReaders({ status: r.status, publishedAt: r.published_at, embargoUntil: r.embargo_until }, nowIso),
  };
}

/**
 * Published and scheduled stories whose headline contains `q` (any case), newest first: what
 * an editor may pin. Empty `q`: the newest. Optionally only one section's, and only one
 * language's (an edition's front offers its own stories).
 *
 * Newest by the date each shows: a published story's publication, a scheduled one's planned
 * time (it has no publication yet; ordered by that column alone, the scheduled came before
 * every published story on PostgreSQL and after them all on SQLite, which sort NULLs apart).
 * Each status is its own walk, the published one down the (status, published_at, id) index,
 * stopping at the page's worth; the two are merged. One `status in (…)` cannot walk that
 * index in date order, so PostgreSQL read and sorted every story instead: ~0.9 s a keystroke
 * at a million stories, 2.5 s for a headline nothing matches. On PostgreSQL the headline's trigram index
 * (pg_trgm, migration 20261213T0900) answers a rare or absent fragment without the walk.
 */
export async function findPickableStories(
  deps: ServiceDeps,
  actor: Actor,
  q: string,
  sectionId: string | null = null,
  language: string | null = null,
): Promise<PickableStory[]> {
  assertRole(actor, 'editor', 'Only editors and administrators arrange fronts.');
  const words = q.trim().toLowerCase().slice(0, 100);
  const newest = (status: 'published' | 'scheduled') => {
    const dated = status === 'published' ? 'a.published_at' : 'a.scheduled_at';
    let query = pickerSelect(deps)
      .select(sql<string | null>`${sql.ref(dated)}`.as('listed_at'))
      .where('a.status', '=', status);
    // `%`, `_` and `\` are literal in what the editor typed.
    if (words)
      query = query.where((eb) => eb(sql`lower(a.headline)`, 'like', sql`${`%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`));
    if (sectionId) query = query.where('a.section_id', '=', sectionId);
    if (language) query = query.where((eb) => eb(sql`lower(a.language)`, '=', language.toLowerCase()));
    // A subquery of its own: SQLite allows no ORDER BY or LIMIT on a compound's parts.
    return deps.db.selectFrom(query.orderBy(dated, 'desc').orderBy('a.id', 'desc').limit(PICKER_LIMIT).as('n')).selectAll();
  };
  const rows = await deps.db
    .selectFrom(newest('published').unionAll(newest('scheduled')).as('p'))
    .selectAll()
    .orderBy('p.listed_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(PICKER_LIMIT)
    .execute();
  const nowIso = deps.clock().toISOString();
  return rows.map((r) => rowToPickable(r, nowIso));
}

/** The given stories (pins of an arrangement), by id; unknown ids are left out. */
export async function describeStories(deps: ServiceDeps, ids: readonly string[]): Promise<Map<string, PickableStory>> {
  if (!ids.length) return new Map();
  const rows = await pickerSelect(deps)
    .where('a.id', 'in', [...new Set(ids)])
    .execute();
  const nowIso = deps.clock().toISOString();
  return new Map(rows.map((r) => [r.id, rowToPickable(r, nowIso)]));
}

/** Tags by id (a named block's fill tag, which the desk's list of most used tags may not include). */
export async function describeTags(deps: ServiceDeps, ids: readonly string[]): Promise<Array<{ id: string; name: string }>> {
  if (!ids.length) return [];
  return deps.db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
}
