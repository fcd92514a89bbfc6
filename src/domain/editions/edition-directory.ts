import type { Db } from '../../db/database.ts';
import { defaultEdition, listEditions, type Edition } from './edition.ts';

/*
 * The editions and the sections' names in each, held in memory like the section directory:
 * every public request is routed by them (path prefix or host), and routing cannot wait for a
 * query. `peek()` answers synchronously from the last snapshot and starts a reload when it is
 * older than the TTL; a newsroom change invalidates this node's at once, others follow within
 * the TTL.
 */

export const EDITION_DIRECTORY_TTL_MS = 5_000;

export interface SectionInEdition {
  slug: string;
  name: string;
}

export interface EditionSnapshot {
  editions: readonly Edition[];
  default: Edition;
  byPrefix: ReadonlyMap<string, Edition>;
  byHost: ReadonlyMap<string, Edition>;
  byId: ReadonlyMap<string, Edition>;
  /** Per edition id: a section's own slug → its name and slug there (only what the newsroom set). */
  sections: ReadonlyMap<string, ReadonlyMap<string, SectionInEdition>>;
  /** Per edition id: the slug there → the section's own slug. */
  baseSlugs: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export interface EditionDirectory {
  current(): Promise<EditionSnapshot>;
  /** The last snapshot without waiting (undefined before the first load); a stale one starts a reload. */
  peek(): EditionSnapshot | undefined;
  /** Reads the editions again now (after a newsroom change); `peek` keeps the old snapshot until the new one is in. */
  invalidate(): Promise<void>;
}

const directories = new WeakMap<object, EditionDirectory>();

export function editionDirectory(db: Db, now: () => number = Date.now): EditionDirectory {
  let dir = directories.get(db);
  if (!dir) {
    dir = createEditionDirectory(db, now);
    directories.set(db, dir);
  }
  return dir;
}

export async function loadEditionSnapshot(db: Db): Promise<EditionSnapshot> {
  const [editions, rows] = await Promise.all([
    listEditions(db),
    db
      .selectFrom('section_editions as se')
      .innerJoin('sections as s', 's.id', 'se.section_id')
      .select(['se.edition_id', 'se.slug', 'se.name', 's.slug as base_slug'])
      .execute(),
  ]);
  const sections = new Map<string, Map<string, SectionInEdition>>();
  const baseSlugs = new Map<string, Map<string, string>>();
  for (const r of rows) {
    if (!sections.has(r.edition_id)) sections.set(r.edition_id, new Map());
    if (!baseSlugs.has(r.edition_id)) baseSlugs.set(r.edition_id, new Map());
    sections.get(r.edition_id)!.set(r.base_slug, { slug: r.slug, name: r.name });
    baseSlugs.get(r.edition_id)!.set(r.slug, r.base_slug);
  }
  return {
    editions,
    default: defaultEdition(editions),
    byPrefix: new Map(editions.filter((e) => e.pathPrefix).map((e) => [e.pathPrefix!, e])),
    byHost: new Map(editions.filter((e) => e.host).map((e) => [e.host!.toLowerCase(), e])),
    byId: new Map(editions.map((e) => [e.id, e])),
    sections,
    baseSlugs,
  };
}

function createEditionDirectory(db: Db, now: () => number): EditionDirectory {
  let snapshot: { snap: EditionSnapshot; loadedAt: number } | undefined;
  let pending: Promise<EditionSnapshot> | undefined;
  let generation = 0;
  const load = () => {
    const gen = generation;
    return (pending ??= loadEditionSnapshot(db)
      .then((snap) => {
        if (gen === generation) snapshot = { snap, loadedAt: now() };
        return snap;
      })
      .finally(() => {
        if (gen === generation) pending = undefined;
      }));
  };
  const fresh = () => snapshot !== undefined && now() - snapshot.loadedAt < EDITION_DIRECTORY_TTL_MS;
  return {
    current: async () => (fresh() ? snapshot!.snap : load()),
    peek: () => {
      // A failed background reload keeps the last snapshot; the next peek tries again.
      if (!fresh()) void load().catch(() => undefined);
      return snapshot?.snap;
    },
    invalidate: async () => {
      generation += 1;
      if (snapshot) snapshot = { ...snapshot, loadedAt: -Infinity };
      pending = undefined;
      await load().catch(() => undefined);
    },
  };
}
