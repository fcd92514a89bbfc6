import type { Author } from '../../domain/authors/author.ts';
import type { HomeFront, TeaserPage } from '../../domain/articles/front-service.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { layout, type SiteChrome } from './layout.ts';
import { teaser } from './partials/teaser.ts';

export function homeView(chrome: SiteChrome, front: HomeFront): SafeHtml {
  const body = html`<h1 class="visually-hidden">${chrome.siteName}: latest news</h1>
<div class="front">
${front.lead ? html`<section class="front__lead" aria-label="Top story">${teaser(front.lead, 'lead', 2)}</section>` : html`<p class="empty">No stories have been published yet.</p>`}
${front.latest.length ? html`<section class="front__latest" aria-labelledby="latest-heading"><h2 id="latest-heading" class="block-title">Latest</h2><div class="list">${front.latest.map((t) => teaser(t, 'compact', 3))}</div></section>` : ''}
</div>
${front.sections.map(
  (b) =>
    html`<section class="section-block" aria-labelledby="sec-${b.section.slug}"><h2 id="sec-${b.section.slug}" class="block-title"><a href="/${b.section.slug}">${b.section.name}</a></h2><div class="grid">${b.items.map((t) => teaser(t, 'card', 3, false))}</div></section>`,
)}`;
  return layout(chrome, {
    title: `${chrome.siteName}: latest news`,
    description: `The latest news from ${chrome.siteName}.`,
    canonicalPath: '/',
    body,
  });
}

function pagination(basePath: string, page: TeaserPage): SafeHtml {
  if (!page.olderCursor && page.isFirstPage) return html``;
  return html`<nav class="pagination" aria-label="Pagination">${!page.isFirstPage ? html`<a href="${basePath}" rel="first">← Newest stories</a>` : ''}${page.olderCursor ? html`<a href="${basePath}?before=${page.olderCursor}" rel="next">Older stories →</a>` : ''}</nav>`;
}

/** A paginated list of stories: section front, tag page or author page. */
export function listView(
  chrome: SiteChrome,
  p: { title: string; kicker?: string; intro?: SafeHtml; basePath: string; page: TeaserPage; currentSection?: string; showSection: boolean },
): SafeHtml {
  const body = html`<header class="list-header">${p.kicker ? html`<p class="list-header__kicker">${p.kicker}</p>` : ''}<h1>${p.title}</h1>${p.intro ?? ''}</header>
${p.page.items.length ? html`<div class="stream">${p.page.items.map((t) => teaser(t, 'row', 2, p.showSection))}</div>` : html`<p class="empty">No stories here yet.</p>`}
${pagination(p.basePath, p.page)}`;
  return layout(chrome, {
    title: `${p.title}${p.page.isFirstPage ? '' : ' (older stories)'} | ${chrome.siteName}`,
    canonicalPath: p.basePath,
    currentSection: p.currentSection,
    // Older pages are for readers, not for the index: the canonical front is page one.
    robots: p.page.isFirstPage ? undefined : 'noindex, follow',
    body,
  });
}

export function authorIntro(author: Author): SafeHtml {
  return html`${author.roleTitle ? html`<p class="list-header__role">${author.roleTitle}</p>` : ''}${author.bio ? html`<p class="list-header__bio">${author.bio}</p>` : ''}`;
}

export function notFoundView(chrome: SiteChrome): SafeHtml {
  return layout(chrome, {
    title: `Page not found | ${chrome.siteName}`,
    robots: 'noindex',
    body: html`<section class="not-found"><p class="not-found__code">Error 404</p><h1>We can’t find that page</h1><p>The story may have moved, or the address may be mistyped.</p><ul><li><a href="/">Go to the front page</a> for the latest news</li>${chrome.sections.slice(0, 6).map((s) => html`<li>Browse <a href="/${s.slug}">${s.name}</a></li>`)}</ul></section>`,
  });
}

/** `message` is a client error's explanation; null means a server fault whose details stay in the log. */
export function errorView(chrome: SiteChrome, message: string | null): SafeHtml {
  return layout(chrome, {
    title: `${message ? 'That request could not be handled' : 'Something went wrong'} | ${chrome.siteName}`,
    robots: 'noindex',
    body: message
      ? html`<section class="not-found"><h1>That request could not be handled</h1><p>${message}</p><p><a href="/">Go to the front page</a>.</p></section>`
      : html`<section class="not-found"><h1>Something went wrong on our side</h1><p>Please try again in a moment. <a href="/">Go to the front page</a>.</p></section>`,
  });
}
