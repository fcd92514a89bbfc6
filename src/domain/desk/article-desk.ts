import { assertRole, roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { userNamesByIds } from '../accounts/user-names.ts';
import type { ServiceDeps } from '../deps.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { articlePath, type Article, type ArticleStatus } from '../articles/article.ts';
import { listNotes, type ArticleNote } from '../articles/article-notes.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { listRevisions, type RevisionSummary } from '../articles/article-revisions.ts';
import { listJobs, type ScheduledJob } from '../articles/article-scheduler.ts';

/*
 * Read models of the editorial desk: one story's workflow state and history, the review
 * queue and the list of scheduled stories. Editors see every story; other roles their own.
 */

/** Whether `actor` may look at this story's workflow and history at all. */
export function canViewStory(actor: Actor, article: Pick<Article, 'createdBy'>): boolean {
  return roleAtLeast(actor.role, 'editor') || (article.createdBy !== null && article.createdBy === actor.userId);
}

/** The story by id for a newsroom screen; NotFoundError or ForbiddenError otherwise. */
export async function getDeskStory(deps: ServiceDeps, actor: Actor, articleId: string): Promise<Article> {
  const article = await findArticleById(deps.db, articleId);
  if (!article) throw new NotFoundError('There is no story with that id.');
  if (!canViewStory(actor, article)) throw new ForbiddenError('This story belongs to someone else; ask an editor.');
  return article;
}

export interface HistoryEntry extends RevisionSummary {
  /** Display name of who did it; null for the scheduler or a deleted account. */
  actorName: string | null;
}

export interface StoryHistory {
  article: Article;
  /** The public address once published (`/section/slug`), for links. */
  publicPath: string;
  revisions: HistoryEntry[];
  notes: Array<ArticleNote & { actorName: string | null }>;
  jobs: ScheduledJob[];
}

/** Everything the history screen shows about one story, newest revision first. */
export async function getStoryHistory(deps: ServiceDeps, actor: Actor, articleId: string): Promise<StoryHistory> {
  const article = await getDeskStory(deps, actor, articleId);
  const [revisions, notes, jobs, section] = await Promise.all([
    listRevisions(deps.db, articleId),
    listNotes(deps.db, articleId),
    listJobs(deps.db, articleId),
    deps.db.selectFrom('sections').select('slug').where('id', '=', article.sectionId).executeTakeFirst(),
  ]);
  const names = await userNamesByIds(deps.db, [...revisions.map((r) => r.actorUserId), ...notes.map((n) => n.actorUserId)]);
  const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  return {
    article,
    publicPath: articlePath(section?.slug ?? '', article.slug),
    revisions: revisions.map((r) => ({ ...r, actorName: nameOf(r.actorUserId) })),
    notes: notes.map((n) => ({ ...n, actorName: nameOf(n.actorUserId) })),
    jobs,
  };
}

export interface DeskItem {
  id: string;
  headline: string;
  sectionName: string;
  status: ArticleStatus;
  /** Who created the story (null for imported or seeded stories). */
  ownerName: string | null;
  modifiedAt: string;
  scheduledAt: string | null;
  embargoUntil: string | null;
  revision: number;
}

/** The most a desk list shows; a desk with more waiting has a bigger problem than paging. */
const DESK_LIMIT = 200;

async function listByStatus(deps: ServiceDeps, status: ArticleStatus, order: 'modified_at' | 'scheduled_at'): Promise<DeskItem[]> {
  const rows = await deps.db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .leftJoin('users as u', 'u.id', 'a.created_by')
    .select([
      'a.id',
      'a.headline',
      's.name as section_name',
      'a.status',
      'u.name as owner_name',
      'a.modified_at',
      'a.scheduled_at',
      'a.embargo_until',
      'a.revision',
    ])
    .where('a.status', '=', status)
    .orderBy(`a.${order}`)
    .orderBy('a.id')
    .limit(DESK_LIMIT)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    headline: r.headline,
    sectionName: r.section_name,
    status: r.status as ArticleStatus,
    ownerName: r.owner_name,
    modifiedAt: r.modified_at,
    scheduledAt: r.scheduled_at,
    embargoUntil: r.embargo_until,
    revision: r.revision,
  }));
}

/** Stories waiting for review, longest waiting first. Editors and admins only. */
export async function listReviewQueue(deps: ServiceDeps, actor: Actor): Promise<DeskItem[]> {
  assertRole(actor, 'editor', 'Only editors see the review queue.');
  return listByStatus(deps, 'in_review', 'modified_at');
}

/** Scheduled stories, soonest first. Editors and admins only. */
export async function listScheduled(deps: ServiceDeps, actor: Actor): Promise<DeskItem[]> {
  assertRole(actor, 'editor', 'Only editors see the scheduled stories.');
  return listByStatus(deps, 'scheduled', 'scheduled_at');
}
