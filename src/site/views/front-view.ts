import type { Author } from '../../domain/authors/author.ts';
import type { ArrangedBlock, ArrangedFront } from '../../domain/published/arranged-front.ts';
import type { Teaser } from '../../domain/published/article-teasers.ts';
import type { HomeFront, SectionFront, TeaserPage } from '../../domain/published/front-service.ts';
import type { Section } from '../../domain/sections/section.ts';
import type { Tag } from '../../domain/tags/tag.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import type { Messages } from '../../render/i18n/messages.ts';
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
  const { m } = chrome;
  const title = m.text('front.title', { siteName: chrome.siteName });
  const description = m.text('front.description', { siteName: chrome.siteName });
  const named = front.arranged?.blocks ?? [];
  const listed = [
    ...(front.lead ? [front.lead] : []),
    ...front.latest,
    ...named.flatMap((b) => b.items),
    ...front.sections.flatMap((b) => b.items),
  ];
  // Under an editor's arrangement the list after the lead is their top stories, not simply the latest.
  const latestTitle = front.arranged ? m.text('front.topStories') : m.text('front.latest');
  const meta = html`${frontOpenGraph(site, { title, description, url })}
${feedLinks(site.origin, [{ title: chrome.siteName, basePath: base || '/' }])}${jsonLdScript(
    graph([
      publisherNode(site),
      websiteNode(site),
      collectionPageNode(site, { url, name: title, description, items: listed.map((t) => `${site.origin}${t.path}`) }),
    ]),
  )}`;
  const body = html`<h1 class="visually-hidden">${title}</h1>
<div class="front">
${front.lead ? html`<section class="front__lead" aria-label="${m.text('front.topStory')}">${teaser(m, front.lead, 'lead', 2)}</section>` : html`<p class="empty">${m.text('front.empty')}</p>`}
${front.latest.length ? html`<section class="front__latest" aria-labelledby="latest-heading"><h2 id="latest-heading" class="block-title">${latestTitle}</h2><div class="list">${front.latest.map((t) => teaser(m, t, 'compact', 3))}</div></section>` : ''}
</div>
${namedBlocks(m, named)}${front.sections.map(
    (b) =>
      html`<section class="section-block" aria-labelledby="sec-${b.section.slug}"><h2 id="sec-${b.section.slug}" class="block-title"><a href="${base}/${b.section.slug}">${b.section.name}</a></h2><div class="grid">${b.items.map((t) => teaser(m, t, 'card', 3, false))}</div></section>`,
  )}`;
  return layout(chrome, { title, description, canonicalPath: `${base}/`, alternates, meta, body });
}

/** An arrangement's named blocks ("Ukraine war"), each a grid of cards; empty blocks are left out. */
function namedBlocks(m: Messages, blocks: readonly ArrangedBlock[]): SafeHtml {
  return html`${blocks
    .filter((b) => b.items.length)
    .map(
      (b, i) =>
        html`<section class="section-block front-block" aria-labelledby="front-block-${i}"><h2 id="front-block-${i}" class="block-title">${b.title}</h2><div class="grid">${b.items.map((t) => teaser(m, t, 'card', 3))}</div></section>`,
    )}`;
}

/** Page one of an arranged section front: lead, top stories and named blocks above the list. */
function arrangedSectionTop(m: Messages, arranged: ArrangedFront | undefined): SafeHtml {
  if (!arranged || (!arranged.lead && !arranged.top.length && !arranged.blocks.some((b) => b.items.length))) return html``;
  return html`<div class="front">
${arranged.lead ? html`<section class="front__lead" aria-label="${m.text('front.topStory')}">${teaser(m, arranged.lead, 'lead', 2, false)}</section>` : ''}
${arranged.top.length ? html`<section class="front__latest" aria-labelledby="top-heading"><h2 id="top-heading" class="block-title">${m.text('front.topStories')}</h2><div class="list">${arranged.top.map((t) => teaser(m, t, 'compact', 3, false))}</div></section>` : ''}
</div>
${namedBlocks(m, arranged.blocks)}`;
}

function pagination(m: Messages, basePath: string, page: TeaserPage): SafeHtml {
  if (!page.olderCursor && page.isFirstPage) return html``;
  return html`<nav class="pagination" aria-label="${m.text('list.paginationNav')}">${!page.isFirstPage ? html`<a href="${basePath}" rel="first">${m.text('list.newest')}</a>` : ''}${page.olderCursor ? html`<a href="${basePath}?before=${page.olderCursor}" rel="next">${m.text('list.older')}</a>` : ''}</nav>`;
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
  /** A section front's arrangement (page one only), shown above the list. */
  arranged?: ArrangedFront;
}

/** A paginated list of stories: section front, tag page or author page. */
export function listView(chrome: SiteChrome, logo: PublisherLogo, p: ListViewProps): SafeHtml {
  const { m } = chrome;
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
        items: [...arrangedTeasers(p.arranged), ...p.page.items].map((t) => `${site.origin}${t.path}`),
        ...p.jsonLd,
      }),
    ]),
  )}`;
  const body = html`<header class="list-header">${p.kicker ? html`<p class="list-header__kicker">${p.kicker}</p>` : ''}<h1 dir="auto">${p.title}</h1>${p.intro ?? ''}</header>
${arrangedSectionTop(m, p.arranged)}
${p.page.items.length ? html`<div class="stream">${p.page.items.map((t) => teaser(m, t, 'row', 2, p.showSection))}</div>` : html`<p class="empty">${m.text('list.empty')}</p>`}
${pagination(m, p.basePath, p.page)}`;
  return layout(chrome, {
    title: `${p.page.isFirstPage ? p.title : m.text('list.olderTitle', { title: p.title })} | ${chrome.siteName}`,
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
export function sectionView(chrome: SiteChrome, logo: PublisherLogo, found: SectionFront, alternates?: Alternates): SafeHtml {
  const s = found.section;
  const base = chrome.basePath ?? '';
  return listView(chrome, logo, {
    title: s.name,
    description: s.description || chrome.m.text('list.sectionDescription', { section: s.name, siteName: chrome.siteName }),
    basePath: `${base}/${s.slug}`,
    page: found.page,
    currentSection: s.slug,
    showSection: false,
    alternates,
    feed: { title: `${chrome.siteName}: ${s.name}`, basePath: `${base}/${s.slug}` },
    ...(found.arranged ? { arranged: found.arranged } : {}),
  });
}

function arrangedTeasers(arranged: ArrangedFront | undefined): Teaser[] {
  if (!arranged) return [];
  return [...(arranged.lead ? [arranged.lead] : []), ...arranged.top, ...arranged.blocks.flatMap((b) => b.items)];
}

/** A tag (topic) page. */
export function tagView(chrome: SiteChrome, logo: PublisherLogo, found: { tag: Tag; page: TeaserPage }): SafeHtml {
  const t = found.tag;
  const base = chrome.basePath ?? '';
  return listView(chrome, logo, {
    title: t.name,
    kicker: chrome.m.text('list.topic'),
    description: chrome.m.text('list.tagDescription', { tag: t.name, siteName: chrome.siteName }),
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
    kicker: chrome.m.text('list.author'),
    intro: authorIntro(a),
    description:
      a.bio ||
      (a.roleTitle
        ? chrome.m.text('list.authorRoleDescription', { name: a.name, role: a.roleTitle, siteName: chrome.siteName })
        : chrome.m.text('list.authorDescription', { name: a.name, siteName: chrome.siteName })),
    basePath,
    page: found.page,
    showSection: true,
    feed: { title: `${chrome.siteName}: ${a.name}`, basePath },
    jsonLd: { alsoTypes: ['ProfilePage'], mainEntity: person },
  });
}

export function notFoundView(chrome: SiteChrome): SafeHtml {
  const { m } = chrome;
  const front = (chunks: unknown) => html`<a href="${chrome.basePath ?? ''}/">${chunks as SafeHtml[]}</a>`;
  return layout(chrome, {
    title: `${m.text('error.notFoundTitle')} | ${chrome.siteName}`,
    robots: 'noindex',
    body: html`<section class="not-found"><p class="not-found__code">${m.text('error.notFoundCode')}</p><h1>${m.text('error.notFoundHeading')}</h1><p>${m.text('error.notFoundBody')}</p><ul><li>${m.html('error.notFoundFront', { link: front })}</li>${chrome.sections.slice(0, 6).map((s) => html`<li>${m.html('error.notFoundBrowse', { section: html`<a href="${chrome.basePath ?? ''}/${s.slug}">${s.name}</a>` })}</li>`)}</ul></section>`,
  });
}

/**
 * A failure's page. A client error shows its explanation; a 503 (the database is unavailable)
 * says to come back; any other server fault keeps its details in the log.
 */
export function errorView(chrome: SiteChrome, e: { status: number; message: string }): SafeHtml {
  const { m } = chrome;
  const front = html`<a href="/">${m.text('error.frontLink')}</a>`;
  const [heading, body] =
    e.status === 503
      ? [m.text('error.unavailable'), html`<p>${e.message} ${front}.</p>`]
      : e.status >= 500
        ? [m.text('error.serverHeading'), html`<p>${m.text('error.retry')} ${front}.</p>`]
        : [m.text('error.clientHeading'), html`<p>${e.message}</p><p>${front}.</p>`];
  return layout(chrome, {
    title: `${e.status >= 500 && e.status !== 503 ? m.text('error.serverTitle') : heading} | ${chrome.siteName}`,
    robots: 'noindex',
    body: html`<section class="not-found"><h1>${heading}</h1>${body}</section>`,
  });
}
