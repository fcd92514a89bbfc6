import type { Db } from '../../db/database.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { isVisibleToReaders, visibleToReaders } from '../articles/article-visibility.ts';
import type { ServiceDeps } from '../deps.ts';
import { storyChangeTags } from './cache-tags.ts';
import { publishNow } from './content-change-publish.ts';

/*
 * A story stored as published with a future publication time, or under an embargo, becomes
 * visible when the clock passes that time, with no write at all: nothing raises a change, yet
 * its section front, feeds and sitemaps now list it. The publishing scheduler asks, every
 * tick, which stories started being visible since its last check and announces them.
 */

/** Stories readers can see at `nowIso` whose publication time or embargo end lies in (sinceIso, nowIso]. */
export async function findVisibilityStarts(db: Db, sinceIso: string, nowIso: string): Promise<string[]> {
  // Two ranges, each on its own index (status + published_at; the partial embargo_until index):
  // one OR across both columns would scan every published story.
  const [published, unembargoed] = await Promise.all([
    db
      .selectFrom('articles as a')
      .select('a.id')
      .where((eb) => visibleToReaders(eb, 'a', nowIso))
      .where('a.published_at', '>', sinceIso)
      .execute(),
    db
      .selectFrom('articles as a')
      .select('a.id')
      .where('a.embargo_until', '>', sinceIso)
      .where((eb) => visibleToReaders(eb, 'a', nowIso))
      .execute(),
  ]);
  return [...new Set([...published, ...unembargoed].map((r) => r.id))];
}

/**
 * Publishes a change for each story that became visible in (sinceIso, nowIso], as if it had
 * just been published (its own tag and every list it joins); returns their ids. A failed
 * publish is logged (publishNow); a failed query throws, so the caller keeps its window.
 */
export async function publishVisibilityStarts(deps: ServiceDeps, sinceIso: string, nowIso: string): Promise<string[]> {
  const ids = await findVisibilityStarts(deps.db, sinceIso, nowIso);
  for (const id of ids) {
    const article = await findArticleById(deps.db, id);
    if (!article || !isVisibleToReaders(article, nowIso)) continue;
    const tags = storyChangeTags({ articleId: id, action: 'visible', before: null, after: article, listedBy: [] }, nowIso);
    await publishNow(deps, { tags, cause: 'story.visible' });
  }
  return ids;
}
