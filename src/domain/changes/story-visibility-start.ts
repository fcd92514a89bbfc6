import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { isVisibleToReaders, visibleToReaders } from '../articles/article-visibility.ts';
import type { ServiceDeps } from '../deps.ts';
import { admitToVocabulary } from '../search/search-index.ts';
import { storyChangeTags, storyTag } from './cache-tags.ts';
import { publishNow } from './content-change-publish.ts';

/*
 * A story stored as published with a future publication time, or under an embargo, becomes
 * visible when the clock passes that time, with no write at all: nothing raises a change, yet
 * its section front, feeds and sitemaps now list it. The publishing scheduler asks, every
 * tick, which stories started being visible since its last check and announces them; and,
 * likewise, whose discussion closed by age (the comment form leaves their page).
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
    // Its words may now be suggested to readers (a save while hidden did not count them).
    await withTransaction(deps.db, (trx) => admitToVocabulary(trx, deps.dialect, id, nowIso));
    const tags = storyChangeTags({ articleId: id, action: 'visible', before: null, after: article, listedBy: [] }, nowIso);
    await publishNow(deps, { tags, cause: 'story.visible' });
  }
  return ids;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Stories whose discussion closed by age in (sinceIso, nowIso] (published `closeAfterDays`
 * before): their page and thread stop offering the comment form with no write at all.
 */
export async function findCommentClosings(db: Db, sinceIso: string, nowIso: string, closeAfterDays: number): Promise<string[]> {
  if (closeAfterDays <= 0) return [];
  const shift = (iso: string) => new Date(Date.parse(iso) - closeAfterDays * DAY_MS).toISOString();
  const rows = await db
    .selectFrom('articles as a')
    .select('a.id')
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .where('a.comments_policy', '!=', 'closed')
    .where('a.published_at', '>', shift(sinceIso))
    .where('a.published_at', '<=', shift(nowIso))
    .execute();
  return rows.map((r) => r.id);
}

/** Publishes a change naming each story whose comments closed by age in (sinceIso, nowIso]; returns their ids. */
export async function publishCommentClosings(
  deps: ServiceDeps,
  sinceIso: string,
  nowIso: string,
  closeAfterDays: number,
): Promise<string[]> {
  const ids = await findCommentClosings(deps.db, sinceIso, nowIso, closeAfterDays);
  if (ids.length) await publishNow(deps, { tags: ids.map(storyTag), cause: 'comments.closed' });
  return ids;
}
