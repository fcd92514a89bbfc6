import type { Db } from '../../db/database.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import { insertDeliveries, subscribedHookIds } from '../webhooks/webhook-outbox.ts';

/**
 * Queues a `comment.posted` webhook event for a comment that just became public, in the
 * caller's transaction (posted on an open story, or approved by an editor). Costs one small
 * query when no hook subscribes. `directoryDb` is the non-transaction handle for the cached
 * section directory.
 */
export async function enqueueCommentPosted(
  trx: Db,
  commentId: string,
  at: { createdAt: string; siteUrl: string | undefined; directoryDb: Db },
): Promise<void> {
  const hooks = await subscribedHookIds(trx, 'comment.posted');
  if (!hooks.length) return;
  const row = await trx
    .selectFrom('comments as c')
    .innerJoin('readers as r', 'r.id', 'c.reader_id')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .select([
      'c.id',
      'c.parent_id',
      'c.body',
      'c.created_at',
      'c.published_at',
      'r.display_name',
      'a.id as article_id',
      'a.slug',
      'a.section_id',
      'a.headline',
    ])
    .where('c.id', '=', commentId)
    .executeTakeFirst();
  if (!row) return;
  const section = await sectionDirectory(at.directoryDb).byId(row.section_id);
  const path = `/${section?.slug ?? 'news'}/${row.slug}`;
  const origin = (at.siteUrl ?? '').replace(/\/+$/, '');
  await insertDeliveries(trx, hooks, 'comment.posted', at.createdAt, {
    comment: {
      id: row.id,
      parentId: row.parent_id,
      // Plain text as the reader wrote it; receivers must escape it like any user input.
      text: row.body,
      author: { displayName: row.display_name },
      createdAt: row.created_at,
      publishedAt: row.published_at,
      url: `${origin}${path}/comments#c-${row.id}`,
    },
    article: { id: row.article_id, headline: row.headline, path, url: `${origin}${path}` },
  });
}
