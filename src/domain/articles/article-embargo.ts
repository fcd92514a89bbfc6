import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../accounts/role.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Article } from './article.ts';
import { assertCan } from './article-policy.ts';
import { extractKeywords } from './article-related.ts';
import { findArticleById, updateArticleRow } from './article-repository.ts';
import { recordRevision } from './article-revisions.ts';

/**
 * Sets or lifts a story's embargo (`embargoUntil` null lifts it). An embargo is a publication
 * decision, so it needs the right to schedule. It may never end after a time the story is
 * already published or scheduled from: that would put an embargoed story in front of
 * readers, so the editor unpublishes or reschedules first.
 */
export async function setEmbargo(
  deps: ServiceDeps,
  articleId: string,
  embargoUntil: string | null,
  actor: Actor,
  expectedRevision?: number,
): Promise<Article> {
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    const current = await findArticleById(trx, articleId);
    if (!current) throw new NotFoundError('That article does not exist.');
    assertCan(actor, 'schedule', current);
    if (expectedRevision !== undefined && current.revision !== expectedRevision) {
      throw new ConflictError(`This story was changed by someone else (now revision ${current.revision}, you loaded revision ${expectedRevision}).`);
    }
    if (embargoUntil !== null) {
      if (current.status === 'published' && current.publishedAt !== null && embargoUntil > current.publishedAt) {
        throw new ConflictError(`The story is already published (since ${current.publishedAt}); unpublish it before setting an embargo until ${embargoUntil}.`);
      }
      if (current.status === 'scheduled' && current.scheduledAt !== null && embargoUntil > current.scheduledAt) {
        throw new ConflictError(`The story is scheduled for ${current.scheduledAt}, before the embargo ends (${embargoUntil}); reschedule it first.`);
      }
    }
    if (current.embargoUntil === embargoUntil) return current;
    const next: Article = { ...current, embargoUntil, modifiedAt: nowIso, revision: current.revision + 1 };
    if (!(await updateArticleRow(trx, next, extractKeywords(next), current.revision))) {
      throw new ConflictError('This story was changed by someone else meanwhile. Reload and try again.');
    }
    await recordRevision(trx, next, 'embargo', actor, nowIso);
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'article.embargo',
      subjectType: 'article',
      subjectId: articleId,
      details: { from: current.embargoUntil, to: embargoUntil, revision: next.revision },
    });
    return next;
  });
}
