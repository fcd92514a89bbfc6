import type { Db } from '../../db/database.ts';
import { listSections, type Section } from './section.ts';

/**
 * The sections, held in memory for a few seconds. Sections change a few times a year but
 * every public page needs them (navigation, section slugs of related stories), so reading
 * them per request would cost a query each time. A lookup that misses reloads at once, so a
 * new section works immediately; a renamed one shows its new name within `ttlMs` on every
 * app node without coordination.
 */
export interface SectionDirectory {
  list(): Promise<Section[]>;
  bySlug(slug: string): Promise<Section | undefined>;
  byId(id: string): Promise<Section | undefined>;
  /** All sections by id, for resolving many rows with one await; `reload` forces a fresh read. */
  byIdMap(reload?: boolean): Promise<ReadonlyMap<string, Section>>;
  /** Drops the snapshot after a newsroom change, so this node shows it at once (others within the TTL). */
  invalidate(): void;
}

export const SECTION_DIRECTORY_TTL_MS = 5_000;

interface Snapshot {
  list: Section[];
  bySlug: Map<string, Section>;
  byId: Map<string, Section>;
  loadedAt: number;
}

const directories = new WeakMap<object, SectionDirectory>();

/** The shared directory for a database handle. */
export function sectionDirectory(db: Db, now: () => number = Date.now): SectionDirectory {
  let dir = directories.get(db);
  if (!dir) {
    dir = createSectionDirectory(db, now);
    directories.set(db, dir);
  }
  return dir;
}

function createSectionDirectory(db: Db, now: () => number): SectionDirectory {
  let snapshot: Snapshot | undefined;
  let pending: Promise<Snapshot> | undefined;
  // A load begun before an invalidate() must not install its (possibly stale) result.
  let generation = 0;
  const load = () => {
    const gen = generation;
    return (pending ??= listSections(db)
      .then((list): Snapshot => {
        const snap = { list, bySlug: new Map(list.map((s) => [s.slug, s])), byId: new Map(list.map((s) => [s.id, s])), loadedAt: now() };
        if (gen === generation) snapshot = snap;
        return snap;
      })
      .finally(() => {
        if (gen === generation) pending = undefined;
      }));
  };
  const current = async () => (snapshot && now() - snapshot.loadedAt < SECTION_DIRECTORY_TTL_MS ? snapshot : load());
  const lookup = async (key: 'bySlug' | 'byId', value: string) => {
    const snap = await current();
    const hit = snap[key].get(value);
    // A miss reloads (one small query, as cheap as the 404 it probably is).
    return hit ?? (await load())[key].get(value);
  };
  return {
    list: async () => (await current()).list,
    bySlug: (slug) => lookup('bySlug', slug),
    byId: (id) => lookup('byId', id),
    byIdMap: async (reload = false) => (reload ? await load() : await current()).byId,
    invalidate: () => {
      generation += 1;
      snapshot = undefined;
      pending = undefined;
    },
  };
}
