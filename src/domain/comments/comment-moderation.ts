import type { ServiceDeps } from '../deps.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { withTransaction } from '../../db/transaction.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import { findReaderById, isReaderBanned } from '../readers/reader-repository.ts';
import type { ModeratedComment } from './comment.ts';
import { enqueueCommentPosted } from './comment-events.ts';
import { resolveReports, updateComment } from './comment-repository.ts';
import { discussionChanged } from './comment-discussion-change.ts';
import {
  countQueues,
  findReaderForModeration,
  listModerationRows,
  listReportReasons,
  type ModeratedReader,
  type ModerationFilter,
} from './comment-moderation-repository.ts';
import { findCommentableArticle } from './comment-article.ts';

/*
 * The editors' side: the queue of pending and reported comments, approve / reject / delete
 * (one or many at once), and banning readers. Every action writes the audit log in the
 * same transaction as the change, and comment counts are recomputed for every touched story.
 */

export const MODERATION_ACTIONS = ['approve', 'reject', 'delete'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
export const MODERATION_VIEWS = ['pending', 'reported', 'published', 'rejected', 'all'] as const;
export type ModerationView = (typeof MODERATION_VIEWS)[number];
export const MODERATION_PAGE_SIZE = 50;
export const MAX_BULK = 200;

type ModerationDeps = Pick<ServiceDeps, 'db' | 'clock' | 'siteUrl' | 'changes' | 'logger'>;

export function isModerationAction(v: unknown): v is ModerationAction {
  return typeof v === 'string' && (MODERATION_ACTIONS as readonly string[]).includes(v);
}

export function isModerationView(v: unknown): v is ModerationView {
  return typeof v === 'string' && (MODERATION_VIEWS as readonly string[]).includes(v);
}

/** One page of the moderation queue (editors and admins). */
export async function listModerationQueue(
  deps: ModerationDeps,
  actor: Actor,
  filter: ModerationFilter,
): Promise<{ items: ModeratedComment[]; hasMore: boolean }> {
  assertRole(actor, 'editor', 'Only editors can moderate comments.');
  const rows = await listModerationRows(deps.db, filter, MODERATION_PAGE_SIZE + 1);
  return { items: rows.slice(0, MODERATION_PAGE_SIZE), hasMore: rows.length > MODERATION_PAGE_SIZE };
}

const AUDIT_VERB: Record<ModerationAction, string> = { approve: 'comment.approved', reject: 'comment.rejected', delete: 'comment.deleted' };

/** Applies one action to one or more comments; returns how many changed. Unknown ids are refused before anything changes. */
export async function moderateComments(
  deps: ModerationDeps,
  actor: Actor,
  ids: readonly string[],
  action: ModerationAction,
): Promise<number> {
  assertRole(actor, 'editor', 'Only editors can moderate comments.');
  const unique = [...new Set(ids)];
  if (!unique.length) throw new ValidationError('Select at least one comment.');
  if (unique.length > MAX_BULK) throw new ValidationError(`Select at most ${MAX_BULK} comments at a time.`);
  if (!unique.every(isId)) throw new NotFoundError('There is no such comment.');
  const now = deps.clock();
  const nowIso = now.toISOString();
  const published: string[] = [];
  const changed = await withTransaction(deps.db, async (trx) => {
    const rows = await trx
      .selectFrom('comments')
      .select(['id', 'article_id', 'reader_id', 'status', 'published_at', 'body', 'report_count'])
      .where('id', 'in', unique)
      .execute();
    if (rows.length !== unique.length)
      throw new NotFoundError('Some of the selected comments no longer exist. Reload the page and try again.');
    const articles = new Set<string>();
    let n = 0;
    for (const row of rows) {
      const status = action === 'approve' ? 'published' : action === 'reject' ? 'rejected' : 'deleted';
      // Nothing to do (approving a published comment still counts when it dismisses reports).
      if (row.status === 'deleted' || (row.status === status && Number(row.report_count) === 0)) continue;
      await updateComment(trx, row.id, {
        status,
        moderated_by: actor.userId,
        moderated_at: nowIso,
        ...(action === 'approve' && !row.published_at ? { published_at: nowIso } : {}),
        ...(action === 'delete' ? { body: '' } : {}),
      });
      if (action === 'approve' && row.status !== 'published') published.push(row.id);
      articles.add(row.article_id);
      await recordAudit(trx, {
        at: now,
        actorUserId: actor.userId,
        action: AUDIT_VERB[action],
        subjectType: 'comment',
        subjectId: row.id,
        // A deleted comment's text survives only here, for the record.
        details: {
          articleId: row.article_id,
          readerId: row.reader_id,
          from: row.status,
          bulk: unique.length > 1,
          ...(action === 'delete' ? { text: row.body.slice(0, 500) } : {}),
        },
      });
      n += 1;
    }
    // Whatever the decision, the reports on these comments have been dealt with.
    await resolveReports(
      trx,
      rows.map((r) => r.id),
      nowIso,
    );
    for (const articleId of articles) await discussionChanged(deps, trx, articleId, `comment.${action}`);
    for (const id of published) await enqueueCommentPosted(trx, id, { createdAt: nowIso, siteUrl: deps.siteUrl, directoryDb: deps.db });
    return n;
  });
  return changed;
}

/**
 * Bans a reader from commenting: their pending comments are rejected, and with
 * `removePublished` their published ones are taken down too.
 */
export async function banReader(
  deps: ModerationDeps,
  actor: Actor,
  readerId: string,
  input: { reason?: string; removePublished?: boolean },
): Promise<{ rejected: number }> {
  assertRole(actor, 'editor', 'Only editors can ban readers.');
  const reader = isId(readerId) ? await findReaderById(deps.db, readerId) : undefined;
  if (!reader) throw new NotFoundError('There is no such reader.');
  if (await isReaderBanned(deps.db, readerId)) return { rejected: 0 };
  const now = deps.clock();
  const nowIso = now.toISOString();
  const reason = (input.reason ?? '').trim().slice(0, 300);
  return withTransaction(deps.db, async (trx) => {
    await trx
      .insertInto('reader_bans')
      .values({ id: newId(), reader_id: readerId, reason, banned_by: actor.userId, created_at: nowIso, lifted_at: null, lifted_by: null })
      .execute();
    const statuses = input.removePublished ? ['pending', 'published'] : ['pending'];
    const affected = await trx
      .selectFrom('comments')
      .select(['id', 'article_id'])
      .where('reader_id', '=', readerId)
      .where('status', 'in', statuses)
      .execute();
    if (affected.length) {
      await trx
        .updateTable('comments')
        .set({ status: 'rejected', moderated_by: actor.userId, moderated_at: nowIso })
        .where(
          'id',
          'in',
          affected.map((a) => a.id),
        )
        .execute();
      await resolveReports(
        trx,
        affected.map((a) => a.id),
        nowIso,
      );
    }
    for (const articleId of new Set(affected.map((a) => a.article_id))) await discussionChanged(deps, trx, articleId, 'comment.ban');
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'reader.banned',
      subjectType: 'reader',
      subjectId: readerId,
      details: {
        reason,
        displayName: reader.display_name,
        rejectedComments: affected.length,
        removePublished: Boolean(input.removePublished),
      },
    });
    return { rejected: affected.length };
  });
}

/** Lifts a reader's ban (their rejected comments stay rejected). */
export async function unbanReader(deps: ModerationDeps, actor: Actor, readerId: string): Promise<void> {
  assertRole(actor, 'editor', 'Only editors can lift bans.');
  if (!isId(readerId) || !(await findReaderById(deps.db, readerId))) throw new NotFoundError('There is no such reader.');
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('reader_bans')
      .set({ lifted_at: now.toISOString(), lifted_by: actor.userId })
      .where('reader_id', '=', readerId)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0)
      await recordAudit(trx, { at: now, actorUserId: actor.userId, action: 'reader.unbanned', subjectType: 'reader', subjectId: readerId });
  });
}

/** Queue sizes for the tabs (editors). */
export async function getQueueCounts(deps: ModerationDeps, actor: Actor): Promise<{ pending: number; reported: number }> {
  assertRole(actor, 'editor', 'Only editors can moderate comments.');
  return countQueues(deps.db);
}

/** Open report reasons of the listed comments (editors). */
export async function getReportReasons(deps: ModerationDeps, actor: Actor, ids: readonly string[]): Promise<Map<string, string[]>> {
  assertRole(actor, 'editor', 'Only editors can moderate comments.');
  return listReportReasons(deps.db, ids);
}

/** A reader's profile for the ban screen (editors). */
export async function getReaderForModeration(deps: ModerationDeps, actor: Actor, readerId: string): Promise<ModeratedReader> {
  assertRole(actor, 'editor', 'Only editors can moderate comments.');
  const reader = isId(readerId) ? await findReaderForModeration(deps.db, readerId) : undefined;
  if (!reader) throw new NotFoundError('There is no such reader.');
  return reader;
}

/** The headline of a story, for the "filtered by story" line. */
export async function getArticleHeadline(deps: ModerationDeps, articleId: string): Promise<string | null> {
  if (!isId(articleId)) return null;
  return (await findCommentableArticle(deps.db, articleId))?.headline ?? null;
}
