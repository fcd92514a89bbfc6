import { withTransaction } from '../../db/transaction.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import { enqueueArticleEvent } from '../webhooks/webhook-article-events.ts';
import { findArticleById, findArticlesRelatedTo } from './article-repository.ts';
import { refreshRelated } from './article-service.ts';

/**
 * Deletes a story for good: bylines, tags, related lists, redirects, scheduled jobs,
 * revisions and notes go with it (ON DELETE CASCADE). Editors and admins only — deleting is
 * not in the per-story policy table because an author's way to take down their own story is
 * to unpublish it, which keeps the history. Writes an audit entry and queues
 * `article.deleted` (built from the story before it goes) in the same transaction; stories
 * that listed it under "You might also like" are then recomputed.
 */
export async function deleteArticle(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertRole(actor, 'editor', 'Only editors and administrators may delete stories; unpublish it instead.');
  const now = deps.clock();
  const nowIso = now.toISOString();
  const neighbours = await withTransaction(deps.db, async (trx) => {
    const article = await findArticleById(trx, id);
    if (!article) throw new NotFoundError('That article does not exist.');
    const pointing = await findArticlesRelatedTo(trx, id);
    await enqueueArticleEvent(trx, 'article.deleted', article, { createdAt: nowIso, siteUrl: deps.siteUrl });
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'article.deleted',
      subjectType: 'article',
      subjectId: id,
      details: { headline: article.headline, status: article.status, slug: article.slug, revision: article.revision },
    });
    await trx.deleteFrom('articles').where('id', '=', id).execute();
    return pointing;
  });
  for (const other of neighbours) if (other !== id) await refreshRelated(deps, other);
}
