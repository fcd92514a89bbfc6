import type { ModeratedComment } from '../../domain/comments/comment.ts';
import type { ModeratedReader } from '../../domain/comments/comment-moderation-repository.ts';
import type { ModerationView } from '../../domain/comments/comment-moderation.ts';
import { QUEUE_REASON_LABELS } from '../../domain/comments/comment-policy.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { csrfField, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

const TABS: Array<[ModerationView, string]> = [
  ['pending', 'Pending'],
  ['reported', 'Reported'],
  ['published', 'Published'],
  ['rejected', 'Rejected'],
  ['all', 'All'],
];

export interface ModerationPageProps {
  csrfToken: string;
  view: ModerationView;
  items: ModeratedComment[];
  reasons: Map<string, string[]>;
  counts: { pending: number; reported: number };
  filter: { articleId?: string; articleHeadline?: string | null; readerId?: string; readerName?: string };
  page: number;
  hasMore: boolean;
  /** The current list URL, to come back to after an action. */
  returnTo: string;
  done?: string;
}

export function queueUrl(p: { view: ModerationView; articleId?: string; readerId?: string; page?: number }): string {
  const q = new URLSearchParams();
  if (p.view !== 'pending') q.set('view', p.view);
  if (p.articleId) q.set('article', p.articleId);
  if (p.readerId) q.set('reader', p.readerId);
  if (p.page && p.page > 1) q.set('page', String(p.page));
  const s = q.toString();
  return `/newsroom/comments${s ? `?${s}` : ''}`;
}

function time(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function row(c: ModeratedComment, p: ModerationPageProps): SafeHtml {
  const reasons = p.reasons.get(c.id) ?? [];
  const action = (name: string, label: string, danger = false) =>
    html`<button type="submit" class="nr-button nr-button--small${danger ? ' nr-button--danger' : ''}" formaction="/newsroom/comments/${c.id}/${name}">${label}<span class="nr-visually-hidden"> comment by ${c.readerName}</span></button>`;
  return html`<tr id="m-${c.id}">
<td><input type="checkbox" name="ids" value="${c.id}" id="sel-${c.id}" aria-label="Select comment by ${c.readerName}"></td>
<td class="nr-cm-text"><p class="nr-cm-body" dir="auto">${c.body || '(deleted)'}</p>
<p class="nr-muted nr-cm-meta"><a href="${queueUrl({ view: p.view, readerId: c.readerId })}"><bdi>${c.readerName}</bdi></a> (${c.readerEmail})${c.readerBanned ? html` <span class="nr-badge nr-badge--off">Banned</span>` : ''} · ${time(c.createdAt)}${c.parentId ? ' · reply' : ''}${c.editedAt ? ' · edited' : ''}</p>
<p class="nr-muted nr-cm-meta">On <a href="${queueUrl({ view: p.view, articleId: c.articleId })}">${c.articleHeadline}</a> (<a href="${c.articlePath}/comments#c-${c.id}">view</a>)</p>
${c.queueReason ? html`<p class="nr-cm-flag">Waiting: ${QUEUE_REASON_LABELS[c.queueReason] ?? c.queueReason}</p>` : ''}
${c.reportCount ? html`<p class="nr-cm-flag">Reported ${c.reportCount === 1 ? 'once' : `${c.reportCount} times`}${reasons.length ? html`: ${reasons.map((r, i) => html`${i ? '; ' : ''}“${r}”`)}` : ''}</p>` : ''}
</td>
<td><span class="nr-badge">${c.status}</span></td>
<td class="nr-cm-actions">${c.status !== 'published' ? action('approve', 'Approve') : ''}${c.status !== 'rejected' ? action('reject', 'Reject') : ''}${action('delete', 'Delete', true)}${c.readerBanned ? '' : html`<a class="nr-button nr-button--small nr-button--danger" href="/newsroom/comments/readers/${c.readerId}">Ban reader<span class="nr-visually-hidden"> ${c.readerName}</span></a>`}</td>
</tr>`;
}

/** The moderation queue: tabs, filters, a table with per-row and bulk actions in one form. */
export function moderationView(chrome: NewsroomChrome, p: ModerationPageProps): SafeHtml {
  const filters: SafeHtml[] = [];
  if (p.filter.articleId)
    filters.push(
      html`<li>Story: <strong>${p.filter.articleHeadline ?? 'unknown'}</strong> <a href="${queueUrl({ view: p.view, readerId: p.filter.readerId })}">clear</a></li>`,
    );
  if (p.filter.readerId)
    filters.push(
      html`<li>Reader: <strong><bdi>${p.filter.readerName ?? 'unknown'}</bdi></strong> <a href="${queueUrl({ view: p.view, articleId: p.filter.articleId })}">clear</a> · <a href="/newsroom/comments/readers/${p.filter.readerId}">reader details</a></li>`,
    );
  return newsroomLayout(chrome, {
    title: 'Comments',
    current: 'comments',
    body: html`<h1>Comments</h1>
${p.done ? html`<p class="nr-flash" role="status">${p.done}</p>` : ''}
<nav class="nr-tabs" aria-label="Comment lists"><ul>${TABS.map(
      ([key, label]) =>
        html`<li><a href="${queueUrl({ view: key, articleId: p.filter.articleId, readerId: p.filter.readerId })}"${p.view === key ? html` aria-current="page"` : ''}>${label}${key === 'pending' ? ` (${p.counts.pending})` : key === 'reported' ? ` (${p.counts.reported})` : ''}</a></li>`,
    )}</ul></nav>
${filters.length ? html`<ul class="nr-filters" aria-label="Filters">${filters}</ul>` : html`<p class="nr-hint">Select a story or a reader name to filter the list.</p>`}
${
  p.items.length
    ? html`<form method="post" action="/newsroom/comments/bulk">${csrfField(p.csrfToken)}<input type="hidden" name="returnTo" value="${p.returnTo}">
<div class="nr-bulk" role="group" aria-label="Bulk actions"><span>With selected:</span> <button type="submit" name="action" value="approve" class="nr-button nr-button--small">Approve</button> <button type="submit" name="action" value="reject" class="nr-button nr-button--small">Reject</button> <button type="submit" name="action" value="delete" class="nr-button nr-button--small nr-button--danger">Delete</button></div>
<div class="nr-table-wrap"><table class="nr-table nr-cm-table">
<caption class="nr-visually-hidden">Comments</caption>
<thead><tr><th scope="col"><span class="nr-visually-hidden">Select</span></th><th scope="col">Comment</th><th scope="col">Status</th><th scope="col"><span class="nr-visually-hidden">Actions</span></th></tr></thead>
<tbody>${p.items.map((c) => row(c, p))}</tbody>
</table></div></form>`
    : html`<p class="nr-card">Nothing here. ${p.view === 'pending' ? 'No comment is waiting for review.' : ''}</p>`
}
${p.page > 1 || p.hasMore ? html`<nav class="nr-pages" aria-label="Pages">${p.page > 1 ? html`<a href="${queueUrl({ view: p.view, articleId: p.filter.articleId, readerId: p.filter.readerId, page: p.page - 1 })}">← Previous</a> ` : ''}${p.hasMore ? html`<a href="${queueUrl({ view: p.view, articleId: p.filter.articleId, readerId: p.filter.readerId, page: p.page + 1 })}">Next →</a>` : ''}</nav>` : ''}`,
  });
}

/** A reader's details with the ban (or lift-ban) form. */
export function readerModerationView(chrome: NewsroomChrome, p: { csrfToken: string; reader: ModeratedReader; done?: string }): SafeHtml {
  const r = p.reader;
  return newsroomLayout(chrome, {
    title: `Reader ${r.displayName}`,
    current: 'comments',
    body: html`<p><a href="/newsroom/comments">← Comments</a></p>
<h1>Reader: <bdi>${r.displayName}</bdi></h1>
${p.done ? html`<p class="nr-flash" role="status">${p.done}</p>` : ''}
<p class="nr-muted">${r.email}${r.verified ? ' (verified)' : ''} · joined ${time(r.createdAt)} · ${r.published} published, ${r.rejected} rejected · <a href="${queueUrl({ view: 'all', readerId: r.id })}">their comments</a></p>
${
  r.ban
    ? html`<section class="nr-card"><h2>Banned</h2><p>Since ${time(r.ban.at)}${r.ban.reason ? html`: ${r.ban.reason}` : ''}.</p>
<form method="post" action="/newsroom/comments/readers/${r.id}/unban">${csrfField(p.csrfToken)}<button type="submit" class="nr-button">Lift the ban</button></form></section>`
    : html`<section class="nr-card"><h2>Ban this reader</h2><p>A banned reader cannot post, reply, like or report. Their waiting comments are rejected.</p>
<form class="nr-form" method="post" action="/newsroom/comments/readers/${r.id}/ban">${csrfField(p.csrfToken)}
<label for="reason">Reason (for the audit log)</label><input id="reason" name="reason" maxlength="300">
<p><input type="checkbox" id="removePublished" name="removePublished" value="1"> <label for="removePublished">Also take down their published comments</label></p>
<button type="submit" class="nr-button nr-button--danger">Ban reader</button></form></section>`
}`,
  });
}
