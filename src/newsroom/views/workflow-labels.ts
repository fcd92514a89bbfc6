import type { ArticleStatus } from '../../domain/articles/article.ts';
import { versionedAsset } from '../../http/assets.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { formatUtc } from '../workflow-time.ts';

/** Words for statuses and recorded actions, shared by the panel, history, desk and audit screens. */
export const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

const ACTION_LABELS: Record<string, string> = {
  create: 'Created',
  save: 'Saved',
  restore: 'Restored an earlier revision',
  submit: 'Submitted for review',
  return_to_draft: 'Returned to draft',
  schedule: 'Scheduled',
  cancel_schedule: 'Cancelled the schedule',
  publish: 'Published',
  unpublish: 'Unpublished',
  republish: 'Republished',
  embargo: 'Changed the embargo',
  note_update: 'Added an update note',
  note_correction: 'Added a correction',
  publish_change: 'Published a reviewed change',
  change_staged: 'Saved a change for review',
  change_discarded: 'Discarded a change waiting for review',
  'auth.login': 'Signed in',
  'auth.login_failed': 'Failed sign-in',
  'auth.logout': 'Signed out',
  'user.created': 'Created an account',
  'user.disabled': 'Disabled an account',
  'user.enabled': 'Enabled an account',
  'user.password_changed': 'Changed password',
  'user.role_changed': 'Changed a role',
  'user.password_reset': 'Reset a password',
};

/** A readable label for a revision action (`publish`) or an audit action (`article.publish`). */
export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? ACTION_LABELS[action.replace(/^article\./, '')] ?? action;
}

/** The status as a badge: the word itself carries the meaning, the colour only repeats it. */
export function statusBadge(status: ArticleStatus): SafeHtml {
  return html`<span class="nr-status nr-status--${status}">${STATUS_LABELS[status]}</span>`;
}

/** A UTC time the newsroom script also shows in the reader's own zone. */
export function timeUtc(iso: string): SafeHtml {
  return html`<time datetime="${iso}" data-nr-local>${formatUtc(iso)}</time>`;
}

let scriptTag: SafeHtml | undefined;

/** The small script that shows `timeUtc` times in the editor's zone and prefills time zone fields. */
export function workflowScript(): SafeHtml {
  scriptTag ??= html`<script src="${versionedAsset('newsroom-workflow.js')}" defer></script>`;
  return scriptTag;
}
