import type { Db } from '../../db/database.ts';
import { versionInForce, type ArrangementVersion, type FrontKey } from './front-arrangement.ts';
import { loadPublishedTimeline } from './front-arrangement-repository.ts';

/*
 * Each node holds every front's published timeline (the version in force and those scheduled
 * after it) in memory until a change to fronts drops it, so a front render reads no
 * arrangement row: fronts cost what they did before arrangements. A scheduled version takes
 * over by the clock alone (the pick is made per read); the scheduler's tick announces the
 * takeover so page caches drop the old front (front-takeover.ts). Dropped on this node by the
 * write itself and, from any node, by the change it raises (wired in src/deps.ts).
 */
export interface FrontArrangementCache {
  /** The version in force on `key` at `nowIso`, or null (the front's automatic rules alone). */
  inForce(key: FrontKey, nowIso: string): Promise<ArrangementVersion | null>;
  invalidate(): void;
}

const caches = new WeakMap<object, FrontArrangementCache>();

/** The shared cache for a database handle. */
export function frontArrangementCache(db: Db): FrontArrangementCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = createCache(db);
    caches.set(db, cache);
  }
  return cache;
}

function createCache(db: Db): FrontArrangementCache {
  let timelines = new Map<FrontKey, Promise<ArrangementVersion[]>>();
  return {
    async inForce(key, nowIso) {
      let timeline = timelines.get(key);
      if (!timeline) {
        const loading = loadPublishedTimeline(db, key, nowIso);
        timelines.set(key, loading);
        // A failed read is not remembered: the next request tries again.
        loading.catch(() => timelines.get(key) === loading && timelines.delete(key));
        timeline = loading;
      }
      return versionInForce(await timeline, nowIso);
    },
    invalidate() {
      // A load still running keeps its own map, so it cannot install a stale timeline here.
      timelines = new Map();
    },
  };
}
