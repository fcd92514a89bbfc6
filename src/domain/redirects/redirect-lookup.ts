import type { Db } from '../../db/database.ts';
import { articlePath } from '../articles/article.ts';
import { redirectKey } from './redirect-path.ts';
import { findVisibleRedirect } from './redirect-repository.ts';

export interface MovedStory {
  location: string;
  /** The story it leads to: a page cache tags the 301 with it, so a change to the story purges it. */
  articleId: string;
}

/**
 * The new address of an old one (a request that found no page), or null. Called only on the
 * public 404 path, so pages that exist never pay for it; a story readers cannot see (a draft,
 * an unpublished or embargoed story) leaves the address a 404.
 */
export async function findMovedStory(deps: { db: Db; clock: () => Date }, requestUrl: string): Promise<MovedStory | null> {
  const key = redirectKey(requestUrl);
  if (!key) return null;
  const target = await findVisibleRedirect(deps.db, key, deps.clock().toISOString());
  if (!target) return null;
  const location = articlePath(target.sectionSlug, target.slug);
  // The story's own address never redirects to itself (it would have been found, not 404).
  if (location === key) return null;
  return { location, articleId: target.articleId };
}
