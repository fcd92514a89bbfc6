import { withTransaction } from '../../db/transaction.ts';
import { relatedTag } from '../changes/cache-tags.ts';
import { publishNow } from '../changes/content-change-publish.ts';
import type { ServiceDeps, StoryChangeListener } from '../deps.ts';
import type { StoryChange } from './article-change.ts';
import { rankRelated } from './article-related.ts';
import { findArticlesRelatedTo, findRelatedCandidates, findRelatedTarget, lockArticleRow, replaceRelated } from './article-repository.ts';

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

/**
 * Recomputes the stored list of one article. Concurrent refreshes of the same article (ten
 * stories published at once in one section all refresh their neighbours) take turns on the
 * article's row lock, so each computes and stores a whole list and none trips over another's rows.
 */
export async function refreshRelated(deps: ServiceDeps, articleId: string, limit = 6): Promise<{ related: string[]; changed: boolean }> {
  return withTransaction(deps.db, async (trx) => {
    await lockArticleRow(trx, deps.dialect, articleId);
    const article = await findRelatedTarget(trx, articleId);
    if (!article || article.status !== 'published' || !article.publishedAt) {
      return { related: [], changed: article ? await replaceRelated(trx, articleId, []) : false };
    }
    const candidates = await findRelatedCandidates(trx, article, deps.clock().toISOString());
    const tagFrequency = new Map<string, number>();
    for (const c of candidates) for (const t of c.tagIds) tagFrequency.set(t, (tagFrequency.get(t) ?? 0) + 1);
    const ranked = rankRelated(article, candidates, { limit, tagFrequency });
    return { related: ranked.map((r) => r.id), changed: await replaceRelated(trx, articleId, ranked) };
  });
}

/**
 * After an article changes, its own list and the lists of its neighbours (stories it is
 * now related to, and stories that pointed at it) are recomputed, so no list keeps a dead
 * or stale entry. Answers the stories whose list changed.
 */
export async function refreshRelatedAround(deps: ServiceDeps, articleId: string): Promise<string[]> {
  const own = await refreshRelated(deps, articleId);
  const moved = own.changed ? [articleId] : [];
  const pointing = await findArticlesRelatedTo(deps.db, articleId);
  // The neighbours in one transaction: one commit (a disk flush on PostgreSQL, ~3 ms) instead
  // of one per neighbour, which made most of a save's time. Their rows are locked in id order,
  // as every such transaction locks them, so two of them never wait on each other in a cycle.
  const neighbours = [...new Set([...own.related, ...pointing])].filter((id) => id !== articleId).sort();
  if (!neighbours.length) return moved;
  await withTransaction(deps.db, async (trx) => {
    for (const id of neighbours) if ((await refreshRelated({ ...deps, db: trx }, id)).changed) moved.push(id);
  });
  return moved;
}
