import { roleAtLeast } from '../../domain/accounts/access.ts';
import type { Actor } from '../../domain/accounts/role.ts';
import type { StoryHistory } from '../../domain/desk/article-desk.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { csrfField, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { storyWorkflowPanel } from './story-workflow-panel.ts';
import { actionLabel, statusBadge, timeUtc } from './workflow-labels.ts';

export interface HistoryViewProps {
  history: StoryHistory;
  actor: Actor;
  csrfToken: string;
  mayRestore: boolean;
  now: Date;
}

const JOB_STATUS: Record<string, string> = { pending: 'Waiting', done: 'Done', cancelled: 'Cancelled', failed: 'Failed' };

function revisionOptions(h: StoryHistory, selected: number | undefined): SafeHtml[] {
  return h.revisions.map(
    (r) =>
      html`<option value="${r.revision}"${r.revision === selected ? html` selected` : ''}>${r.revision}: ${actionLabel(r.action)}</option>`,
  );
}

function compareForm(h: StoryHistory): SafeHtml | '' {
  if (h.revisions.length < 2) return '';
  return html`<form method="get" action="/newsroom/stories/${h.article.id}/history/diff" class="nr-compare">
<label for="cmp-from">Compare revision</label> <select id="cmp-from" name="from">${revisionOptions(h, h.revisions[1]?.revision)}</select>
<label for="cmp-to">with</label> <select id="cmp-to" name="to">${revisionOptions(h, h.revisions[0]?.revision)}</select>
<button type="submit" class="nr-button nr-button--small">Compare</button></form>`;
}

function revisionRows(p: HistoryViewProps): SafeHtml[] {
  const a = p.history.article;
  const revs = p.history.revisions;
  return revs.map((r, i) => {
    const older = revs[i + 1];
    const isCurrent = r.revision === a.revision;
    return html`<tr>
<th scope="row">${r.revision}${isCurrent ? html` <span class="nr-muted">(current)</span>` : ''}</th>
<td>${timeUtc(r.at)}</td>
<td>${r.actorName ?? (r.actorUserId === null ? 'Scheduler' : 'Former account')}</td>
<td>${actionLabel(r.action)}</td>
<td>${older ? html`<a href="/newsroom/stories/${a.id}/history/diff?from=${older.revision}&amp;to=${r.revision}">Changes<span class="nr-visually-hidden"> from revision ${older.revision} to ${r.revision}</span></a>` : ''}</td>
<td>${
      p.mayRestore && !isCurrent
        ? html`<form method="post" action="/newsroom/stories/${a.id}/history/${r.revision}/restore" class="nr-inline">${csrfField(p.csrfToken)}<input type="hidden" name="expectedRevision" value="${a.revision}"><input type="hidden" name="returnTo" value="/newsroom/stories/${a.id}/history"><button type="submit" class="nr-button nr-button--small nr-button--quiet">Restore<span class="nr-visually-hidden"> revision ${r.revision}</span></button></form>`
        : ''
    }</td>
</tr>`;
  });
}

function notesSection(h: StoryHistory): SafeHtml | '' {
  if (!h.notes.length) return '';
  return html`<section class="nr-card" aria-labelledby="notes-h"><h2 id="notes-h">Published updates and corrections</h2>
<ul class="nr-notes">${h.notes.map((n) => html`<li><p><strong>${n.kind === 'correction' ? 'Correction' : 'Update'}</strong> · ${timeUtc(n.at)} · ${n.actorName ?? 'Former account'}</p><p>${n.text}</p></li>`)}</ul></section>`;
}

function jobsSection(h: StoryHistory): SafeHtml | '' {
  if (!h.jobs.length) return '';
  return html`<section class="nr-card" aria-labelledby="jobs-h"><h2 id="jobs-h">Scheduled publishing</h2>
<div class="nr-table-wrap"><table class="nr-table"><thead><tr><th scope="col">Due</th><th scope="col">State</th><th scope="col">Note</th></tr></thead>
<tbody>${h.jobs.map((j) => html`<tr><td>${timeUtc(j.runAt)}</td><td>${JOB_STATUS[j.status] ?? j.status}</td><td>${j.lastError ?? ''}</td></tr>`)}</tbody></table></div></section>`;
}

/** The revision history of one story, with its workflow panel beside it. */
export function historyView(chrome: NewsroomChrome, p: HistoryViewProps): SafeHtml {
  const h = p.history;
  const a = h.article;
  const historyPath = `/newsroom/stories/${a.id}/history`;
  return newsroomLayout(chrome, {
    title: `History: ${a.headline}`,
    current: 'stories',
    body: html`<p class="nr-crumbs"><a href="/newsroom/stories/${a.id}">Back to the story</a></p>
<h1><span class="nr-muted">History:</span> ${a.headline}</h1>
<p>${statusBadge(a.status)}${a.status === 'published' ? html` · <a href="${h.publicPath}">View on the site</a>` : ''}${roleAtLeast(p.actor.role, 'editor') ? html` · <a href="/newsroom/audit?subjectType=article&amp;subjectId=${a.id}">Audit log for this story</a>` : ''}</p>
<div class="nr-story-layout">
<div class="nr-story-layout__main">
<section class="nr-card" aria-labelledby="revisions-h"><h2 id="revisions-h">Revisions</h2>
<p class="nr-hint">Every workflow step, every save of a published story, every note and every restore is kept. Restoring copies an old revision's text into a new revision; the status stays as it is.</p>
${compareForm(h)}
<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Revisions, newest first</caption>
<thead><tr><th scope="col">Revision</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col"><span class="nr-visually-hidden">Compare</span></th><th scope="col"><span class="nr-visually-hidden">Restore</span></th></tr></thead>
<tbody>${revisionRows(p)}</tbody>
</table></div></section>
${notesSection(h)}
${jobsSection(h)}
</div>
<aside class="nr-story-layout__side" aria-label="Workflow">${storyWorkflowPanel({ article: a, actor: p.actor, csrfToken: p.csrfToken, returnTo: historyPath, now: p.now })}</aside>
</div>`,
  });
}
