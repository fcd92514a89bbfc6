import type { Section } from '../../domain/sections/section.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { workflowScript } from './workflow-labels.ts';

/** The planning form's fields, as shown (from the item, or as just submitted). */
export interface PlanningFormValues {
  day: string;
  workingHeadline: string;
  sectionId: string;
  slot: string;
  /** `HH:MM` in `tz`, or empty. */
  dueTime: string;
  tz: string;
  assigneeUserId: string;
  notes: string;
  photoRequest: string;
}

export interface PlanningFormProps {
  /** Set when editing: the item's id and the revision the form was drawn from. */
  item?: { id: string; revision: number };
  values: PlanningFormValues;
  sections: Section[];
  users: Array<{ id: string; name: string }>;
  /** Whether the viewer may assign to others (editors); otherwise only "me" or nobody. */
  mayAssignOthers: boolean;
  selfId: string;
  csrfToken: string;
  error?: string;
}

const SLOTS = ['Home lead', 'Top stories', 'Section lead', 'Newsletter', 'Print front', 'Online only'];

/** Create or edit a planned story. */
export function planningFormView(chrome: NewsroomChrome, p: PlanningFormProps): SafeHtml {
  const v = p.values;
  const users = p.mayAssignOthers ? p.users : p.users.filter((u) => u.id === p.selfId);
  const action = p.item ? `/newsroom/planning/${p.item.id}` : '/newsroom/planning';
  const title = p.item ? 'Edit the planned story' : 'Plan a story';
  const body = html`<section class="nr-card nr-card--narrow" aria-labelledby="plan-title">
<h1 id="plan-title">${title}</h1>
${formError(p.error)}
<form method="post" action="${action}" class="nr-form">
${csrfField(p.csrfToken)}
${p.item ? html`<input type="hidden" name="expectedRevision" value="${p.item.revision}">` : ''}
<label for="plan-headline">Working headline</label>
<input id="plan-headline" name="workingHeadline" type="text" required maxlength="300" value="${v.workingHeadline}">
<label for="plan-day">Day</label>
<input id="plan-day" name="day" type="date" required value="${v.day}">
<label for="plan-section">Section</label>
<select id="plan-section" name="sectionId" required><option value="">Choose a section</option>${p.sections.map((s) => html`<option value="${s.id}"${s.id === v.sectionId ? html` selected` : ''}>${s.name}</option>`)}</select>
<label for="plan-slot">Slot <span class="nr-muted">(optional)</span></label>
<input id="plan-slot" name="slot" type="text" maxlength="80" list="plan-slots" value="${v.slot}" aria-describedby="plan-slot-hint">
<datalist id="plan-slots">${SLOTS.map((s) => html`<option value="${s}"></option>`)}</datalist>
<p id="plan-slot-hint" class="nr-hint">Where it is meant to run, for example Home lead or Newsletter.</p>
<label for="plan-due">Copy due at <span class="nr-muted">(optional)</span></label>
<input id="plan-due" name="dueTime" type="time" value="${v.dueTime}">
<label for="plan-tz">Time zone</label>
<input id="plan-tz" name="tz" type="text" required value="${v.tz}" autocomplete="off" spellcheck="false"${p.item ? '' : html` data-nr-tz`} aria-describedby="plan-tz-hint">
<p id="plan-tz-hint" class="nr-hint">The due time is read in this zone (for example UTC or Europe/London) on the day above.</p>
<label for="plan-assignee">Assigned to</label>
<select id="plan-assignee" name="assigneeUserId"><option value="">Nobody yet</option>${users.map((u) => html`<option value="${u.id}"${u.id === v.assigneeUserId ? html` selected` : ''}>${u.name}</option>`)}</select>
<label for="plan-notes">Notes for the writer <span class="nr-muted">(optional)</span></label>
<textarea id="plan-notes" name="notes" rows="4" maxlength="4000">${v.notes}</textarea>
<label for="plan-photo">Photo request <span class="nr-muted">(optional)</span></label>
<textarea id="plan-photo" name="photoRequest" rows="2" maxlength="1000">${v.photoRequest}</textarea>
<button type="submit" class="nr-button">${p.item ? 'Save the plan' : 'Add to the plan'}</button>
</form>
${
  p.item
    ? html`<form method="post" action="/newsroom/planning/${p.item.id}/delete" class="nr-form">${csrfField(p.csrfToken)}<input type="hidden" name="expectedRevision" value="${p.item.revision}"><button type="submit" class="nr-button nr-button--danger">Remove from the plan</button></form>`
    : ''
}
<p><a href="/newsroom/planning?day=${v.day}">Back to the plan for ${v.day}</a></p>
</section>
${workflowScript()}`;
  return newsroomLayout(chrome, { title, current: 'planning', body });
}
