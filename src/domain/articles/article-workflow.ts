import type { Actor } from '../accounts/role.ts';
import type { Article, ArticleStatus } from './article.ts';
import { can, type WorkflowActionType } from './article-policy.ts';

/*
 * The editorial workflow as a pure state machine: no database, no clock of its own.
 *
 *   draft ──submit──► in_review ──schedule(at)──► scheduled ──(due / publish)──► published
 *     ▲                  │                            │                            │ unpublish
 *     └──return_to_draft─┘◄─────cancel_schedule───────┘                            ▼
 *     └──return_to_draft──────────────────────────────────────────────────── unpublished ──republish──► published
 *
 * Approving a submitted story is `schedule` with a time (or `publish` for now).
 */

export type WorkflowAction =
  | { type: 'submit' }
  | { type: 'return_to_draft' }
  | { type: 'schedule'; at: string }
  | { type: 'publish' }
  | { type: 'unpublish' }
  | { type: 'republish' }
  | { type: 'cancel_schedule' };

/** The statuses each action may start from. */
export const ALLOWED_FROM: Readonly<Record<WorkflowActionType, readonly ArticleStatus[]>> = {
  submit: ['draft'],
  return_to_draft: ['in_review', 'unpublished'],
  schedule: ['draft', 'in_review', 'scheduled', 'unpublished'],
  publish: ['draft', 'in_review', 'scheduled'],
  unpublish: ['published'],
  republish: ['unpublished'],
  cancel_schedule: ['scheduled'],
};

/** The article fields a transition reads and may change. */
export type WorkflowState = Pick<Article, 'status' | 'publishedAt' | 'updatedAt' | 'embargoUntil' | 'scheduledAt' | 'createdBy'>;

export type TransitionResult<T extends WorkflowState> = { ok: true; next: T } | { ok: false; reason: string };

const STATUS_WORDS: Record<ArticleStatus, string> = {
  draft: 'a draft',
  in_review: 'in review',
  scheduled: 'scheduled',
  published: 'published',
  unpublished: 'unpublished',
};

function maxIso(a: string, b: string | null): string {
  return b !== null && b > a ? b : a;
}

/**
 * Whether an article may go public at `now`: refused while an embargo holds.
 * Mirrors Ghost's `checkRedeemable`: a reason, never an exception.
 */
export function checkPublishable(article: Pick<WorkflowState, 'embargoUntil'>, now: Date): { ok: true } | { ok: false; reason: string } {
  if (article.embargoUntil !== null && article.embargoUntil > now.toISOString()) {
    return { ok: false, reason: `The story is under embargo until ${article.embargoUntil}; it cannot be published before then.` };
  }
  return { ok: true };
}

/**
 * Applies one workflow action. `actor` is the newsroom user acting (checked against
 * article-policy.ts), or null for the scheduler carrying out an earlier, authorised
 * `schedule`. Returns the new state; the input is never modified.
 */
export function transition<T extends WorkflowState>(
  article: T,
  action: WorkflowAction,
  actor: Actor | null,
  now: Date,
): TransitionResult<T> {
  if (!(ALLOWED_FROM[action.type] as readonly ArticleStatus[]).includes(article.status)) {
    return { ok: false, reason: `Cannot ${action.type.replaceAll('_', ' ')} a story that is ${STATUS_WORDS[article.status]}.` };
  }
  if (actor && !can(actor, action.type, article)) {
    return { ok: false, reason: `A ${actor.role} may not ${action.type.replaceAll('_', ' ')} this story.` };
  }
  const nowIso = now.toISOString();
  switch (action.type) {
    case 'submit':
      return { ok: true, next: { ...article, status: 'in_review' } };
    case 'return_to_draft':
      return { ok: true, next: { ...article, status: 'draft', scheduledAt: null } };
    case 'schedule': {
      const at = new Date(action.at);
      if (Number.isNaN(at.getTime())) return { ok: false, reason: 'The scheduled time is not a valid date.' };
      const atIso = at.toISOString();
      if (atIso <= nowIso) return { ok: false, reason: `The scheduled time ${atIso} has passed; publish now instead.` };
      if (article.embargoUntil !== null && atIso < article.embargoUntil) {
        return { ok: false, reason: `Cannot schedule for ${atIso}: the story is under embargo until ${article.embargoUntil}.` };
      }
      return { ok: true, next: { ...article, status: 'scheduled', scheduledAt: atIso } };
    }
    case 'publish': {
      const check = checkPublishable(article, now);
      if (!check.ok) return check;
      // A due schedule keeps its announced time (the scheduler may run a little late, or
      // catch up after downtime); an early manual publish is stamped now.
      const due = article.status === 'scheduled' && article.scheduledAt !== null && article.scheduledAt <= nowIso;
      const publishedAt = due ? maxIso(article.scheduledAt!, article.embargoUntil) : nowIso;
      return { ok: true, next: { ...article, status: 'published', publishedAt, scheduledAt: null } };
    }
    case 'unpublish':
      return { ok: true, next: { ...article, status: 'unpublished' } };
    case 'republish': {
      const check = checkPublishable(article, now);
      if (!check.ok) return check;
      // The story keeps its first publication time; publishedAt never precedes the embargo.
      const publishedAt = article.publishedAt === null ? nowIso : maxIso(article.publishedAt, article.embargoUntil);
      return { ok: true, next: { ...article, status: 'published', publishedAt, updatedAt: nowIso } };
    }
    case 'cancel_schedule':
      return { ok: true, next: { ...article, status: 'draft', scheduledAt: null } };
    default: {
      const exhaustive: never = action;
      throw new Error(`unknown workflow action ${JSON.stringify(exhaustive)}`);
    }
  }
}
