import type { DeskItem } from '../../domain/desk/article-desk.ts';
import type { PendingItem } from '../../domain/desk/article-pending-review.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { timeUtc, workflowScript } from './workflow-labels.ts';

function storyCell(i: DeskItem): SafeHtml {
  return html`<th scope="row"><a href="/newsroom/stories/${i.id}">${i.headline}</a><br><a class="nr-hint" href="/newsroom/stories/${i.id}/history">History<span class="nr-visually-hidden"> of ${i.headline}</span></a></th>`;
}

function deskSwitch(current: 'review' | 'scheduled'): SafeHtml {
  return html`<nav class="nr-subnav" aria-label="Editorial desk"><ul>
<li><a href="/newsroom/review"${current === 'review' ? html` aria-current="page"` : ''}>Review queue</a></li>
<li><a href="/newsroom/scheduled"${current === 'scheduled' ? html` aria-current="page"` : ''}>Scheduled</a></li>
</ul></nav>`;
}

/** Changes to live stories waiting for an editor, longest waiting first. */
function pendingChanges(changes: PendingItem[]): SafeHtml {
  return html`<section aria-labelledby="review-changes"><h2 id="review-changes">Changes to live stories</h2>
<p class="nr-muted">Edits to published stories kept for review: readers see the live version until you publish the change.</p>
${
  changes.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Pending changes to live stories</caption>
<thead><tr><th scope="col">Story</th><th scope="col">Section</th><th scope="col">Changed by</th><th scope="col">Last saved</th></tr></thead>
<tbody>${changes.map(
        (c) =>
          html`<tr><th scope="row"><a href="/newsroom/stories/${c.articleId}/change">${c.headline}<span class="nr-visually-hidden">: review the change</span></a>${c.liveMovedOn ? html`<br><span class="nr-badge">Live story changed since</span>` : ''}</th><td>${c.sectionName}</td><td>${c.stagedByName ?? '—'}</td><td>${timeUtc(c.updatedAt)}</td></tr>`,
      )}</tbody>
</table></div>`
    : html`<p class="nr-card">No change to a live story is waiting.</p>`
}
</section>`;
}

/** Stories submitted for review, longest waiting first, then pending changes to live stories. */
export function reviewQueueView(chrome: NewsroomChrome, p: { items: DeskItem[]; changes: PendingItem[] }): SafeHtml {
  return newsroomLayout(chrome, {
    title: 'Review queue',
    current: 'stories',
    body: html`${deskSwitch('review')}
<h1>Review queue</h1>
<p class="nr-muted">Stories submitted for review, longest waiting first. Open one to publish, schedule or return it to its writer.</p>
${
  p.items.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Stories in review</caption>
<thead><tr><th scope="col">Story</th><th scope="col">Section</th><th scope="col">Writer</th><th scope="col">Submitted or last changed</th></tr></thead>
<tbody>${p.items.map((i) => html`<tr>${storyCell(i)}<td>${i.sectionName}</td><td>${i.ownerName ?? '—'}</td><td>${timeUtc(i.modifiedAt)}</td></tr>`)}</tbody>
</table></div>`
    : html`<p class="nr-card">Nothing is waiting for review.</p>`
}
${pendingChanges(p.changes)}
${workflowScript()}`,
  });
}

/** Stories scheduled to publish, soonest first, with their embargoes. */
export function scheduledView(chrome: NewsroomChrome, p: { items: DeskItem[]; now: Date }): SafeHtml {
  const nowIso = p.now.toISOString();
  return newsroomLayout(chrome, {
    title: 'Scheduled stories',
    current: 'stories',
    body: html`${deskSwitch('scheduled')}
<h1>Scheduled stories</h1>
<p class="nr-muted">Each story goes live at its time (shown in UTC and, with JavaScript on, in your own time zone), and never before its embargo ends.</p>
${
  p.items.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Scheduled stories, soonest first</caption>
<thead><tr><th scope="col">Story</th><th scope="col">Publishes at</th><th scope="col">Embargo</th><th scope="col">Section</th><th scope="col">Writer</th></tr></thead>
<tbody>${p.items.map(
        (i) =>
          html`<tr>${storyCell(i)}<td>${i.scheduledAt ? html`${timeUtc(i.scheduledAt)}${i.scheduledAt <= nowIso ? html` <span class="nr-badge">Due now</span>` : ''}` : '—'}</td><td>${i.embargoUntil && i.embargoUntil > nowIso ? html`Until ${timeUtc(i.embargoUntil)}` : 'None'}</td><td>${i.sectionName}</td><td>${i.ownerName ?? '—'}</td></tr>`,
      )}</tbody>
</table></div>`
    : html`<p class="nr-card">No story is scheduled.</p>`
}
${workflowScript()}`,
  });
}
