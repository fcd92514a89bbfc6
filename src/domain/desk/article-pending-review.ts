import { assertRole, roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { userNamesByIds } from '../accounts/user-names.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import type { Article } from '../articles/article.ts';
import { findPendingChange, withPendingChange, type PendingChange } from '../articles/article-pending-change.ts';
import { can } from '../articles/article-policy.ts';
import { compareArticles, type FieldChange } from './article-compare.ts';
import type { ArticleDiff } from '../articles/article-revisions.ts';
import { getDeskStory } from './article-desk.ts';

/*
 * The desk's side of staged changes: the review of one pending change (the live story against
 * the story as the change would leave it, with the revision diff's own parts) and the list of
 * changes waiting, for the review queue.
 */

export interface PendingReview {
  live: Article;
  change: PendingChange;
  proposed: Article;
  stagedByName: string | null;
  updatedByName: string | null;
  diff: ArticleDiff;
  fieldChanges: FieldChange[];
  /** The live story was saved after the change was started: publishing replaces those edits too. */
  liveMovedOn: boolean;
  mayPublish: boolean;
  mayDiscard: boolean;
}

/** One pending change against its live story; NotFoundError when the story has none. */
export async function getPendingReview(deps: ServiceDeps, actor: Actor, articleId: string): Promise<PendingReview> {
  const live = await getDeskStory(deps, actor, articleId);
  const change = await findPendingChange(deps.db, articleId);
  if (!change) throw new NotFoundError('This story has no pending change: it was published or discarded, or never made.');
  const proposed = withPendingChange(live, change);
  const [changes, names] = await Promise.all([
    compareArticles(deps, live, proposed),
    userNamesByIds(deps.db, [change.createdBy, change.updatedBy]),
  ]);
  return {
    live,
    change,
    proposed,
    stagedByName: names.get(change.createdBy) ?? null,
    updatedByName: names.get(change.updatedBy) ?? null,
    ...changes,
    liveMovedOn: live.revision !== change.baseRevision,
    mayPublish: roleAtLeast(actor.role, 'editor'),
    mayDiscard: can(actor, 'edit', live),
  };
}

export interface PendingItem {
  articleId: string;
  headline: string;
  sectionName: string;
  stagedByName: string | null;
  updatedAt: string;
  liveMovedOn: boolean;
}

/** Changes to live stories waiting for review, longest waiting first. Editors and admins only. */
export async function listPendingChanges(deps: ServiceDeps, actor: Actor): Promise<PendingItem[]> {
  assertRole(actor, 'editor', 'Only editors see the review queue.');
  const rows = await deps.db
    .selectFrom('article_pending_changes as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .leftJoin('users as u', 'u.id', 'p.created_by')
    .select([
      'p.article_id',
      'a.headline',
      's.name as section_name',
      'u.name as staged_by',
      'p.updated_at',
      'p.base_revision',
      'a.revision',
    ])
    .orderBy('p.updated_at')
    .orderBy('p.id')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    articleId: r.article_id,
    headline: r.headline,
    sectionName: r.section_name,
    stagedByName: r.staged_by,
    updatedAt: r.updated_at,
    liveMovedOn: r.base_revision !== r.revision,
  }));
}
