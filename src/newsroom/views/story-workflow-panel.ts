import { roleAtLeast } from '../../domain/accounts/access.ts';
import type { Actor } from '../../domain/accounts/role.ts';
import type { Article } from '../../domain/articles/article.ts';
import { can, type WorkflowActionType } from '../../domain/articles/article-policy.ts';
import { ALLOWED_FROM } from '../../domain/articles/article-workflow.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { timeZoneNames } from '../workflow-time.ts';
import { csrfField } from './newsroom-layout.ts';
import { statusBadge, timeUtc, workflowScript } from './workflow-labels.ts';

/*
 * The workflow side panel of the story editor: status, the actions this actor may take
 * (submit, schedule, publish, …), embargo, update/correction notes and a link to the
 * revision history. Owned by the workflow screens; the story editor only places it.
 * The buttons are a convenience: every action is checked again on the server.
 */
export interface StoryWorkflowPanelProps {
  article: Article;
  actor: Actor;
  csrfToken: string;
  /** Where the forms come back to after acting (a newsroom path of this story); default the editor. */
  returnTo?: string;
  /** "Now" for the embargo hint; defaults to the wall clock. */
  now?: Date;
}

const BUTTONS: ReadonlyArray<{ action: Exclude<WorkflowActionType, 'schedule'>; label: string; tone?: 'quiet' | 'danger' }> = [
  { action: 'submit', label: 'Submit for review' },
  { action: 'publish', label: 'Publish now' },
  { action: 'republish', label: 'Republish' },
  { action: 'return_to_draft', label: 'Return to draft', tone: 'quiet' },
  { action: 'cancel_schedule', label: 'Cancel schedule', tone: 'quiet' },
  { action: 'unpublish', label: 'Unpublish', tone: 'danger' },
];

/** Whether the panel offers `action`: the story's status allows it and so does the actor's role. */
export function offersAction(p: Pick<StoryWorkflowPanelProps, 'article' | 'actor'>, action: WorkflowActionType): boolean {
  return ALLOWED_FROM[action].includes(p.article.status) && can(p.actor, action, p.article);
}

let zoneOptions: SafeHtml | undefined;

/** One datalist of every time zone per page (both time forms share it). */
function zoneList(): SafeHtml {
  zoneOptions ??= html`<datalist id="nr-time-zones">${timeZoneNames().map((z) => html`<option value="${z}"></option>`)}</datalist>`;
  return zoneOptions;
}

function hiddenFields(p: StoryWorkflowPanelProps): SafeHtml {
  return html`${csrfField(p.csrfToken)}<input type="hidden" name="expectedRevision" value="${p.article.revision}">${p.returnTo ? html`<input type="hidden" name="returnTo" value="${p.returnTo}">` : ''}`;
}

function zonedTimeFields(id: string, label: string): SafeHtml {
  return html`<label for="${id}-at">${label}</label>
<input type="datetime-local" id="${id}-at" name="at" step="1" required>
<label for="${id}-tz">Time zone</label>
<input type="text" id="${id}-tz" name="tz" value="UTC" list="nr-time-zones" autocomplete="off" spellcheck="false" required data-nr-tz aria-describedby="${id}-tz-hint">
<p class="nr-hint" id="${id}-tz-hint">The time above is read in this zone (for example UTC or Europe/London) and stored in UTC.</p>`;
}

function details(a: Article, embargoHolds: boolean): SafeHtml {
  const rows: SafeHtml[] = [html`<dt>Revision</dt><dd>${a.revision}</dd>`];
  if (a.scheduledAt) rows.push(html`<dt>Scheduled for</dt><dd>${timeUtc(a.scheduledAt)}</dd>`);
  if (a.publishedAt)
    rows.push(html`<dt>${a.status === 'published' ? 'Published' : 'First published'}</dt><dd>${timeUtc(a.publishedAt)}</dd>`);
  if (a.updatedAt) rows.push(html`<dt>Updated</dt><dd>${timeUtc(a.updatedAt)}</dd>`);
  if (a.embargoUntil) rows.push(html`<dt>Embargo</dt><dd>${embargoHolds ? 'Until ' : 'Ended '}${timeUtc(a.embargoUntil)}</dd>`);
  return html`<dl class="nr-facts">${rows}</dl>`;
}

/** Editors may delete a story for good; the confirming tick is checked on the server too. */
function deleteForm(p: StoryWorkflowPanelProps): SafeHtml {
  return html`<details class="nr-workflow__delete"><summary>Delete this story</summary>
<form method="post" action="/newsroom/stories/${p.article.id}/delete" class="nr-form">${csrfField(p.csrfToken)}
<p class="nr-hint">Unpublishing keeps the story and its history; deleting removes the story, its revisions, notes and comments for good.</p>
<label><input type="checkbox" name="confirm" value="1" required> Delete this story for good</label>
<button type="submit" class="nr-button nr-button--small nr-button--danger">Delete story</button></form></details>`;
}

export function storyWorkflowPanel(p: StoryWorkflowPanelProps): SafeHtml {
  const a = p.article;
  const action = `/newsroom/stories/${a.id}/workflow`;
  const embargoHolds = a.embargoUntil !== null && a.embargoUntil > (p.now ?? new Date()).toISOString();
  const buttons = BUTTONS.filter(
    (b) => offersAction(p, b.action) && !(embargoHolds && (b.action === 'publish' || b.action === 'republish')),
  ).map(
    (b) =>
      html`<form method="post" action="${action}" class="nr-inline">${hiddenFields(p)}<input type="hidden" name="action" value="${b.action}"><button type="submit" class="nr-button nr-button--small${b.tone ? ` nr-button--${b.tone}` : ''}">${b.label}</button></form>`,
  );
  const schedule = offersAction(p, 'schedule')
    ? html`<form method="post" action="${action}" class="nr-form nr-workflow__form">${hiddenFields(p)}<input type="hidden" name="action" value="schedule">
<fieldset><legend>${a.status === 'scheduled' ? 'Reschedule' : 'Schedule publication'}</legend>
${zonedTimeFields('wf-schedule', 'Publish at')}
<button type="submit" class="nr-button nr-button--small">${a.status === 'scheduled' ? 'Reschedule' : 'Schedule'}</button></fieldset></form>`
    : '';
  const mayEmbargo = can(p.actor, 'schedule', a) && a.status !== 'published';
  const embargo = mayEmbargo
    ? html`<form method="post" action="/newsroom/stories/${a.id}/embargo" class="nr-form nr-workflow__form">${hiddenFields(p)}
<fieldset><legend>Embargo</legend>
<p class="nr-hint">Under embargo the story cannot be published, by hand or by schedule, before the time you set.</p>
${zonedTimeFields('wf-embargo', 'Embargoed until')}
<button type="submit" class="nr-button nr-button--small">Set embargo</button></fieldset></form>
${a.embargoUntil ? html`<form method="post" action="/newsroom/stories/${a.id}/embargo" class="nr-inline">${hiddenFields(p)}<input type="hidden" name="lift" value="1"><button type="submit" class="nr-button nr-button--small nr-button--quiet">Lift embargo</button></form>` : ''}`
    : '';
  const note =
    a.status === 'published' && can(p.actor, 'add_note', a)
      ? html`<form method="post" action="/newsroom/stories/${a.id}/notes" class="nr-form nr-workflow__form">${hiddenFields(p)}
<fieldset><legend>Add an update or correction</legend>
<p class="nr-hint">Published with the story, with today's time, and the story's "Updated" time changes.</p>
<div class="nr-choices"><label><input type="radio" name="kind" value="update" checked> Update</label> <label><input type="radio" name="kind" value="correction"> Correction</label></div>
<label for="wf-note-text">Note shown to readers</label>
<textarea id="wf-note-text" name="text" rows="4" maxlength="2000" required></textarea>
<button type="submit" class="nr-button nr-button--small">Publish note</button></fieldset></form>`
      : '';
  return html`<section class="nr-panel nr-workflow" aria-labelledby="workflow-h">
<h2 id="workflow-h">Status</h2>
<p class="nr-workflow__status">${statusBadge(a.status)}</p>
${details(a, embargoHolds)}
${embargoHolds && offersAction(p, a.status === 'unpublished' ? 'republish' : 'publish') ? html`<p class="nr-hint">Publishing is held by the embargo; schedule the story for the embargo time or later.</p>` : ''}
${buttons.length ? html`<div class="nr-workflow__actions">${buttons}</div>` : ''}
${schedule}
${embargo}
${note}
${schedule || embargo ? zoneList() : ''}
<p><a href="/newsroom/stories/${a.id}/history">Revision history</a></p>
${roleAtLeast(p.actor.role, 'editor') ? deleteForm(p) : ''}
${workflowScript()}
</section>`;
}
