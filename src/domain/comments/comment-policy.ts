import type { CommentsPolicy } from '../articles/article.ts';
import { isVisibleToReaders, type ReaderVisibilityFacts } from '../articles/article-visibility.ts';

/*
 * The rules of commenting, as pure functions: whether an article takes comments now, and
 * whether a new comment is published at once or waits in the moderation queue.
 */

export type CommentingState =
  { kind: 'open'; moderated: boolean; closesAt: string | null } | { kind: 'closed'; reason: 'policy' | 'expired' | 'unpublished' };

const DAY_MS = 24 * 3600 * 1000;

/**
 * Open or closed, and why. Comments close `closeAfterDays` after publication (0: never),
 * whatever the article's policy says.
 */
export function commentingState(
  article: ReaderVisibilityFacts & { commentsPolicy: CommentsPolicy },
  now: Date,
  closeAfterDays: number,
): CommentingState {
  if (!isVisibleToReaders(article, now.toISOString())) return { kind: 'closed', reason: 'unpublished' };
  if (article.commentsPolicy === 'closed') return { kind: 'closed', reason: 'policy' };
  let closesAt: string | null = null;
  if (closeAfterDays > 0) {
    const closes = new Date(new Date(article.publishedAt).getTime() + closeAfterDays * DAY_MS);
    if (closes.getTime() <= now.getTime()) return { kind: 'closed', reason: 'expired' };
    closesAt = closes.toISOString();
  }
  return { kind: 'open', moderated: article.commentsPolicy === 'moderated', closesAt };
}

/** The reader-facing sentence for a closed discussion. */
export function closedMessage(reason: 'policy' | 'expired' | 'unpublished'): string {
  switch (reason) {
    case 'policy':
      return 'Comments are closed for this story.';
    case 'expired':
      return 'Comments on this story have closed.';
    case 'unpublished':
      return 'This story is not published, so it takes no comments.';
    default: {
      const never: never = reason;
      return never;
    }
  }
}

export const QUEUE_REASONS = ['moderated_article', 'blocked_words', 'too_many_links', 'unverified_reader', 'edited_blocked'] as const;
export type QueueReason = (typeof QUEUE_REASONS)[number];

export const QUEUE_REASON_LABELS: Record<QueueReason, string> = {
  moderated_article: 'Story is pre-moderated',
  blocked_words: 'Blocked words',
  too_many_links: 'Too many links',
  unverified_reader: 'Reader’s email not verified',
  edited_blocked: 'Edited to include blocked words or links',
};

export interface PublicationFacts {
  moderatedArticle: boolean;
  blockedWords: readonly string[];
  links: number;
  maxLinks: number;
  /** Verification is required (SMTP configured) and this reader has not verified. */
  unverified: boolean;
}

/** Publish now, or queue with the first reason that applies (content problems first). */
export function decidePublication(f: PublicationFacts): { status: 'published' } | { status: 'pending'; reason: QueueReason } {
  if (f.blockedWords.length) return { status: 'pending', reason: 'blocked_words' };
  if (f.links > f.maxLinks) return { status: 'pending', reason: 'too_many_links' };
  if (f.unverified) return { status: 'pending', reason: 'unverified_reader' };
  if (f.moderatedArticle) return { status: 'pending', reason: 'moderated_article' };
  return { status: 'published' };
}
