import type { Db } from '../../db/database.ts';
import type { CommentTable } from '../../db/schema.ts';
import type { CommentSort, CommentStatus, PublicComment } from './comment.ts';

const PUBLIC_COLUMNS = [
  'c.id',
  'c.article_id',
  'c.reader_id',
  'c.parent_id',
  'c.status',
  'c.body',
  'c.like_count',
  'c.created_at',
  'c.edited_at',
  'r.display_name',
] as const;

interface PublicRow {
  id: string;
  article_id: string;
  reader_id: string;
  parent_id: string | null;
  status: string;
  body: string;
  like_count: number;
  created_at: string;
  edited_at: string | null;
  display_name: string;
}

export function rowToPublicComment(r: PublicRow): PublicComment {
  return {
    id: r.id,
    articleId: r.article_id,
    readerId: r.reader_id,
    readerName: r.display_name,
    parentId: r.parent_id,
    status: r.status as CommentStatus,
    body: r.body,
    likeCount: Number(r.like_count),
    createdAt: r.created_at,
    editedAt: r.edited_at,
  };
}

export async function insertComment(db: Db, row: CommentTable): Promise<void> {
  await db.insertInto('comments').values(row).execute();
}

export async function findCommentRow(db: Db, id: string): Promise<CommentTable | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPublicComment(db: Db, id: string): Promise<PublicComment | undefined> {
  const row = await db
    .selectFrom('comments as c')
    .innerJoin('readers as r', 'r.id', 'c.reader_id')
    .select(PUBLIC_COLUMNS)
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row ? rowToPublicComment(row) : undefined;
}

export async function updateComment(db: Db, id: string, changes: Partial<Omit<CommentTable, 'id'>>): Promise<void> {
  await db.updateTable('comments').set(changes).where('id', '=', id).execute();
}

/** Recomputes an article's published-comment count from the comments themselves (always right, even after races). */
export async function refreshArticleCommentCount(db: Db, articleId: string): Promise<number> {
  await db
    .updateTable('articles')
    .set((eb) => ({
      comment_count: eb
        .selectFrom('comments')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('article_id', '=', articleId)
        .where('status', '=', 'published'),
    }))
    .where('id', '=', articleId)
    .execute();
  const row = await db.selectFrom('articles').select('comment_count').where('id', '=', articleId).executeTakeFirst();
  return Number(row?.comment_count ?? 0);
}

/**
 * One page of top-level comments: published ones, and removed ones that still have
 * published replies (shown as a placeholder so the replies keep their context).
 */
export async function listThreadRoots(
  db: Db,
  articleId: string,
  sort: CommentSort,
  offset: number,
  limit: number,
): Promise<PublicComment[]> {
  let q = db
    .selectFrom('comments as c')
    .innerJoin('readers as r', 'r.id', 'c.reader_id')
    .select(PUBLIC_COLUMNS)
    .where('c.article_id', '=', articleId)
    .where('c.parent_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb('c.status', '=', 'published'),
        eb.exists(eb.selectFrom('comments as x').select('x.id').whereRef('x.parent_id', '=', 'c.id').where('x.status', '=', 'published')),
      ]),
    );
  if (sort === 'liked') q = q.orderBy('c.like_count', 'desc').orderBy('c.created_at', 'desc');
  else q = q.orderBy('c.created_at', sort === 'newest' ? 'desc' : 'asc');
  const rows = await q
    .orderBy('c.id', sort === 'oldest' ? 'asc' : 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map(rowToPublicComment);
}

/** Published replies of the given threads, oldest first. */
export async function listReplies(db: Db, rootIds: readonly string[]): Promise<PublicComment[]> {
  if (!rootIds.length) return [];
  const rows = await db
    .selectFrom('comments as c')
    .innerJoin('readers as r', 'r.id', 'c.reader_id')
    .select(PUBLIC_COLUMNS)
    .where('c.parent_id', 'in', rootIds)
    .where('c.status', '=', 'published')
    .orderBy('c.created_at', 'asc')
    .orderBy('c.id', 'asc')
    .execute();
  return rows.map(rowToPublicComment);
}

/** A non-deleted comment by this reader with the same text since `sinceIso`. */
export async function findRecentDuplicate(db: Db, readerId: string, bodyHash: string, sinceIso: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('reader_id', '=', readerId)
    .where('body_hash', '=', bodyHash)
    .where('created_at', '>=', sinceIso)
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
  return row?.id;
}

/** Adds a like once; returns false when the reader already liked the comment. */
export async function insertLike(db: Db, commentId: string, readerId: string, nowIso: string): Promise<boolean> {
  const r = await db
    .insertInto('comment_likes')
    .values({ comment_id: commentId, reader_id: readerId, created_at: nowIso })
    .onConflict((oc) => oc.columns(['comment_id', 'reader_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteLike(db: Db, commentId: string, readerId: string): Promise<void> {
  await db.deleteFrom('comment_likes').where('comment_id', '=', commentId).where('reader_id', '=', readerId).execute();
}

export async function refreshLikeCount(db: Db, commentId: string): Promise<number> {
  await db
    .updateTable('comments')
    .set((eb) => ({
      like_count: eb
        .selectFrom('comment_likes')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('comment_id', '=', commentId),
    }))
    .where('id', '=', commentId)
    .execute();
  const row = await db.selectFrom('comments').select('like_count').where('id', '=', commentId).executeTakeFirst();
  return Number(row?.like_count ?? 0);
}

/** Which of these comments the reader liked. */
export async function likedByReader(db: Db, readerId: string, commentIds: readonly string[]): Promise<string[]> {
  if (!commentIds.length) return [];
  const rows = await db
    .selectFrom('comment_likes')
    .select('comment_id')
    .where('reader_id', '=', readerId)
    .where('comment_id', 'in', commentIds)
    .execute();
  return rows.map((r) => r.comment_id);
}

/** Records a report once per reader and comment; returns false for a repeat. */
export async function insertReport(db: Db, commentId: string, readerId: string, reason: string, nowIso: string): Promise<boolean> {
  const r = await db
    .insertInto('comment_reports')
    .values({ comment_id: commentId, reader_id: readerId, reason, created_at: nowIso, resolved_at: null })
    .onConflict((oc) => oc.columns(['comment_id', 'reader_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Counts open (unresolved) reports into the comment row. */
export async function refreshReportCount(db: Db, commentId: string): Promise<void> {
  await db
    .updateTable('comments')
    .set((eb) => ({
      report_count: eb
        .selectFrom('comment_reports')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('comment_id', '=', commentId)
        .where('resolved_at', 'is', null),
    }))
    .where('id', '=', commentId)
    .execute();
}

export async function resolveReports(db: Db, commentIds: readonly string[], nowIso: string): Promise<void> {
  if (!commentIds.length) return;
  await db
    .updateTable('comment_reports')
    .set({ resolved_at: nowIso })
    .where('comment_id', 'in', commentIds)
    .where('resolved_at', 'is', null)
    .execute();
  await db.updateTable('comments').set({ report_count: 0 }).where('id', 'in', commentIds).execute();
}

/** Ids of this reader's comments that the reader may still edit (created after `sinceIso`). */
export async function listOwnRecentComments(
  db: Db,
  readerId: string,
  articleId: string,
  sinceIso: string,
): Promise<Array<{ id: string; created_at: string }>> {
  return db
    .selectFrom('comments')
    .select(['id', 'created_at'])
    .where('reader_id', '=', readerId)
    .where('article_id', '=', articleId)
    .where('created_at', '>=', sinceIso)
    .where('status', 'in', ['published', 'pending'])
    .execute();
}

/** The reader's comments still inside the edit window, newest first, with their story. */
export async function listReaderEditableComments(
  db: Db,
  readerId: string,
  sinceIso: string,
): Promise<Array<PublicComment & { articleSlug: string; sectionId: string; headline: string }>> {
  const rows = await db
    .selectFrom('comments as c')
    .innerJoin('readers as r', 'r.id', 'c.reader_id')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .select([...PUBLIC_COLUMNS, 'a.slug as article_slug', 'a.section_id', 'a.headline'])
    .where('c.reader_id', '=', readerId)
    .where('c.created_at', '>=', sinceIso)
    .where('c.status', 'in', ['published', 'pending'])
    .orderBy('c.created_at', 'desc')
    .limit(20)
    .execute();
  return rows.map((r) => ({ ...rowToPublicComment(r), articleSlug: r.article_slug, sectionId: r.section_id, headline: r.headline }));
}
