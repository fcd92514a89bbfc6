import type { QueueReason } from './comment-policy.ts';

export const COMMENT_STATUSES = ['published', 'pending', 'rejected', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export const COMMENT_SORTS = ['newest', 'oldest', 'liked'] as const;
export type CommentSort = (typeof COMMENT_SORTS)[number];

/** Readers may change their mind this long after posting. */
export const COMMENT_EDIT_WINDOW_MS = 15 * 60 * 1000;

/** A comment as the public thread shows it. */
export interface PublicComment {
  id: string;
  articleId: string;
  readerId: string;
  readerName: string;
  /** The thread's top-level comment, or null for a top-level comment. */
  parentId: string | null;
  status: CommentStatus;
  body: string;
  likeCount: number;
  createdAt: string;
  editedAt: string | null;
}

/** A comment as the moderation queue shows it. */
export interface ModeratedComment extends PublicComment {
  queueReason: QueueReason | null;
  reportCount: number;
  readerEmail: string;
  readerBanned: boolean;
  articleHeadline: string;
  articlePath: string;
  ip: string;
  moderatedAt: string | null;
}

export function isCommentSort(v: unknown): v is CommentSort {
  return typeof v === 'string' && (COMMENT_SORTS as readonly string[]).includes(v);
}

/** Until when the author may still edit or delete the comment. */
export function editableUntil(c: Pick<PublicComment, 'createdAt'>): Date {
  return new Date(new Date(c.createdAt).getTime() + COMMENT_EDIT_WINDOW_MS);
}
