import type { PlanningBoard, PlanningBoardItem } from '../../domain/planning/planning-board.ts';
import { shiftDay } from '../../domain/planning/planning-item.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { csrfField, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { statusBadge, timeUtc, workflowScript } from './workflow-labels.ts';

/** What a finished action tells the board (`?done=`), so the page can say it in words. */
export const PLANNING_DONE = { created: 'Planned.', updated: 'Saved.', deleted: 'Removed from the plan.' } as const;
export type PlanningDone = keyof typeof PLANNING_DONE;

function dayLabel(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function boardHref(day: string, f: PlanningBoard['filters']): string {
  const q = new URLSearchParams({ day });
  if (f.section) q.set('section', f.section);
  if (f.assignee) q.set('assignee', f.assignee);
  return `/newsroom/planning?${q}`;
}

function option(value: string, label: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}

function itemRow(i: PlanningBoardItem, csrfToken: string): SafeHtml {
  const details = [
    i.notes && html`<p class="nr-hint"><strong>Notes:</strong> ${i.notes}</p>`,
    i.photoRequest && html`<p class="nr-hint"><strong>Photo:</strong> ${i.photoRequest}</p>`,
  ];
  const action = i.story
    ? html`<a href="/newsroom/stories/${i.story.id}">Open the story<span class="nr-visually-hidden">: ${i.story.headline}</span></a>`
    : i.mayStart
      ? html`<form method="post" action="/newsroom/planning/${i.id}/start" class="nr-inline">${csrfField(csrfToken)}<input type="hidden" name="expectedRevision" value="${i.revision}"><button type="submit" class="nr-button nr-button--small">Start writing<span class="nr-visually-hidden">: ${i.workingHeadline}</span></button></form>`
      : '';
  const edit = i.mayEdit
    ? html` <a href="/newsroom/planning/${i.id}/edit">Edit<span class="nr-visually-hidden"> ${i.workingHeadline}</span></a>`
    : '';
  return html`<tr id="item-${i.id}">
<td>${i.dueAt ? timeUtc(i.dueAt) : html`<span class="nr-muted">No due time</span>`}</td>
<td>${i.slot || html`<span class="nr-muted">—</span>`}</td>
<th scope="row"><strong>${i.workingHeadline}</strong>${details}</th>
<td>${i.sectionName}</td>
<td>${i.assigneeName ?? html`<span class="nr-muted">Unassigned</span>`}</td>
<td>${i.story ? statusBadge(i.story.status) : html`<span class="nr-status nr-status--planned">Planned</span>`}</td>
<td>${action}${edit}</td>
</tr>`;
}

/** The plan for one day: day navigation, filters, the items by due time, and "Start writing". */
export function planningView(
  chrome: NewsroomChrome,
  p: { board: PlanningBoard; csrfToken: string; done?: PlanningDone; today: string },
): SafeHtml {
  const { board } = p;
  const f = board.filters;
  const body = html`<div class="se-list-head"><h1>Planning: ${dayLabel(board.day)}</h1><a class="nr-button" href="/newsroom/planning/new?day=${board.day}">Plan a story</a></div>
${p.done ? html`<p class="nr-flash" role="status">${PLANNING_DONE[p.done]}</p>` : ''}
<nav class="nr-subnav" aria-label="Days"><ul>
<li><a href="${boardHref(shiftDay(board.day, -1), f)}" rel="prev">Previous day</a></li>
<li><a href="${boardHref(p.today, f)}"${board.day === p.today ? html` aria-current="date"` : ''}>Today</a></li>
<li><a href="${boardHref(shiftDay(board.day, 1), f)}" rel="next">Next day</a></li>
</ul></nav>
<form method="get" action="/newsroom/planning" class="se-filters" role="search" aria-label="Choose the day and filter the plan">
<div><label for="pl-day">Day</label><input id="pl-day" name="day" type="date" value="${board.day}" required></div>
<div><label for="pl-section">Section</label><select id="pl-section" name="section">${option('', 'Any section', f.section)}${board.sections.map((s) => option(s.id, s.name, f.section))}</select></div>
<div><label for="pl-assignee">Assignee</label><select id="pl-assignee" name="assignee">${option('', 'Anyone', f.assignee)}${option('me', 'Me', f.assignee)}${board.users.map((u) => option(u.id, u.name, f.assignee))}</select></div>
<div class="se-filters__go"><button type="submit" class="nr-button">Show</button></div>
</form>
${
  board.items.length
    ? html`<div class="nr-table-wrap"><table class="nr-table planning-table" id="planning-items">
<caption class="nr-visually-hidden">Stories planned for ${dayLabel(board.day)}, by due time</caption>
<thead><tr><th scope="col">Due</th><th scope="col">Slot</th><th scope="col">Working headline</th><th scope="col">Section</th><th scope="col">Assignee</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
<tbody>${board.items.map((i) => itemRow(i, p.csrfToken))}</tbody>
</table></div>`
    : html`<p class="nr-card">Nothing is planned for this day${f.section || f.assignee ? ' with these filters' : ''} yet.</p>`
}
${workflowScript()}`;
  return newsroomLayout(chrome, { title: `Planning ${board.day}`, current: 'planning', body });
}
