import type { ServiceDeps } from '../deps.ts';
import { findRedirectTarget } from '../articles/article-repository.ts';
import { articlePath } from '../articles/article.ts';
import { isSlug } from '../slug.ts';
import { editableUntil, type CommentSort, type PublicComment } from './comment.ts';
import { findCommentableArticle, findPublishedCommentableArticle, stateOf, type CommentableArticle } from './comment-article.ts';
import type { CommentingState } from './comment-policy.ts';
import {
  findPublicComment as findPublicCommentRow,
  likedByReader,
  listOwnRecentComments,
  listReaderEditableComments,
  listReplies,
  listThreadRoots,
} from './comment-repository.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import { COMMENT_EDIT_WINDOW_MS } from './comment.ts';

export const THREADS_PER_PAGE = 30;

export interface ThreadEntry {
  comment: PublicComment;
  replies: PublicComment[];
}

/** The public discussion of one story: the same for every reader (cacheable). */
export interface CommentThread {
  article: CommentableArticle;
  state: CommentingState;
  sort: CommentSort;
  /** 1-based page of top-level comments. */
  page: number;
  hasMore: boolean;
  threads: ThreadEntry[];
}

export type CommentThreadResult =
  { kind: 'thread'; thread: CommentThread } | { kind: 'redirect'; location: string; articleId: string } | { kind: 'not_found' };

export const MAX_THREAD_PAGE = 1000;

/** The published thread of the story at /section/slug (old paths redirect). Three small indexed queries. */
export async function getCommentThread(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  sectionSlug: string,
  slug: string,
  options: { sort: CommentSort; page: number; closeAfterDays: number },
): Promise<CommentThreadResult> {
  if (!isSlug(sectionSlug) || !isSlug(slug) || !Number.isInteger(options.page) || options.page < 1 || options.page > MAX_THREAD_PAGE)
    return { kind: 'not_found' };
  const now = deps.clock();
  const article = await findPublishedCommentableArticle(deps.db, sectionSlug, slug, now.toISOString());
  if (!article) {
    const target = await findRedirectTarget(deps.db, articlePath(sectionSlug, slug), now.toISOString());
    return target
      ? { kind: 'redirect', location: `${articlePath(target.sectionSlug, target.slug)}/comments`, articleId: target.articleId }
      : { kind: 'not_found' };
  }
  const roots = await listThreadRoots(deps.db, article.id, options.sort, (options.page - 1) * THREADS_PER_PAGE, THREADS_PER_PAGE + 1);
  const shown = roots.slice(0, THREADS_PER_PAGE);
  const replies = await listReplies(
    deps.db,
    shown.map((c) => c.id),
  );
  const byRoot = new Map<string, PublicComment[]>();
  for (const r of replies) (byRoot.get(r.parentId!) ?? byRoot.set(r.parentId!, []).get(r.parentId!)!).push(r);
  return {
    kind: 'thread',
    thread: {
      article,
      state: stateOf(article, now, options.closeAfterDays),
      sort: options.sort,
      page: options.page,
      hasMore: roots.length > THREADS_PER_PAGE,
      threads: shown.map((comment) => ({ comment, replies: byRoot.get(comment.id) ?? [] })),
    },
  };
}

/** A reader's own view of a story's comments: what they liked, what they can still edit. */
export interface ReaderThreadState {
  liked: string[];
  editable: Array<{ id: string; until: string }>;
}

export async function getReaderThreadState(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  readerId: string,
  articleId: string,
  commentIds: readonly string[],
): Promise<ReaderThreadState> {
  const now = deps.clock();
  const [liked, own] = await Promise.all([
    likedByReader(deps.db, readerId, commentIds.slice(0, 500)),
    listOwnRecentComments(deps.db, readerId, articleId, new Date(now.getTime() - COMMENT_EDIT_WINDOW_MS).toISOString()),
  ]);
  return { liked, editable: own.map((c) => ({ id: c.id, until: editableUntil({ createdAt: c.created_at }).toISOString() })) };
}

export { findCommentableArticle };

/** The reader's own recent comments that can still be edited or deleted (the account page). */
export async function listOwnEditableComments(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  readerId: string,
): Promise<Array<{ comment: PublicComment; articlePath: string; headline: string; until: string }>> {
  const now = deps.clock();
  const rows = await listReaderEditableComments(deps.db, readerId, new Date(now.getTime() - COMMENT_EDIT_WINDOW_MS).toISOString());
  const sections = await sectionDirectory(deps.db).byIdMap();
  return rows.map((r) => ({
    comment: r,
    articlePath: articlePath(sections.get(r.sectionId)?.slug ?? 'news', r.articleSlug),
    headline: r.headline,
    until: editableUntil(r).toISOString(),
  }));
}

/** One comment as the public sees it (any status; callers check). */
export async function findPublicComment(db: ServiceDeps['db'], id: string): Promise<PublicComment | undefined> {
  return findPublicCommentRow(db, id);
}
