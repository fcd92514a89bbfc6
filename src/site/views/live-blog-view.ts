import type { LiveEntriesPage, PublicLiveEntry } from '../../domain/live/live-entries-read.ts';
import { coverageEnded, entryAnchor, entryExcerpt, entryPermalink } from '../../domain/live/live-entry.ts';
import type { LiveCoverage } from '../../domain/articles/article.ts';
import type { Image } from '../../domain/media/image.ts';
import { versionedAsset } from '../../http/assets.ts';
import { html, join, type SafeHtml } from '../../http/html.ts';
import { renderDocument } from '../../render/document-view.ts';
import type { Messages } from '../../render/i18n/messages.ts';

/*
 * A live blog on its story's page: the coverage state, the pinned entry, key events, the
 * entries (newest or oldest first) and plain-link pagination, all complete without
 * JavaScript. public/live.js only adds entries pushed by the page's stream.
 */

/** The live blog's stream (Server-Sent Events) for a story at `path`. */
export function liveStreamPath(path: string): string {
  return `${path}/live`;
}

/** The first words of an entry, for key-event lists and structured data. */
export function entrySummary(entry: Pick<PublicLiveEntry, 'body'>, max = 110): string {
  return entryExcerpt(entry.body, max);
}

function bylines(m: Messages, entry: PublicLiveEntry): SafeHtml {
  if (!entry.authors.length) return html``;
  const names = m.list(entry.authors.map((a) => html`<a href="/authors/${a.slug}"><bdi>${a.name}</bdi></a>`));
  return html`<span class="live-entry__byline">${m.html('article.byline', { names })}</span>`;
}

function time(m: Messages, iso: string, localize = false): SafeHtml {
  return html`<time datetime="${iso}"${localize ? html` data-localize` : ''}>${m.dateTime(iso)}</time>`;
}

/** One entry, as the page renders it and as the stream sends it. */
export function liveEntryHtml(
  m: Messages,
  entry: PublicLiveEntry,
  storyPath: string,
  images: ReadonlyMap<string, Image>,
  options: { pinned?: boolean } = {},
): SafeHtml {
  const link = entryPermalink(storyPath, entry.id);
  const id = options.pinned ? `pinned-${entry.id}` : entryAnchor(entry.id);
  return html`<article class="live-entry${entry.keyEvent ? ' live-entry--key' : ''}${options.pinned ? ' live-entry--pinned' : ''}" id="${id}" data-entry-id="${entry.id}" aria-labelledby="${id}-time">
<header class="live-entry__meta"><a class="live-entry__time" id="${id}-time" href="${link}">${time(m, entry.publishedAt, true)}</a>${options.pinned ? html` <span class="live-entry__badge live-entry__badge--pinned">${m.text('live.pinned')}</span>` : ''}${entry.keyEvent ? html` <span class="live-entry__badge">${m.text('live.keyEvent')}</span>` : ''} ${bylines(m, entry)}</header>
<div class="live-entry__body">${renderDocument(entry.body, images)}</div>
${entry.correction ? html`<p class="live-entry__correction">${m.html('live.correction', { strong: (chunks) => html`<strong>${chunks}</strong>`, time: time(m, entry.correction.at), note: entry.correction.note })}</p>` : ''}
</article>`;
}

function coverageLine(m: Messages, live: LiveCoverage, nowIso: string): SafeHtml {
  if (coverageEnded(live, nowIso)) {
    return html`<p class="live-blog__status live-blog__status--ended" data-ended-label="${m.text('live.hasEnded')}">${m.html('live.ended', { time: time(m, live.endAt!) })}</p>`;
  }
  return html`<p class="live-blog__status" data-ended-label="${m.text('live.hasEnded')}"><span class="live-blog__dot" aria-hidden="true"></span>${m.text('live.live')} <span class="live-blog__since">${m.html('live.since', { time: time(m, live.startAt) })}</span></p>`;
}

function orderLinks(m: Messages, path: string, order: LiveEntriesPage['order']): SafeHtml {
  const link = (o: LiveEntriesPage['order'], label: string, href: string) =>
    o === order ? html`<li><span aria-current="true">${label}</span></li>` : html`<li><a href="${href}#live-entries">${label}</a></li>`;
  return html`<nav class="live-blog__order" aria-label="${m.text('live.orderNav')}"><ul>${link('newest', m.text('live.newestFirst'), path)}${link('oldest', m.text('live.oldestFirst'), `${path}?order=oldest`)}</ul></nav>`;
}

let liveScript: string | undefined;
/** public/live.js with its content hash (read once). */
function liveScriptUrl(): string {
  return (liveScript ??= versionedAsset('live.js'));
}

/** The live blog section of a story's page. */
export function liveBlogSection(m: Messages, path: string, live: LiveCoverage, entries: LiveEntriesPage, nowIso: string): SafeHtml {
  const ended = coverageEnded(live, nowIso);
  const newest = entries.order === 'newest';
  // Only the live head of the blog takes pushed entries; an older page or oldest-first shows a link instead.
  const streams = !ended && newest && !entries.continued;
  const top = newest ? path : `${path}?order=oldest`;
  const more = entries.next
    ? html`<p class="live-blog__more"><a class="live-blog__more-link" rel="next" href="${newest ? `${path}?before=${entries.next}` : `${path}?order=oldest&after=${entries.next}`}#live-entries">${m.text(newest ? 'live.loadOlder' : 'live.loadNewer')}</a></p>`
    : '';
  return html`<section class="live-blog" aria-labelledby="live-heading" data-live-blog>
<h2 id="live-heading" class="live-blog__heading">${m.text('live.heading')} <span class="live-blog__count">(${m.number(entries.total)})</span></h2>
${coverageLine(m, live, nowIso)}
<p class="live-blog__feed"><a href="${path}/feed.xml" type="application/rss+xml">${m.text('live.feedLink')}</a></p>
${entries.pinned ? html`<div class="live-blog__pinned">${liveEntryHtml(m, entries.pinned, path, entries.images, { pinned: true })}</div>` : ''}
${entries.keyEvents.length ? html`<nav class="live-blog__key-events" aria-labelledby="key-events-heading"><h3 id="key-events-heading">${m.text('live.keyEvents')}</h3><ol>${entries.keyEvents.map((e) => html`<li><a href="${entryPermalink(path, e.id)}">${time(m, e.publishedAt)} ${entrySummary(e)}</a></li>`)}</ol></nav>` : ''}
${orderLinks(m, path, entries.order)}
${entries.continued ? html`<p class="live-blog__back"><a href="${top}#live-entries">${m.text(newest ? 'live.backLatest' : 'live.backFirst')}</a></p>` : ''}
<div class="live-blog__new" data-live-new data-plural="${JSON.stringify(m.pluralForms('live.newUpdates'))}" hidden></div>
<div class="live-blog__entries" id="live-entries"${streams ? html` data-live-stream="${liveStreamPath(path)}" data-live-since="${entries.streamCursor ?? ''}"` : ''}>
${entries.entries.length ? join(entries.entries.map((e) => liveEntryHtml(m, e, path, entries.images))) : html`<p class="live-blog__empty">${m.text('live.empty')}</p>`}
</div>
${more}
</section>${streams ? html`<script src="${liveScriptUrl()}" defer></script>` : ''}`;
}
