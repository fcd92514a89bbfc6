import type { Actor } from '../accounts/role.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Article } from './article.ts';
import { assertCan } from './article-policy.ts';
import { getRevision } from './article-revisions.ts';
import { cancelPendingJobs, insertPublishJob } from './article-scheduler.ts';
import type { ArticleInput } from './article-schemas.ts';
import { updateArticle } from './article-service.ts';
import { ALLOWED_FROM, transition, type WorkflowAction } from './article-workflow.ts';
import { writeStory } from './article-write.ts';

/**
 * Carries out one workflow action for a newsroom user and persists it: the new status, the
 * scheduled job (created, replaced or cancelled), and a revision snapshot, in one
 * transaction. `expectedRevision`, when given, refuses the action if the story changed
 * since the user loaded it.
 */
export async function runWorkflowAction(
  deps: ServiceDeps,
  articleId: string,
  action: WorkflowAction,
  actor: Actor,
  expectedRevision?: number,
): Promise<Article> {
  const now = deps.clock();
  const nowIso = now.toISOString();
  return writeStory(deps, {
    articleId,
    expectedRevision,
    actor,
    action: action.type,
    now,
    apply: async (current, { trx, revision }) => {
      // Refusals by role are `forbidden`; refusals by state, time or embargo are `conflict`.
      if (ALLOWED_FROM[action.type].includes(current.status)) assertCan(actor, action.type, current);
      const result = transition(current, action, actor, now);
      if (!result.ok) throw new ConflictError(result.reason);
      const next = result.next;
      // Any pending job is superseded: rescheduled, published by hand, sent back, cancelled.
      await cancelPendingJobs(trx, articleId, nowIso);
      if (next.status === 'scheduled' && next.scheduledAt) await insertPublishJob(trx, articleId, next.scheduledAt, actor.userId, nowIso);
      const publicationChanged = current.status !== next.status && (current.status === 'published' || next.status === 'published');
      return {
        story: next,
        audit: { from: current.status, to: next.status, revision, ...(next.scheduledAt ? { scheduledAt: next.scheduledAt } : {}) },
        event: publicationChanged ? (next.status === 'published' ? 'article.published' : 'article.unpublished') : null,
      };
    },
  });
}

/**
 * Restores the headline, standfirst, body and the rest of a revision's content as a new
 * revision (status, schedule and embargo stay as they are now). Refused with a conflict if
 * the story is no longer at `expectedRevision`.
 */
export async function restoreRevision(
  deps: ServiceDeps,
  articleId: string,
  revision: number,
  expectedRevision: number,
  actor: Actor,
): Promise<Article> {
  const stored = await getRevision(deps.db, articleId, revision);
  if (!stored) throw new NotFoundError(`This story has no revision ${revision}.`);
  const s = stored.snapshot;
  // Tags and authors an editor has since merged or deleted are left out (they cannot come back).
  const stillThere = async (table: 'tags' | 'authors', ids: readonly string[]) => {
    if (!ids.length) return [];
    const found = new Set((await deps.db.selectFrom(table).select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    return ids.filter((id) => found.has(id));
  };
  const input: ArticleInput = {
    headline: s.headline,
    standfirst: s.standfirst,
    slug: s.slug,
    sectionId: s.sectionId,
    authorIds: await stillThere('authors', s.authorIds),
    tagIds: await stillThere('tags', s.tagIds),
    heroImageId: s.heroImageId,
    body: s.body,
    language: s.language,
    translationGroupId: s.translationGroupId,
    commentsPolicy: s.commentsPolicy,
    seoTitle: s.seoTitle,
    seoDescription: s.seoDescription,
  };
  return updateArticle(deps, articleId, input, expectedRevision, {
    actor,
    recordAs: 'restore',
    auditDetails: { restoredRevision: revision },
  });
}
