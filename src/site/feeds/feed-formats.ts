import type { Feed, FeedItem } from '../../domain/published/article-feed.ts';
import { renderDocument } from '../../render/document-view.ts';
import type { Messages } from '../../render/i18n/messages.ts';
import { absoluteUrl, absolutizeHtml, cdata, largestRendition, rfc822, w3cDateTime, xmlEscape as x } from './feed-xml.ts';

/*
 * Pure renderers: (feed, meta) → RSS 2.0, Atom 1.0 or JSON Feed 1.1 text. Item ids are the
 * article's UUID as a URN, so a renamed slug (which leaves a redirect) never shows up as a
 * new story in readers.
 */

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'feed.atom', json: 'feed.json' };
export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export interface FeedMeta {
  siteName: string;
  siteUrl: string;
  title: string;
  description: string;
  /** The HTML page the feed mirrors: `/`, `/world`, `/tags/russia`, `/authors/jane-doe`. */
  homePath: string;
  /** Path prefix of the feed files: `` for the site, else the home path. */
  feedBase: string;
  /** Feed language when the items do not say otherwise. */
  language: string;
  /** Where media and body links resolve when `siteUrl` is a language edition's (`https://site/fr`): the origin. */
  assetOrigin?: string;
}

/** Feed title and description for a section, tag or author feed, or the whole site, in the words of `m` (the edition's). */
export function feedMeta(feed: Feed, site: { siteName: string; siteUrl: string }, m: Messages): FeedMeta {
  const { kind, slug } = feed.subject;
  const name = feed.subject.name ?? '';
  const { siteName } = site;
  if (kind === 'live') {
    // A live blog's feed sits beside its story page (`slug` holds the story's path).
    return {
      siteName,
      siteUrl: site.siteUrl,
      title: `${m.text('feed.live', { name })} | ${siteName}`,
      description: m.text('feed.liveDescription', { name }),
      homePath: slug!,
      feedBase: slug!,
      language: feed.items[0]?.language ?? 'en',
    };
  }
  const homePath = kind === 'site' ? '/' : kind === 'section' ? `/${slug}` : kind === 'tag' ? `/tags/${slug}` : `/authors/${slug}`;
  return {
    siteName,
    siteUrl: site.siteUrl,
    title: kind === 'site' ? siteName : `${name} | ${siteName}`,
    description: m.text(kind === 'site' ? 'feed.site' : `feed.${kind}`, { name, siteName }),
    homePath,
    feedBase: kind === 'site' ? '' : homePath,
    language: feed.items[0]?.language ?? 'en',
  };
}

export function feedUrl(meta: FeedMeta, format: FeedFormat): string {
  return absoluteUrl(meta.siteUrl, `${meta.feedBase}/${FEED_FILES[format]}`);
}

const itemId = (item: FeedItem) => `urn:uuid:${item.id}`;
const itemModified = (item: FeedItem) => item.updatedAt ?? item.publishedAt;

/** The article body as standalone HTML with absolute URLs (readers show it away from the site). */
export function itemContentHtml(meta: FeedMeta, item: FeedItem): string {
  return absolutizeHtml(meta.assetOrigin ?? meta.siteUrl, renderDocument(item.body, item.images).value);
}

export function renderRss(feed: Feed, meta: FeedMeta): string {
  const items = feed.items.map((item) => {
    const link = absoluteUrl(meta.siteUrl, item.path);
    const img = item.hero ? largestRendition(meta.assetOrigin ?? meta.siteUrl, item.hero) : null;
    return [
      '<item>',
      `<title>${x(item.headline)}</title>`,
      `<link>${x(link)}</link>`,
      `<description>${x(item.standfirst)}</description>`,
      // The full story for readers that show it in place (RSS content module).
      `<content:encoded>${cdata(itemContentHtml(meta, item))}</content:encoded>`,
      ...item.authors.map((a) => `<dc:creator>${x(a.name)}</dc:creator>`),
      `<category domain="${x(absoluteUrl(meta.siteUrl, `/${item.section.slug}`))}">${x(item.section.name)}</category>`,
      ...item.tags.map((t) => `<category domain="${x(absoluteUrl(meta.siteUrl, `/tags/${t.slug}`))}">${x(t.name)}</category>`),
      `<guid isPermaLink="false">${itemId(item)}</guid>`,
      `<pubDate>${rfc822(item.publishedAt)}</pubDate>`,
      img && item.hero
        ? `<media:content url="${x(img.url)}" type="${img.type}" medium="image" width="${img.width}" height="${img.height}">${item.hero.altText ? `<media:description type="plain">${x(item.hero.altText)}</media:description>` : ''}${item.hero.credit || item.hero.creator ? `<media:credit>${x(item.hero.credit || item.hero.creator)}</media:credit>` : ''}</media:content>`
        : '',
      '</item>',
    ].join('');
  });
  const lastBuild = feed.lastChangedAt ? `<lastBuildDate>${rfc822(feed.lastChangedAt)}</lastBuildDate>` : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">' +
    '<channel>' +
    `<title>${x(meta.title)}</title>` +
    `<link>${x(absoluteUrl(meta.siteUrl, meta.homePath))}</link>` +
    `<description>${x(meta.description)}</description>` +
    `<language>${x(meta.language)}</language>` +
    lastBuild +
    `<atom:link href="${x(feedUrl(meta, 'rss'))}" rel="self" type="application/rss+xml"/>` +
    items.join('') +
    '</channel></rss>\n'
  );
}

export function renderAtom(feed: Feed, meta: FeedMeta): string {
  const self = feedUrl(meta, 'atom');
  const entries = feed.items.map((item) =>
    [
      '<entry>',
      `<id>${itemId(item)}</id>`,
      `<title type="text">${x(item.headline)}</title>`,
      `<link rel="alternate" type="text/html" href="${x(absoluteUrl(meta.siteUrl, item.path))}"/>`,
      `<published>${w3cDateTime(item.publishedAt)}</published>`,
      `<updated>${w3cDateTime(itemModified(item))}</updated>`,
      ...item.authors.map(
        (a) => `<author><name>${x(a.name)}</name><uri>${x(absoluteUrl(meta.siteUrl, `/authors/${a.slug}`))}</uri></author>`,
      ),
      `<category term="${x(item.section.slug)}" label="${x(item.section.name)}" scheme="${x(absoluteUrl(meta.siteUrl, '/'))}"/>`,
      ...item.tags.map((t) => `<category term="${x(t.slug)}" label="${x(t.name)}" scheme="${x(absoluteUrl(meta.siteUrl, '/tags/'))}"/>`),
      `<summary type="text">${x(item.standfirst)}</summary>`,
      // The whole story, as RSS (content:encoded) and JSON Feed (content_html) carry it; escaped HTML (RFC 4287 §4.1.3).
      `<content type="html">${x(itemContentHtml(meta, item))}</content>`,
      '</entry>',
    ].join(''),
  );
  // An empty feed still needs <updated>; the epoch says "nothing yet" without inventing a time.
  const updated = feed.lastChangedAt ? w3cDateTime(feed.lastChangedAt) : '1970-01-01T00:00:00Z';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(meta.language)}">` +
    `<id>${x(self)}</id>` +
    `<title type="text">${x(meta.title)}</title>` +
    `<subtitle type="text">${x(meta.description)}</subtitle>` +
    `<updated>${updated}</updated>` +
    // Feed-level author covers entries without a byline (RFC 4287 §4.1.1).
    `<author><name>${x(meta.siteName)}</name><uri>${x(absoluteUrl(meta.siteUrl, '/'))}</uri></author>` +
    `<link rel="alternate" type="text/html" href="${x(absoluteUrl(meta.siteUrl, meta.homePath))}"/>` +
    `<link rel="self" type="application/atom+xml" href="${x(self)}"/>` +
    `<generator>Masthead</generator>` +
    entries.join('') +
    '</feed>\n'
  );
}

export function renderJsonFeed(feed: Feed, meta: FeedMeta): string {
  const items = feed.items.map((item) => {
    const img = item.hero ? largestRendition(meta.assetOrigin ?? meta.siteUrl, item.hero) : null;
    return {
      id: itemId(item),
      url: absoluteUrl(meta.siteUrl, item.path),
      title: item.headline,
      summary: item.standfirst,
      content_html: itemContentHtml(meta, item),
      ...(img ? { image: img.url } : {}),
      date_published: w3cDateTime(item.publishedAt),
      date_modified: w3cDateTime(itemModified(item)),
      authors: item.authors.map((a) => ({ name: a.name, url: absoluteUrl(meta.siteUrl, `/authors/${a.slug}`) })),
      tags: [item.section.name, ...item.tags.map((t) => t.name)],
      language: item.language,
    };
  });
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: absoluteUrl(meta.siteUrl, meta.homePath),
    feed_url: feedUrl(meta, 'json'),
    description: meta.description,
    language: meta.language,
    authors: [{ name: meta.siteName, url: absoluteUrl(meta.siteUrl, '/') }],
    items,
  });
}

export const RENDERERS: Record<FeedFormat, (feed: Feed, meta: FeedMeta) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};
