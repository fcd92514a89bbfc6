import type { Db } from '../../db/database.ts';
import { articlePath } from '../articles/article.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import type { ModeratedComment } from './comment.ts';
import type { QueueReason } from './comment-policy.ts';
import { rowToPublicComment } from './comment-repository.ts';

export interface ModerationFilter {
  view: 'pending' | 'reported' | 'published' | 'rejected' | 'all';
  articleId?: string;
  readerId?: string;
  /** 1-based. */
  page: number;
}

/** Rows for the moderation queue, oldest waiting first for pending, newest first otherwise. */
export async function listModerationRows(db: Db, f: ModerationFilter, limit: number): Promise<ModeratedComment[]> {
  let q = db
    .selectFrom('comments as c')
    .innerJoin('readers as r', 'r.id', 'c.reader_id')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .select((eb) => [
      'c.id',
      'c.article_id',
      'c.reader_id',
      'c.parent_id',
      'c.status',
      'c.body',
      'c.like_count',
      'c.report_count',
      'c.queue_reason',
      'c.created_at',
      'c.edited_at',
      'c.ip',
      'c.moderated_at',
      'r.display_name',
      'r.email',
      'a.headline',
      'a.slug',
      'a.section_id',
      eb
        .exists(eb.selectFrom('reader_bans as b').select('b.id').whereRef('b.reader_id', '=', 'r.id').where('b.lifted_at', 'is', null))
        .as('banned'),
    ]);
  if (f.view === 'pending') q = q.where('c.status', '=', 'pending');
  else if (f.view === 'reported') q = q.where('c.report_count', '>', 0).where('c.status', '=', 'published');
  else if (f.view === 'published') q = q.where('c.status', '=', 'published');
  else if (f.view === 'rejected') q = q.where('c.status', '=', 'rejected');
  else q = q.where('c.status', '!=', 'deleted');
  if (f.articleId) q = q.where('c.article_id', '=', f.articleId);
  if (f.readerId) q = q.where('c.reader_id', '=', f.readerId);
  q =
    f.view === 'pending'
      ? q.orderBy('c.created_at', 'asc').orderBy('c.id', 'asc')
      : f.view === 'reported'
        ? q.orderBy('c.report_count', 'desc').orderBy('c.created_at', 'desc')
        : q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc');
  const rows = await q
    .limit(limit)
    .offset((f.page - 1) * (limit - 1))
    .execute();
  const sections = await sectionDirectory(db).byIdMap();
  return rows.map((r) => ({
    ...rowToPublicComment(r),
    queueReason: r.queue_reason as QueueReason | null,
    reportCount: Number(r.report_count),
    readerEmail: r.email,
    readerBanned: (r.banned as unknown) === true || Number(r.banned) === 1,
    articleHeadline: r.headline,
    articlePath: articlePath(sections.get(r.section_id)?.slug ?? 'news', r.slug),
    ip: r.ip,
    moderatedAt: r.moderated_at,
  }));
}

/** Open report reasons for these comments, by comment id. */
export async function listReportReasons(db: Db, commentIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!commentIds.length) return out;
  const rows = await db
    .selectFrom('comment_reports')
    .select(['comment_id', 'reason'])
    .where('comment_id', 'in', commentIds)
    .where('resolved_at', 'is', null)
    .orderBy('created_at')
    .execute();
  for (const r of rows) if (r.reason) (out.get(r.comment_id) ?? out.set(r.comment_id, []).get(r.comment_id)!).push(r.reason);
  return out;
}

/** How many comments wait (pending) and how many published ones carry open reports. */
export async function countQueues(db: Db): Promise<{ pending: number; reported: number }> {
  const [p, r] = await Promise.all([
    db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'published')
      .where('report_count', '>', 0)
      .executeTakeFirstOrThrow(),
  ]);
  return { pending: Number(p.n), reported: Number(r.n) };
}

/** A reader as the moderation screens show them. */
export async function findReaderForModeration(db: Db, readerId: string) {
  const row = await db
    .selectFrom('readers as r')
    .select((eb) => [
      'r.id',
      'r.display_name',
      'r.email',
      'r.email_verified_at',
      'r.created_at',
      eb
        .selectFrom('comments as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.reader_id', '=', 'r.id')
        .where('c.status', '=', 'published')
        .as('published'),
      eb
        .selectFrom('comments as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.reader_id', '=', 'r.id')
        .where('c.status', 'in', ['rejected'])
        .as('rejected'),
    ])
    .where('r.id', '=', readerId)
    .executeTakeFirst();
  if (!row) return undefined;
  const ban = await db
    .selectFrom('reader_bans')
    .select(['reason', 'created_at', 'banned_by'])
    .where('reader_id', '=', readerId)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    verified: row.email_verified_at !== null,
    createdAt: row.created_at,
    published: Number(row.published ?? 0),
    rejected: Number(row.rejected ?? 0),
    ban: ban ? { reason: ban.reason, at: ban.created_at } : null,
  };
}
export type ModeratedReader = NonNullable<Awaited<ReturnType<typeof findReaderForModeration>>>;
