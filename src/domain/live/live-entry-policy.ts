import type { Actor } from '../accounts/role.ts';
import { can } from '../articles/article-policy.ts';
import type { Article } from '../articles/article.ts';
import { ForbiddenError } from '../errors.ts';
import type { LiveEntry } from './live-entry.ts';

/*
 * Who may do what to a live blog's entries, in the story roles' own terms (article-policy.ts):
 * a contributor drafts, as they draft stories; an author publishes, as they publish their own
 * stories; an editor or admin does everything. Live coverage is team work, so an author may
 * post to any live blog, not only to one they created; changing an entry someone else
 * published, pinning and marking key events take what publishing that story takes.
 */

export type LiveEntryAction = 'draft' | 'publish' | 'edit' | 'correct' | 'delete' | 'pin' | 'key_event';

function mayPublishEntries(actor: Actor): boolean {
  return actor.role !== 'contributor';
}

/** Whether `actor` may take `action` on `entry` (null: a new entry) of `story`. */
export function canOnEntry(
  actor: Actor,
  action: LiveEntryAction,
  story: Pick<Article, 'status' | 'createdBy'>,
  entry: Pick<LiveEntry, 'status' | 'createdBy'> | null,
): boolean {
  const own = entry === null || (entry.createdBy !== null && entry.createdBy === actor.userId);
  switch (action) {
    case 'draft':
      // Any newsroom role drafts; a draft of someone else's is theirs to finish, unless an editor steps in.
      return own || can(actor, 'edit', { status: 'draft', createdBy: null });
    case 'publish':
      return mayPublishEntries(actor);
    case 'edit':
    case 'correct':
    case 'delete':
      if (entry?.status === 'draft') return own || can(actor, 'edit', { status: 'draft', createdBy: null });
      // A published entry: its author (if they may publish) or whoever may publish the story itself.
      return (own && mayPublishEntries(actor)) || can(actor, 'publish', story);
    case 'pin':
    case 'key_event':
      return mayPublishEntries(actor);
    default: {
      const exhaustive: never = action;
      throw new Error(`unknown live entry action ${String(exhaustive)}`);
    }
  }
}

const VERBS: Record<LiveEntryAction, string> = {
  draft: 'draft entries on',
  publish: 'publish entries on',
  edit: 'edit this entry of',
  correct: 'correct this entry of',
  delete: 'delete this entry of',
  pin: 'pin entries on',
  key_event: 'mark key events on',
};

export function assertCanOnEntry(...args: Parameters<typeof canOnEntry>): void {
  if (!canOnEntry(...args)) throw new ForbiddenError(`A ${args[0].role} may not ${VERBS[args[1]]} this live blog.`);
}
