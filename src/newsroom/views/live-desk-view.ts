import type { Article } from '../../domain/articles/article.ts';
import type { Author } from '../../domain/authors/author.ts';
import type { LiveEntry } from '../../domain/live/live-entry.ts';
import { html, join, type SafeHtml } from '../../http/html.ts';
import { renderDocument } from '../../render/document-view.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

/*
 * The live desk of one story: the composer (focused on load, Ctrl/Cmd+Enter publishes) beside
 * the entries, each with its actions as small forms that work without JavaScript.
 */

export interface LiveDeskProps {
  story: Article;
  /** The story's public path, for the stream and "view on site". */
  publicPath: string;
  entries: LiveEntry[];
  authors: Author[];
  mayPublish: boolean;
  /** A refused post: the message and the typed text, shown again. */
  refusal?: { message: string; body: string };
  scriptSrc: string;
}

const time = (iso: string) => `${iso.slice(11, 16)} UTC`;

function actionForm(
  storyId: string,
  entry: LiveEntry,
  csrf: string,
  action: string,
  label: string,
  extra: Record<string, string> = {},
): SafeHtml {
  return html`<form method="post" action="/newsroom/stories/${storyId}/live/entries/${entry.id}/${action}" class="nr-inline">${csrfField(csrf)}<input type="hidden" name="expectedRevision" value="${entry.revision}">${join(Object.entries(extra).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`))}<button type="submit" class="nr-button nr-button--quiet nr-button--small">${label}</button></form>`;
}

export function liveDeskEntriesList(storyId: string, entries: LiveEntry[], csrf: string, mayPublish: boolean): SafeHtml {
  if (!entries.length) return html`<p class="live-desk__empty">No entries yet. The first one you publish starts the blog.</p>`;
  return html`<ol class="live-desk__entries">${entries.map(
    (e) => html`<li class="live-desk__entry${e.status === 'draft' ? ' live-desk__entry--draft' : ''}" id="desk-entry-${e.id}">
<p class="live-desk__meta"><strong>${e.publishedAt ? time(e.publishedAt) : 'Draft'}</strong>${e.pinned ? html` <span class="nr-badge">Pinned</span>` : ''}${e.keyEvent ? html` <span class="nr-badge">Key event</span>` : ''}${e.correction ? html` <span class="nr-badge">Corrected</span>` : ''}</p>
<div class="live-desk__body">${renderDocument(e.body, new Map())}</div>
<div class="live-desk__actions">
<a class="nr-button nr-button--quiet nr-button--small" href="/newsroom/stories/${storyId}/live/entries/${e.id}/edit">Edit${e.status === 'published' ? ' or correct' : ''}</a>
${e.status === 'draft' && mayPublish ? actionForm(storyId, e, csrf, 'publish', 'Publish') : ''}
${mayPublish ? actionForm(storyId, e, csrf, 'flags', e.pinned ? 'Unpin' : 'Pin', { pinned: e.pinned ? 'false' : 'true' }) : ''}
${mayPublish ? actionForm(storyId, e, csrf, 'flags', e.keyEvent ? 'Not a key event' : 'Key event', { keyEvent: e.keyEvent ? 'false' : 'true' }) : ''}
${actionForm(storyId, e, csrf, 'delete', 'Delete')}
</div>
</li>`,
  )}</ol>`;
}

export function liveDeskView(chrome: NewsroomChrome, p: LiveDeskProps): SafeHtml {
  const csrf = chrome.user!.csrfToken;
  const s = p.story;
  const live = s.live;
  const coverage = html`<form method="post" action="/newsroom/stories/${s.id}/live/coverage" class="live-desk__coverage">${csrfField(csrf)}<input type="hidden" name="expectedRevision" value="${s.revision}">
${
  live
    ? html`<label>Coverage ends (UTC, empty while open) <input name="endAt" value="${live.endAt ?? ''}" placeholder="2026-12-04T18:00:00Z"></label><input type="hidden" name="live" value="true"><button type="submit" class="nr-button nr-button--small">Save coverage</button> <button type="submit" name="endNow" value="true" class="nr-button nr-button--quiet nr-button--small">End coverage now</button>`
    : html`<input type="hidden" name="live" value="true"><button type="submit" class="nr-button">Make this story a live blog</button>`
}
</form>`;
  const composer = live
    ? html`<form method="post" action="/newsroom/stories/${s.id}/live/entries" class="live-desk__composer" data-live-composer>
${csrfField(csrf)}
${p.refusal ? formError(p.refusal.message) : ''}
<label for="entry-body" class="live-desk__label">New entry <span class="live-desk__hint">Markdown; ${p.mayPublish ? 'Ctrl+Enter or ⌘+Enter publishes' : 'Ctrl+Enter or ⌘+Enter saves the draft'}</span></label>
<textarea id="entry-body" name="body" rows="8" required autofocus>${p.refusal?.body ?? ''}</textarea>
<div class="live-desk__options">
<label><input type="checkbox" name="keyEvent" value="true"${p.mayPublish ? '' : ' disabled'}> Key event</label>
<label><input type="checkbox" name="pinned" value="true"${p.mayPublish ? '' : ' disabled'}> Pin</label>
<label>Byline <select name="authorId"><option value="">None</option>${p.authors.map((a) => html`<option value="${a.id}"${s.authorIds[0] === a.id ? ' selected' : ''}>${a.name}</option>`)}</select></label>
</div>
<div class="live-desk__buttons">
${p.mayPublish ? html`<button type="submit" name="action" value="publish" class="nr-button">Publish</button>` : ''}
<button type="submit" name="action" value="draft" class="nr-button nr-button--quiet">Save draft</button>
</div>
</form>`
    : html`<p>Turn live coverage on to post entries.</p>`;
  const body = html`<div class="live-desk" data-live-desk data-stream="${live ? `${p.publicPath}/live` : ''}" data-list="/newsroom/stories/${s.id}/live/list">
<header class="live-desk__header"><p><a href="/newsroom/stories/${s.id}">← Back to the story</a> · <a href="${p.publicPath}">View on the site</a></p>
<h1>Live desk: ${s.headline}</h1>
${coverage}
</header>
<div class="live-desk__columns">
<section class="live-desk__compose" aria-labelledby="compose-heading"><h2 id="compose-heading" class="visually-hidden">Post an entry</h2>${composer}</section>
<section class="live-desk__stream" aria-labelledby="entries-heading"><h2 id="entries-heading">Entries</h2><div data-live-desk-list aria-live="polite">${liveDeskEntriesList(s.id, p.entries, csrf, p.mayPublish)}</div></section>
</div>
</div>
<script src="${p.scriptSrc}" defer></script>`;
  return newsroomLayout(chrome, { title: `Live desk: ${s.headline}`, current: 'stories', body });
}

export interface LiveEntryEditProps {
  story: Article;
  entry: LiveEntry;
  /** The text in the form: the entry's, or what the writer typed when refused. */
  text: string;
  correctionNote: string;
  /** The revision the form edits (on a conflict: still the one the writer started from, so they must look first). */
  expectedRevision: number;
  refusal?: string;
  /** On a conflict: the entry as it is now. */
  current?: LiveEntry;
  scriptSrc: string;
}

export function liveEntryEditView(chrome: NewsroomChrome, p: LiveEntryEditProps): SafeHtml {
  const csrf = chrome.user!.csrfToken;
  const published = p.entry.status === 'published';
  const body = html`<div class="live-desk">
<p><a href="/newsroom/stories/${p.story.id}/live">← Back to the live desk</a></p>
<h1>Edit entry</h1>
${formError(p.refusal)}
${p.current ? html`<section class="live-desk__current" aria-labelledby="current-heading"><h2 id="current-heading">The entry as it is now (revision ${p.current.revision})</h2><div class="live-desk__body">${renderDocument(p.current.body, new Map())}</div></section>` : ''}
<form method="post" action="/newsroom/stories/${p.story.id}/live/entries/${p.entry.id}/edit" class="live-desk__composer" data-live-composer>
${csrfField(csrf)}<input type="hidden" name="expectedRevision" value="${p.expectedRevision}">
<label for="entry-body" class="live-desk__label">Text <span class="live-desk__hint">Ctrl+Enter or ⌘+Enter saves</span></label>
<textarea id="entry-body" name="body" rows="10" required autofocus>${p.text}</textarea>
${published ? html`<label for="correction" class="live-desk__label">Correction note <span class="live-desk__hint">optional; shown to readers with the time, e.g. “An earlier version gave the wrong number of injured.”</span></label><input id="correction" name="correctionNote" value="${p.correctionNote}">` : ''}
<div class="live-desk__buttons"><button type="submit" class="nr-button">Save${published ? ' (readers see it at once)' : ''}</button></div>
</form>
</div>
<script src="${p.scriptSrc}" defer></script>`;
  return newsroomLayout(chrome, { title: 'Edit entry', current: 'stories', body });
}
