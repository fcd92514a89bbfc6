import { isForeignKeyViolation } from '../../db/constraint-violations.ts';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { relatedTag } from '../changes/cache-tags.ts';
import { publishNow } from '../changes/content-change-publish.ts';
import type { ServiceDeps, StoryChangeListener } from '../deps.ts';
import type { StoryChange } from './article-change.ts';
import { rankRelated, type RankedRelated } from './article-related.ts';
import {
  findArticlesRelatedTo,
  findRelatedCandidates,
  findRelatedTarget,
  lockArticleRow,
  replaceRelated,
  sameList,
  storedRelated,
} from './article-repository.ts';

/*
 * Keeps the stored "You might also like" lists (article_related) in step with the stories.
 * Runs after commit as deferred work, once the story's own change is published and the request
 * answered (article-write.ts), and publishes a change naming the related box of every story
 * whose list it moved (pages rendered meanwhile showed the old box; that change drops them).
 */

/** What the ranking reads besides the status; a change elsewhere (a note, an embargo, a picture) moves no list. */
const RANKED_FIELDS = ['sectionId', 'language', 'publishedAt', 'headline', 'standfirst', 'bodyText', 'tagIds'] as const;

/** Whether a committed change can have made any stored list stale (cheap: decides whether a refresh is queued at all). */
export function movesRelatedLists({ before, after }: StoryChange): boolean {
  if (before?.status !== 'published' && after?.status !== 'published') return false;
  if (!before || !after || before.status !== after.status) return true;
  return RANKED_FIELDS.some((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/**
 * Recomputes the lists a committed change can have made stale. Queued by writeStory as deferred
 * work (deps.deferredWork), so it runs after the save is answered, with the root database.
 */
export const refreshRelatedLists: StoryChangeListener = async (deps, change) => {
  if (!movesRelatedLists(change)) return;
  const moved: string[] = [];
  if (change.after) moved.push(...(await refreshRelatedAround(deps, change.articleId)));
  else for (const id of change.listedBy) if ((await refreshRelated(deps, id)).changed) moved.push(id);
  if (moved.length) await publishNow(deps, { tags: moved.map(relatedTag), cause: 'story.related' });
};

/** Stories in a related box. */
const RELATED_LIMIT = 6;

/** The list ranking an article's neighbourhood gives now: empty for a story not published (or gone). */
async function rankedListOf(
  db: Db,
  articleId: string,
  nowIso: string,
  limit: number,
): Promise<{ exists: boolean; ranked: RankedRelated[] }> {
  const article = await findRelatedTarget(db, articleId);
  if (!article || article.status !== 'published' || !article.publishedAt) return { exists: article !== null, ranked: [] };
  const candidates = await findRelatedCandidates(db, article, nowIso);
  const tagFrequency = new Map<string, number>();
  for (const c of candidates) for (const t of c.tagIds) tagFrequency.set(t, (tagFrequency.get(t) ?? 0) + 1);
  return { exists: true, ranked: rankRelated(article, candidates, { limit, tagFrequency }) };
}

/**
 * An article's stored list when it already is what ranking gives now (same stories, same
 * order), else null; read without locks. Most lists a change puts in doubt do not move (a headline edit
 * reorders few neighbours), and such a list then costs a few reads: no row lock, no write, no
 * transaction to flush. A list that did move is recomputed under the article's lock
 * (refreshRelated), so what is written is never computed from older rows than another
 * refresh's; skipping is safe because each change queues its own refresh after it commits.
 * The stored scores are those of the last time the list moved (only the rank orders the box).
 */
async function currentList(deps: ServiceDeps, articleId: string, limit: number): Promise<string[] | null> {
  const [{ exists, ranked }, stored] = await Promise.all([
    rankedListOf(deps.db, articleId, deps.clock().toISOString(), limit),
    storedRelated(deps.db, articleId),
  ]);
  return !exists || sameList(stored, ranked) ? stored : null;
}

/**
 * Recomputes the stored list of one article. Concurrent refreshes of the same article (ten
 * stories published at once in one section all refresh their neighbours) take turns on the
 * article's row lock, so each computes and stores a whole list and none trips over another's rows.
 */
export async function refreshRelated(
  deps: ServiceDeps,
  articleId: string,
  limit = RELATED_LIMIT,
): Promise<{ related: string[]; changed: boolean }> {
  return retriedOnDeletedCandidate(deps.db, () =>
    withTransaction(deps.db, async (trx) => {
      await lockArticleRow(trx, deps.dialect, articleId);
      const { exists, ranked } = await rankedListOf(trx, articleId, deps.clock().toISOString(), limit);
      if (!exists) return { related: [], changed: false };
      return { related: ranked.map((r) => r.id), changed: await replaceRelated(trx, articleId, ranked) };
    }),
  );
}

/** Attempts at a refresh's transaction when stories it ranked keep being deleted under it. */
const REFRESH_ATTEMPTS = 3;

/**
 * Runs a refresh's transaction again when its write failed a foreign key: a story it ranked
 * was deleted (and committed) between the ranking's read and the list's insert, which the
 * candidates' read cannot lock against without locking a section's worth of stories. Ranked
 * again, the list no longer holds it. Inside a caller's transaction the failed statement has
 * aborted that transaction (PostgreSQL): only the outermost one can be tried again.
 */
async function retriedOnDeletedCandidate<T>(db: Db, refresh: () => Promise<T>): Promise<T> {
  if (db.isTransaction) return refresh();
  for (let attempt = 1; ; attempt++) {
    try {
      return await refresh();
    } catch (err) {
      if (!isForeignKeyViolation(err) || attempt >= REFRESH_ATTEMPTS) throw err;
    }
  }
}

/**
 * After an article changes, its own list and the lists of its neighbours (stories it is
 * now related to, and stories that pointed at it) are recomputed, so no list keeps a dead
 * or stale entry. Answers the stories whose list changed.
 */
export async function refreshRelatedAround(deps: ServiceDeps, articleId: string): Promise<string[]> {
  const unmoved = await currentList(deps, articleId, RELATED_LIMIT);
  const own = unmoved ? { related: unmoved, changed: false } : await refreshRelated(deps, articleId);
  const moved = own.changed ? [articleId] : [];
  const pointing = await findArticlesRelatedTo(deps.db, articleId);
  const neighbours = [...new Set([...own.related, ...pointing])].filter((id) => id !== articleId).sort();
  // Only the lists that moved are locked and written (currentList).
  const stale: string[] = [];
  for (const id of neighbours) if (!(await currentList(deps, id, RELATED_LIMIT))) stale.push(id);
  if (!stale.length) return moved;
  // The neighbours in one transaction: one commit (a disk flush on PostgreSQL, ~3 ms) instead
  // of one per neighbour, which made most of a save's time. Their rows are locked in id order,
  // as every such transaction locks them, so two of them never wait on each other in a cycle.
  const neighboursMoved = await retriedOnDeletedCandidate(deps.db, () =>
    withTransaction(deps.db, async (trx) => {
      const written: string[] = [];
      for (const id of stale) if ((await refreshRelated({ ...deps, db: trx }, id)).changed) written.push(id);
      return written;
    }),
  );
  return [...moved, ...neighboursMoved];
}
