import type { Author } from '../../domain/authors/author.ts';
import type { HomeFront, TeaserPage } from '../../domain/published/front-service.ts';
import type { Section } from '../../domain/sections/section.ts';
import type { Tag } from '../../domain/tags/tag.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { layout, type SiteChrome } from './layout.ts';
import { feedLinks, type FeedSource } from './meta/feed-links.ts';
import {
  collectionPageNode,
  graph,
  jsonLdScript,
  publisherId,
  publisherNode,
  siteIdentity,
  websiteNode,
  type CollectionPageInput,
  type JsonLd,
  type PublisherLogo,
  type SiteIdentity,
} from './meta/json-ld.ts';
import { openGraphTags } from './meta/open-graph.ts';
import { teaser } from './partials/teaser.ts';

/** Alternate language versions of a page (hreflang), absolute URLs, x-default included. */
type Alternates = ReadonlyArray<{ hreflang: string; href: string }>;

/** Open Graph for a front: the publisher logo stands in for a photo. */
function frontOpenGraph(site: SiteIdentity, p: { title: string; description: string; url: string }): SafeHtml {
  return openGraphTags({
    type: 'website',
    title: p.title,
    description: p.description,
    url: p.url,
    siteName: site.name,
    image: { url: site.logo.url, width: site.logo.width, height: site.logo.height, alt: site.name },
    card: 'summary',
  });
}

/** The home page: lead, latest and a block per section. `logo` is the publisher logo for structured data. */
export function homeView(chrome: SiteChrome, front: HomeFront, logo: PublisherLogo, alternates?: Alternates): SafeHtml {
  const site = siteIdentity(chrome, logo);
  const base = chrome.basePath ?? '';
  const url = `${site.origin}${base}/`;
  const title = `${chrome.siteName}: latest news`;
  const description = `The latest news from ${chrome.siteName}.`;
  const listed = [...(front.lead ? [front.lead] : []), ...front.latest, ...front.sections.flatMap((b) => b.items)];
  const meta = html`${frontOpenGraph(site, { title, description, url })}
${feedLinks(site.origin, [{ title: chrome.siteName, basePath: base || '/' }])}${jsonLdScript(
    graph([
      publisherNode(site),
      websiteNode(site),
      collectionPageNode(site, { url, name: title, description, items: listed.map((t) => `${site.origin}${t.path}`) }),
    ]),
  )}`;
  const body = html`<h1 class="visually-hidden">${chrome.siteName}: latest news</h1>
<div class="front">
${front.lead ? html`<section class="front__lead" aria-label="Top story">${teaser(front.lead, 'lead', 2)}</section>` : html`<p class="empty">No stories have been published yet.</p>`}
${front.latest.length ? html`<section class="front__latest" aria-labelledby="latest-heading"><h2 id="latest-heading" class="block-title">Latest</h2><div class="list">${front.latest.map((t) => teaser(t, 'compact', 3))}</div></section>` : ''}
</div>
${front.sections.map(
  (b) =>
    html`<section class="section-block" aria-labelledby="sec-${b.section.slug}"><h2 id="sec-${b.section.slug}" class="block-title"><a href="${base}/${b.section.slug}">${b.section.name}</a></h2><div class="grid">${b.items.map((t) => teaser(t, 'card', 3, false))}</div></section>`,
)}`;
  return layout(chrome, { title, description, canonicalPath: `${base}/`, alternates, meta, body });
}

function pagination(basePath: string, page: TeaserPage): SafeHtml {
  if (!page.olderCursor && page.isFirstPage) return html``;
  return html`<nav class="pagination" aria-label="Pagination">${!page.isFirstPage ? html`<a href="${basePath}" rel="first">← Newest stories</a>` : ''}${page.olderCursor ? html`<a href="${basePath}?before=${page.olderCursor}" rel="next">Older stories →</a>` : ''}</nav>`;
}

/** Head links to the neighbouring pages of a keyset-paginated list (there is no "newer" cursor, so page one is `first`). */
function paginationLinks(origin: string, basePath: string, page: TeaserPage): SafeHtml {
  return html`${
    page.isFirstPage
      ? ''
      : html`<link rel="first" href="${origin}${basePath}">
`
  }${
    page.olderCursor
      ? html`<link rel="next" href="${origin}${basePath}?before=${page.olderCursor}">
`
      : ''
  }`;
}

export interface ListViewProps {
  title: string;
  kicker?: string;
  intro?: SafeHtml;
  /** Meta and Open Graph description. */
  description: string;
  basePath: string;
  page: TeaserPage;
  currentSection?: string;
  showSection: boolean;
  /** The feeds of this list (served at `<basePath>/feed.xml` etc.). */
  feed: FeedSource;
  /** The same list in the other editions (hreflang). */
  alternates?: Alternates;
  /** Adds to the CollectionPage structured data (author profile, tag topic). */
  jsonLd?: Pick<CollectionPageInput, 'alsoTypes' | 'mainEntity' | 'about'>;
}

/** A paginated list of stories: section front, tag page or author page. */
export function listView(chrome: SiteChrome, logo: PublisherLogo, p: ListViewProps): SafeHtml {
  const site = siteIdentity(chrome, logo);
  const url = `${site.origin}${p.basePath}`;
  const meta = html`${frontOpenGraph(site, { title: p.title, description: p.description, url })}
${paginationLinks(site.origin, p.basePath, p.page)}${feedLinks(site.origin, [p.feed])}${jsonLdScript(
    graph([
      publisherNode(site),
      collectionPageNode(site, {
        url,
        name: p.title,
        description: p.description,
        items: p.page.items.map((t) => `${site.origin}${t.path}`),
        ...p.jsonLd,
      }),
    ]),
  )}`;
  const body = html`<header class="list-header">${p.kicker ? html`<p class="list-header__kicker">${p.kicker}</p>` : ''}<h1>${p.title}</h1>${p.intro ?? ''}</header>
${p.page.items.length ? html`<div class="stream">${p.page.items.map((t) => teaser(t, 'row', 2, p.showSection))}</div>` : html`<p class="empty">No stories here yet.</p>`}
${pagination(p.basePath, p.page)}`;
  return layout(chrome, {
    title: `${p.title}${p.page.isFirstPage ? '' : ' (older stories)'} | ${chrome.siteName}`,
    description: p.description,
    canonicalPath: p.basePath,
    alternates: p.alternates,
    meta,
    currentSection: p.currentSection,
    // Older pages are for readers, not for the index: the canonical front is page one.
    robots: p.page.isFirstPage ? undefined : 'noindex, follow',
    body,
  });
}

function authorIntro(author: Author): SafeHtml {
  return html`${author.roleTitle ? html`<p class="list-header__role">${author.roleTitle}</p>` : ''}${author.bio ? html`<p class="list-header__bio">${author.bio}</p>` : ''}`;
}

/** A section front. */
export function sectionView(
  chrome: SiteChrome,
  logo: PublisherLogo,
  found: { section: Section; page: TeaserPage },
  alternates?: Alternates,
): SafeHtml {
  const s = found.section;
  const base = chrome.basePath ?? '';
  return listView(chrome, logo, {
    title: s.name,
    description: s.description || `The latest ${s.name} news from ${chrome.siteName}.`,
    basePath: `${base}/${s.slug}`,
    page: found.page,
    currentSection: s.slug,
    showSection: false,
    alternates,
    feed: { title: `${chrome.siteName}: ${s.name}`, basePath: `${base}/${s.slug}` },
  });
}

/** A tag (topic) page. */
export function tagView(chrome: SiteChrome, logo: PublisherLogo, found: { tag: Tag; page: TeaserPage }): SafeHtml {
  const t = found.tag;
  const base = chrome.basePath ?? '';
  return listView(chrome, logo, {
    title: t.name,
    kicker: 'Topic',
    description: `Stories about ${t.name} from ${chrome.siteName}.`,
    basePath: `${base}/tags/${t.slug}`,
    page: found.page,
    showSection: true,
    feed: { title: `${chrome.siteName}: ${t.name}`, basePath: `${base}/tags/${t.slug}` },
    jsonLd: { about: { '@type': 'Thing', name: t.name } },
  });
}

/** An author page: their stories, and a ProfilePage whose main entity is the person. */
export function authorView(chrome: SiteChrome, logo: PublisherLogo, found: { author: Author; page: TeaserPage }): SafeHtml {
  const a = found.author;
  const site = siteIdentity(chrome, logo);
  const origin = site.origin;
  const basePath = `${chrome.basePath ?? ''}/authors/${a.slug}`;
  const person: JsonLd = {
    '@type': 'Person',
    '@id': `${origin}${basePath}#person`,
    name: a.name,
    url: `${origin}${basePath}`,
    ...(a.roleTitle ? { jobTitle: a.roleTitle } : {}),
    ...(a.bio ? { description: a.bio } : {}),
    worksFor: { '@id': publisherId(site) },
  };
  return listView(chrome, logo, {
    title: a.name,
    kicker: 'Author',
    intro: authorIntro(a),
    description: a.bio || `Stories by ${a.name}${a.roleTitle ? `, ${a.roleTitle},` : ''} for ${chrome.siteName}.`,
    basePath,
    page: found.page,
    showSection: true,
    feed: { title: `${chrome.siteName}: ${a.name}`, basePath },
    jsonLd: { alsoTypes: ['ProfilePage'], mainEntity: person },
  });
}

export function notFoundView(chrome: SiteChrome): SafeHtml {
  return layout(chrome, {
    title: `Page not found | ${chrome.siteName}`,
    robots: 'noindex',
    body: html`<section class="not-found"><p class="not-found__code">Error 404</p><h1>We can’t find that page</h1><p>The story may have moved, or the address may be mistyped.</p><ul><li><a href="${chrome.basePath ?? ''}/">Go to the front page</a> for the latest news</li>${chrome.sections.slice(0, 6).map((s) => html`<li>Browse <a href="${chrome.basePath ?? ''}/${s.slug}">${s.name}</a></li>`)}</ul></section>`,
  });
}

/**
 * A failure's page. A client error shows its explanation; a 503 (the database is unavailable)
 * says to come back; any other server fault keeps its details in the log.
 */
export function errorView(chrome: SiteChrome, e: { status: number; message: string }): SafeHtml {
  const [heading, body] =
    e.status === 503
      ? ['Temporarily unavailable', html`<p>${e.message} <a href="/">Go to the front page</a>.</p>`]
      : e.status >= 500
        ? ['Something went wrong on our side', html`<p>Please try again in a moment. <a href="/">Go to the front page</a>.</p>`]
        : ['That request could not be handled', html`<p>${e.message}</p><p><a href="/">Go to the front page</a>.</p>`];
  return layout(chrome, {
    title: `${e.status >= 500 && e.status !== 503 ? 'Something went wrong' : heading} | ${chrome.siteName}`,
    robots: 'noindex',
    body: html`<section class="not-found"><h1>${heading}</h1>${body}</section>`,
  });
}
