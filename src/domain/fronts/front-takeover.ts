import { frontTag } from '../changes/cache-tags.ts';
import { publishNow } from '../changes/content-change-publish.ts';
import type { ServiceDeps } from '../deps.ts';
import { findTakeovers } from './front-arrangement-repository.ts';

/**
 * Announces the fronts whose scheduled arrangement took over in (sinceIso, nowIso]: nothing
 * was written at that moment, so without this a cached front would keep the old lead. Run by
 * the publishing scheduler's tick on every node, like stories that become visible by time
 * (several nodes announcing the same takeover only purge twice). Returns the fronts.
 */
export async function publishFrontTakeovers(deps: ServiceDeps, sinceIso: string, nowIso: string): Promise<string[]> {
  const keys = await findTakeovers(deps.db, sinceIso, nowIso);
  if (keys.length) await publishNow(deps, { tags: keys.map(frontTag), cause: 'front.takeover' });
  return keys;
}
