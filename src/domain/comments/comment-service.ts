import { withTransaction } from '../../db/transaction.ts';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import type { ReaderDeps } from '../readers/reader-service.ts';
import type { ReaderSession } from '../readers/reader-sessions.ts';
import { verificationRequired } from '../readers/reader-service.ts';
import { editableUntil, type CommentStatus, type PublicComment } from './comment.ts';
import { findCommentableArticle, stateOf } from './comment-article.ts';
import { closedMessage, decidePublication, type QueueReason } from './comment-policy.ts';
import {
  deleteLike,
  findCommentRow,
  findPublicComment,
  findRecentDuplicate,
  insertComment,
  insertLike,
  insertReport,
  refreshLikeCount,
  refreshReportCount,
  updateComment,
} from './comment-repository.ts';
import { enqueueCommentPosted } from './comment-events.ts';
import { discussionChanged } from './comment-discussion-change.ts';
import type { ChangeDeps } from '../changes/content-change-publish.ts';
import { commentBodyHash, commentLengthProblem, countLinks, findBlockedWords, normalizeCommentText } from './comment-text.ts';
import { minutesToWait, type RateLimit, type RateLimiter } from '../rate-limits/rate-limiter.ts';

/** Site rules for comments (from config). */
export interface CommentRules {
  closeAfterDays: number;
  blockedWords: readonly string[];
  maxLinks: number;
}

export interface CommentDeps extends ReaderDeps, ChangeDeps {
  limiter: RateLimiter;
  rules: CommentRules;
  /** Public origin for absolute links in webhook payloads. */
  siteUrl?: string;
}

/** Abuse limits: a person types a few comments in ten minutes, a script types hundreds. */
export const COMMENT_LIMITS = {
  perReader: { max: 5, windowMs: 10 * 60 * 1000 },
  perIp: { max: 20, windowMs: 10 * 60 * 1000 },
  reportsPerReader: { max: 20, windowMs: 60 * 60 * 1000 },
} as const satisfies Record<string, RateLimit>;

const DUPLICATE_WINDOW_MS = 24 * 3600 * 1000;
export const REPORT_REASON_MAX = 300;

export type PostOutcome =
  { comment: PublicComment; status: 'published' } | { comment: PublicComment; status: 'pending'; reason: QueueReason };

function assertCanAct(session: ReaderSession): void {
  if (session.banned) throw new ForbiddenError('Your account has been banned from commenting on this site.');
}

async function limit(deps: CommentDeps, bucket: string, l: RateLimit, what: string): Promise<void> {
  const d = await deps.limiter.consume(bucket, l);
  if (!d.ok) {
    const n = minutesToWait(d.retryAfterMs);
    throw new RateLimitedError(`You are ${what} too fast. Please wait ${n} minute${n === 1 ? '' : 's'} and try again.`, d.retryAfterMs);
  }
}

function cleanBody(raw: unknown): string {
  const text = normalizeCommentText(typeof raw === 'string' ? raw : '');
  const problem = commentLengthProblem(text);
  if (problem) throw new ValidationError(problem, [{ path: 'body', message: problem }]);
  return text;
}

/**
 * Posts a comment or a reply. Checks, in order: ban, text, whether the story takes comments,
 * the parent, rate limits, duplicates; then publishes it or queues it for an editor.
 */
export async function postComment(
  deps: CommentDeps,
  session: ReaderSession,
  input: { articleId: string; parentId?: string | null; body: unknown },
  meta: { ip: string },
): Promise<PostOutcome> {
  assertCanAct(session);
  const body = cleanBody(input.body);
  const article = isId(input.articleId) ? await findCommentableArticle(deps.db, input.articleId) : null;
  if (!article) throw new NotFoundError('There is no such story.');
  const now = deps.clock();
  const state = stateOf(article, now, deps.rules.closeAfterDays);
  if (state.kind === 'closed') throw new ForbiddenError(closedMessage(state.reason));
  let parentId: string | null = null;
  if (input.parentId) {
    const parent = isId(input.parentId) ? await findCommentRow(deps.db, input.parentId) : undefined;
    if (!parent || parent.article_id !== article.id || parent.status !== 'published')
      throw new NotFoundError('The comment you are replying to is not available any more.');
    // Replies to replies join the same thread (one level of nesting).
    parentId = parent.parent_id ?? parent.id;
  }
  await limit(deps, `comment:reader:${session.reader.id}`, COMMENT_LIMITS.perReader, 'commenting');
  await limit(deps, `comment:ip:${meta.ip}`, COMMENT_LIMITS.perIp, 'commenting');
  const bodyHash = commentBodyHash(body);
  if (await findRecentDuplicate(deps.db, session.reader.id, bodyHash, new Date(now.getTime() - DUPLICATE_WINDOW_MS).toISOString())) {
    throw new ConflictError('You have already posted this comment.');
  }
  const decision = decidePublication({
    moderatedArticle: state.moderated,
    blockedWords: findBlockedWords(body, deps.rules.blockedWords),
    links: countLinks(body),
    maxLinks: deps.rules.maxLinks,
    unverified: verificationRequired(deps) && !session.reader.emailVerified,
  });
  const id = newId();
  const nowIso = now.toISOString();
  await withTransaction(deps.db, async (trx) => {
    await insertComment(trx, {
      id,
      article_id: article.id,
      reader_id: session.reader.id,
      parent_id: parentId,
      status: decision.status,
      queue_reason: decision.status === 'pending' ? decision.reason : null,
      like_count: 0,
      report_count: 0,
      body_hash: bodyHash,
      ip: meta.ip.slice(0, 64),
      created_at: nowIso,
      edited_at: null,
      published_at: decision.status === 'published' ? nowIso : null,
      moderated_by: null,
      moderated_at: null,
      body,
    });
    if (decision.status === 'published') {
      await discussionChanged(deps, trx, article.id, 'comment.post');
      await enqueueCommentPosted(trx, id, { createdAt: nowIso, siteUrl: deps.siteUrl, directoryDb: deps.db });
    }
  });
  const comment = (await findPublicComment(deps.db, id))!;
  return decision.status === 'published' ? { comment, status: 'published' } : { comment, status: 'pending', reason: decision.reason };
}

async function ownEditable(deps: CommentDeps, session: ReaderSession, commentId: string) {
  assertCanAct(session);
  const row = isId(commentId) ? await findCommentRow(deps.db, commentId) : undefined;
  if (!row || row.reader_id !== session.reader.id || (row.status !== 'published' && row.status !== 'pending'))
    throw new NotFoundError('There is no such comment of yours.');
  if (editableUntil({ createdAt: row.created_at }).getTime() <= deps.clock().getTime()) {
    throw new ForbiddenError('Comments can only be edited or deleted in the first 15 minutes after posting.');
  }
  return row;
}

/** The reader's own comment, if they may still edit it (for the edit form). */
export async function getOwnEditableComment(deps: CommentDeps, session: ReaderSession, commentId: string): Promise<PublicComment> {
  const row = await ownEditable(deps, session, commentId);
  return (await findPublicComment(deps.db, row.id))!;
}

/** Edits the reader's own comment within the window; new blocked words or links send it to the queue. */
export async function editOwnComment(
  deps: CommentDeps,
  session: ReaderSession,
  commentId: string,
  rawBody: unknown,
): Promise<{ comment: PublicComment; status: CommentStatus }> {
  const row = await ownEditable(deps, session, commentId);
  const body = cleanBody(rawBody);
  const flagged = findBlockedWords(body, deps.rules.blockedWords).length > 0 || countLinks(body) > deps.rules.maxLinks;
  const status: CommentStatus = flagged ? 'pending' : (row.status as CommentStatus);
  const nowIso = deps.clock().toISOString();
  await withTransaction(deps.db, async (trx) => {
    await updateComment(trx, row.id, {
      body,
      body_hash: commentBodyHash(body),
      edited_at: nowIso,
      status,
      ...(flagged ? { queue_reason: 'edited_blocked' as QueueReason, published_at: null } : {}),
    });
    // A published comment's new text shows on the thread page even when its status stays.
    if (status !== row.status || row.status === 'published') await discussionChanged(deps, trx, row.article_id, 'comment.edit');
  });
  return { comment: (await findPublicComment(deps.db, row.id))!, status };
}

/** Deletes the reader's own comment within the window (its text is erased, not kept). */
export async function deleteOwnComment(deps: CommentDeps, session: ReaderSession, commentId: string): Promise<{ articleId: string }> {
  const row = await ownEditable(deps, session, commentId);
  await withTransaction(deps.db, async (trx) => {
    await updateComment(trx, row.id, { status: 'deleted', body: '', edited_at: deps.clock().toISOString() });
    if (row.status === 'published') await discussionChanged(deps, trx, row.article_id, 'comment.delete');
  });
  return { articleId: row.article_id };
}

async function publishedComment(deps: CommentDeps, commentId: string) {
  const row = isId(commentId) ? await findCommentRow(deps.db, commentId) : undefined;
  if (!row || row.status !== 'published') throw new NotFoundError('There is no such comment.');
  return row;
}

/** Likes a comment, or takes the like back; a reader cannot like their own comment. */
export async function toggleLike(
  deps: CommentDeps,
  session: ReaderSession,
  commentId: string,
  like: boolean,
): Promise<{ liked: boolean; likeCount: number }> {
  assertCanAct(session);
  const row = await publishedComment(deps, commentId);
  if (row.reader_id === session.reader.id) throw new ValidationError('You cannot like your own comment.');
  const nowIso = deps.clock().toISOString();
  const likeCount = await withTransaction(deps.db, async (trx) => {
    if (like) await insertLike(trx, row.id, session.reader.id, nowIso);
    else await deleteLike(trx, row.id, session.reader.id);
    return refreshLikeCount(trx, row.id);
  });
  return { liked: like, likeCount };
}

/** Reports a comment to the editors (once per reader); it then shows in the "Reported" queue. */
export async function reportComment(
  deps: CommentDeps,
  session: ReaderSession,
  commentId: string,
  rawReason: unknown,
): Promise<{ firstReport: boolean }> {
  assertCanAct(session);
  const row = await publishedComment(deps, commentId);
  const reason = normalizeCommentText(typeof rawReason === 'string' ? rawReason : '').slice(0, REPORT_REASON_MAX);
  await limit(deps, `report:reader:${session.reader.id}`, COMMENT_LIMITS.reportsPerReader, 'reporting');
  const firstReport = await withTransaction(deps.db, async (trx) => {
    const inserted = await insertReport(trx, row.id, session.reader.id, reason, deps.clock().toISOString());
    if (inserted) await refreshReportCount(trx, row.id);
    return inserted;
  });
  return { firstReport };
}
