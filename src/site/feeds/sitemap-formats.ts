import type { ListingPage, NewsSitemapItem, SitemapArticle, SitemapPage } from '../../domain/published/article-feed.ts';
import { absoluteUrl, largestRendition, w3cDateTime, xmlEscape as x } from './feed-xml.ts';

/*
 * Sitemap writers. Each takes an async source of rows (keyset batches from the domain) and
 * yields XML chunks, so a reply can stream a sitemap of any size without holding it.
 */

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const IMAGE_NS = 'http://www.google.com/schemas/sitemap-image/1.1';
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

export interface SitemapRef {
  loc: string;
  lastModified: string | null;
}

/** `<sitemapindex>` over child sitemaps given as absolute URLs. */
export async function* sitemapIndexXml(refs: AsyncIterable<SitemapRef> | Iterable<SitemapRef>): AsyncGenerator<string> {
  yield `${XML_DECL}<sitemapindex xmlns="${SITEMAP_NS}">\n`;
  for await (const ref of refs) {
    yield `<sitemap><loc>${x(ref.loc)}</loc>${ref.lastModified ? `<lastmod>${w3cDateTime(ref.lastModified)}</lastmod>` : ''}</sitemap>\n`;
  }
  yield '</sitemapindex>\n';
}

/** The index entry of one article sitemap page. */
export function articlePageRef(siteUrl: string, page: SitemapPage, path: string): SitemapRef {
  return { loc: absoluteUrl(siteUrl, path), lastModified: page.lastModified };
}

/** Article `<urlset>` with `lastmod` and the hero as `image:image`; batches arrive in keyset order. */
export async function* articleSitemapXml(siteUrl: string, batches: AsyncIterable<SitemapArticle[]>): AsyncGenerator<string> {
  yield `${XML_DECL}<urlset xmlns="${SITEMAP_NS}" xmlns:image="${IMAGE_NS}" xmlns:xhtml="${XHTML_NS}">\n`;
  for await (const batch of batches) {
    let chunk = '';
    for (const a of batch) {
      const img = a.hero ? largestRendition(siteUrl, { ...a.hero, width: 0, height: 0 }) : null;
      chunk += `<url><loc>${x(absoluteUrl(siteUrl, a.path))}</loc><lastmod>${w3cDateTime(a.lastModified)}</lastmod>${(a.alternates ?? []).map((l) => `<xhtml:link rel="alternate" hreflang="${x(l.hreflang)}" href="${x(l.href)}"/>`).join('')}${img ? `<image:image><image:loc>${x(img.url)}</image:loc></image:image>` : ''}</url>\n`;
    }
    yield chunk;
  }
  yield '</urlset>\n';
}

/** Plain `<urlset>` for listing pages (sections, tags, authors). */
export async function* listingSitemapXml(
  siteUrl: string,
  batches: AsyncIterable<ListingPage[]>,
  pathOf: (slug: string) => string,
): AsyncGenerator<string> {
  yield `${XML_DECL}<urlset xmlns="${SITEMAP_NS}">\n`;
  for await (const batch of batches) {
    yield batch
      .map(
        (p) =>
          `<url><loc>${x(absoluteUrl(siteUrl, pathOf(p.slug)))}</loc>${p.lastModified ? `<lastmod>${w3cDateTime(p.lastModified)}</lastmod>` : ''}</url>\n`,
      )
      .join('');
  }
  yield '</urlset>\n';
}

/** Google News sitemap: publication name and language, original publication time, title. */
export function newsSitemapXml(siteUrl: string, siteName: string, items: readonly NewsSitemapItem[]): string {
  const urls = items.map(
    (i) =>
      `<url><loc>${x(absoluteUrl(siteUrl, i.path))}</loc><news:news><news:publication><news:name>${x(siteName)}</news:name><news:language>${x(newsLanguage(i.language))}</news:language></news:publication><news:publication_date>${w3cDateTime(i.publishedAt)}</news:publication_date><news:title>${x(i.headline)}</news:title></news:news></url>\n`,
  );
  return `${XML_DECL}<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n${urls.join('')}</urlset>\n`;
}

/**
 * Google News wants an ISO 639 code, except Chinese, which must be zh-cn or zh-tw; other
 * region subtags are dropped ("en-GB" → "en").
 */
export function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return /^zh-(tw|hk|mo|hant)/.test(lower) ? 'zh-tw' : 'zh-cn';
  return lower.split('-')[0] || 'en';
}

/** robots.txt naming the site's sitemap index, and each other language edition's (absolute URLs). */
export function robotsTxt(siteUrl: string, editionSitemaps: readonly string[] = []): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${absoluteUrl(siteUrl, '/sitemap.xml')}\n${editionSitemaps.map((u) => `Sitemap: ${u}\n`).join('')}`;
}
