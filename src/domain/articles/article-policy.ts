import type { Actor } from '../accounts/role.ts';
import { ForbiddenError } from '../errors.ts';
import type { Article } from './article.ts';

/** The workflow actions (article-workflow.ts); listed here so policy and workflow share one list without an import cycle. */
export const WORKFLOW_ACTION_TYPES = [
  'submit',
  'return_to_draft',
  'schedule',
  'publish',
  'unpublish',
  'republish',
  'cancel_schedule',
] as const;
export type WorkflowActionType = (typeof WORKFLOW_ACTION_TYPES)[number];

/** Everything a newsroom user may try on a story: the workflow actions plus editing and notes. */
export type ArticleAction = WorkflowActionType | 'edit' | 'add_note';
export const ARTICLE_ACTIONS: readonly ArticleAction[] = [...WORKFLOW_ACTION_TYPES, 'edit', 'add_note'];

/** The actions an author may take on their own stories (any status the workflow allows). */
const AUTHOR_OWN: ReadonlySet<ArticleAction> = new Set<ArticleAction>([
  'edit',
  'submit',
  'return_to_draft',
  'schedule',
  'cancel_schedule',
  'publish',
  'unpublish',
  'republish',
  'add_note',
]);

/**
 * Whether `actor` may take `action` on `article`. A story is the actor's own when they
 * created it (`createdBy`). Contributors edit and submit their own drafts and never publish
 * or schedule; authors also schedule, publish, unpublish and annotate their own stories;
 * editors and admins may do everything to any story. Whether the action fits the story's
 * status is article-workflow.ts's question, not this one's.
 */
export function can(actor: Actor, action: ArticleAction, article: Pick<Article, 'status' | 'createdBy'>): boolean {
  const own = article.createdBy !== null && article.createdBy === actor.userId;
  switch (actor.role) {
    case 'admin':
    case 'editor':
      return true;
    case 'author':
      return own && AUTHOR_OWN.has(action);
    case 'contributor':
      return own && article.status === 'draft' && (action === 'edit' || action === 'submit');
    default: {
      const exhaustive: never = actor.role;
      throw new Error(`unknown role ${String(exhaustive)}`);
    }
  }
}

/** Throws a ForbiddenError unless `can(actor, action, article)`. */
export function assertCan(actor: Actor, action: ArticleAction, article: Pick<Article, 'status' | 'createdBy'>): void {
  if (!can(actor, action, article)) {
    throw new ForbiddenError(`A ${actor.role} may not ${action.replaceAll('_', ' ')} this story.`);
  }
}
