import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { storyTag } from '../changes/cache-tags.ts';
import { publishAfterCommit, type ChangeDeps } from '../changes/content-change-publish.ts';
import { refreshArticleCommentCount } from './comment-repository.ts';

/**
 * Every change to what readers see of a story's discussion goes through here, in the change's
 * transaction: the published count is recomputed (the article page and teasers show it) and,
 * after commit, the story's tag is published (its page and its thread page carry it). Tying the
 * two together means a comment service cannot update the count and forget the purge.
 */
export async function discussionChanged(deps: ChangeDeps, trx: Kysely<Database>, articleId: string, cause: string): Promise<void> {
  await refreshArticleCommentCount(trx, articleId);
  publishAfterCommit(deps, trx, { tags: [storyTag(articleId)], cause });
}
