import type { Article } from './article.ts';

/**
 * One committed change of one story, told after commit to everything that keeps a copy
 * derived from stories: the stored related lists today, a page cache or a search index
 * later. Raised only by writeStory (article-write.ts), so no story write can skip it.
 */
export interface StoryChange {
  articleId: string;
  /** The revision and audit action: `create`, `save`, `restore`, a workflow action, `embargo`, `note_update`, `deleted`… */
  action: string;
  /** The story before the change; null for a new story. */
  before: Article | null;
  /** The story as committed; null once deleted. */
  after: Article | null;
  /**
   * Stories whose "You might also like" listed this one before the change (their pages show
   * its teaser). Read inside the transaction: a deletion takes those rows with it.
   */
  listedBy: readonly string[];
}
