import {
  AUDIT_ACTION_GROUPS,
  AUDIT_SUBJECT_TYPES,
  type AuditPage,
  type AuditQuery,
  type AuditRow,
  type AuditSubjectType,
} from '../../domain/audit/audit-browser.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { actionLabel, timeUtc, workflowScript } from './workflow-labels.ts';

const SUBJECT_LABELS: Record<AuditSubjectType, string> = {
  article: 'Story',
  user: 'Account',
  email: 'Email address (failed sign-in)',
  comment: 'Comment',
  reader: 'Reader',
  image: 'Image',
  section: 'Section',
  tag: 'Tag',
  author: 'Author',
  webhook: 'Webhook',
  api_token: 'API token',
};
const SUBJECT_TYPES: ReadonlyArray<[value: string, label: string]> = AUDIT_SUBJECT_TYPES.map((t) => [t, SUBJECT_LABELS[t]]);

function selected(on: boolean): SafeHtml | '' {
  return on ? html` selected` : '';
}

/** The audit URL for a filter (and optionally a page cursor). */
export function auditHref(q: { [K in keyof AuditQuery]?: string }): string {
  const params = new URLSearchParams();
  for (const key of ['actor', 'action', 'subjectType', 'subjectId', 'before'] as const) {
    const v = q[key];
    if (v) params.set(key, v);
  }
  const s = params.toString();
  return s ? `/newsroom/audit?${s}` : '/newsroom/audit';
}

function filters(p: AuditPage): SafeHtml {
  const q = p.query;
  return html`<form method="get" action="/newsroom/audit" class="nr-filters" aria-label="Filter the audit log">
<div><label for="f-actor">Who</label>
<select id="f-actor" name="actor"><option value="">Anyone</option>${p.people.map((u) => html`<option value="${u.id}"${selected(q.actor === u.id)}>${u.name}</option>`)}</select></div>
<div><label for="f-action">What</label>
<select id="f-action" name="action"><option value="">Any action</option>${AUDIT_ACTION_GROUPS.map(
    (g) =>
      html`<optgroup label="${g.label}"><option value="${g.prefix}"${selected(q.action === g.prefix)}>All: ${g.label.toLowerCase()}</option>${g.actions.map((a) => html`<option value="${a}"${selected(q.action === a)}>${actionLabel(a)}</option>`)}</optgroup>`,
  )}</select></div>
<div><label for="f-type">Subject</label>
<select id="f-type" name="subjectType"><option value="">Anything</option>${SUBJECT_TYPES.map(([v, l]) => html`<option value="${v}"${selected(q.subjectType === v)}>${l}</option>`)}</select></div>
<div><label for="f-subject">Subject id or email</label>
<input id="f-subject" name="subjectId" value="${q.subjectId ?? ''}" autocomplete="off" spellcheck="false"></div>
<div class="nr-filters__buttons"><button type="submit" class="nr-button nr-button--small">Filter</button> <a href="/newsroom/audit">Clear filters</a></div>
</form>`;
}

function detailsList(d: Record<string, unknown>): SafeHtml | '' {
  const entries = Object.entries(d);
  if (!entries.length) return '';
  return html`<dl class="nr-details">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${typeof v === 'string' ? v : JSON.stringify(v)}</dd>`)}</dl>`;
}

function subjectCell(e: AuditRow): SafeHtml {
  const label =
    e.subjectType === 'article' ? html`<a href="/newsroom/stories/${e.subjectId}/history">${e.subjectLabel}</a>` : html`${e.subjectLabel}`;
  const kind = SUBJECT_TYPES.find(([v]) => v === e.subjectType)?.[1] ?? e.subjectType;
  return html`<span class="nr-hint">${kind}:</span> ${label}<br><a class="nr-hint" href="${auditHref({ subjectType: e.subjectType, subjectId: e.subjectId })}">Only this<span class="nr-visually-hidden"> ${kind.toLowerCase()}</span></a>`;
}

function row(e: AuditRow): SafeHtml {
  return html`<tr>
<td>${timeUtc(e.at.toISOString())}</td>
<td>${e.actorUserId === null ? html`<span class="nr-muted">System or anonymous</span>` : html`<a href="${auditHref({ actor: e.actorUserId })}">${e.actorName ?? 'Former account'}</a>`}</td>
<td>${actionLabel(e.action)}<br><code>${e.action}</code></td>
<td>${subjectCell(e)}</td>
<td>${detailsList(e.details)}</td>
</tr>`;
}

/** The audit log page: filters, one page of entries, the link to older ones. */
export function auditView(chrome: NewsroomChrome, p: AuditPage): SafeHtml {
  const { before: _page, ...filter } = p.query;
  return newsroomLayout(chrome, {
    title: 'Audit log',
    current: 'audit',
    body: html`<h1>Audit log</h1>
<p class="nr-muted">Who did what, and when: sign-ins, account changes and every step of every story. Newest first; times in UTC.</p>
${filters(p)}
${
  p.entries.length
    ? html`<div class="nr-table-wrap"><table class="nr-table nr-audit">
<caption class="nr-visually-hidden">Audit entries, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Subject</th><th scope="col">Details</th></tr></thead>
<tbody>${p.entries.map(row)}</tbody>
</table></div>`
    : html`<p class="nr-card">No entries match these filters.</p>`
}
<nav class="nr-pager" aria-label="Audit log pages">${p.query.before ? html`<a href="${auditHref(filter)}">Newest entries</a>` : ''}${p.next ? html` <a href="${auditHref({ ...filter, before: p.next })}" rel="next">Older entries</a>` : ''}</nav>
${workflowScript()}`,
  });
}
