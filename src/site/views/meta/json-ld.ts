import { SafeHtml } from '../../../http/html.ts';
import { siteOrigin, type SiteChrome } from '../layout.ts';

/**
 * schema.org JSON-LD for the public pages (https://schema.org, Google's Article guidelines).
 * Builders return plain objects; `jsonLdScript` is the only place they become markup.
 */

export type JsonLd = { [key: string]: unknown };

/** The publisher facts every page's structured data repeats. Built once at startup. */
export interface SiteIdentity {
  name: string;
  /** Absolute origin without a trailing slash, e.g. `https://news.example.com`. */
  origin: string;
  /** Absolute URL of the publisher logo (a raster image, as Google requires). */
  logo: { url: string; width: number; height: number };
}

/** The static logo file under `public/` and its pixel size (asserted against the file in tests). */
export const PUBLISHER_LOGO = { file: 'publisher-logo.png', width: 512, height: 512 } as const;

/** Where the logo is served (site-relative, versioned) and its size; the routes build it once. */
export interface PublisherLogo {
  path: string;
  width: number;
  height: number;
}

export function siteIdentity(chrome: SiteChrome, logo: PublisherLogo): SiteIdentity {
  const origin = siteOrigin(chrome);
  return { name: chrome.siteName, origin, logo: { url: `${origin}${logo.path}`, width: logo.width, height: logo.height } };
}

// `<` and `>` stop `</script>` and `<!--` from ending or changing the script element, `&` keeps
// the text identical under XHTML parsing, and U+2028/2029 are line terminators in older JS
// engines that would break a consumer who evals the block. Quotes inside strings become
// \u0022/\u0027 too, so no HTML-significant character of user text appears raw anywhere in the
// page (scanners looking for `"onerror=` stay meaningful). All are valid JSON escapes.
const JSON_LD_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  "'": '\\u0027',
  '\\"': '\\u0022',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
// Escape pairs (`\x`) are consumed whole, left to right, so `\\"` (a backslash, then the closing
// quote of a string) is never mistaken for an escaped quote.
const JSON_LD_ESCAPE_RE = /\\[\s\S]|[<>&'\u2028\u2029]/g;

/** JSON text safe to place inside a `<script>` element: nothing in it can close the element. */
export function serializeJsonLd(data: JsonLd): string {
  return JSON.stringify(data).replace(JSON_LD_ESCAPE_RE, (c) => JSON_LD_ESCAPES[c] ?? c);
}

/**
 * A `<script type="application/ld+json">` block. It is data, not script: the CSP's
 * `script-src` does not apply to it, so it needs no nonce or hash.
 */
export function jsonLdScript(data: JsonLd): SafeHtml {
  // serializeJsonLd leaves no `<` in the text, so the element cannot be closed from inside.
  return new SafeHtml(`<script type="application/ld+json">${serializeJsonLd(data)}</script>`);
}

/** `@id` of the publisher node, so pages can refer to it instead of repeating it. */
export function publisherId(site: SiteIdentity): string {
  return `${site.origin}/#publisher`;
}

export function websiteId(site: SiteIdentity): string {
  return `${site.origin}/#website`;
}

/** The publication as a NewsMediaOrganization with its logo. */
export function publisherNode(site: SiteIdentity): JsonLd {
  return {
    '@type': 'NewsMediaOrganization',
    '@id': publisherId(site),
    name: site.name,
    url: `${site.origin}/`,
    logo: { '@type': 'ImageObject', url: site.logo.url, width: site.logo.width, height: site.logo.height },
  };
}

/** The site itself; on the home page only. */
export function websiteNode(site: SiteIdentity): JsonLd {
  return {
    '@type': 'WebSite',
    '@id': websiteId(site),
    name: site.name,
    url: `${site.origin}/`,
    publisher: { '@id': publisherId(site) },
  };
}

export interface CollectionPageInput {
  url: string;
  name: string;
  description?: string;
  /** Absolute URLs of the stories listed, newest first. */
  items: readonly string[];
  /** Extra `@type`s, e.g. `ProfilePage` for an author's page. */
  alsoTypes?: readonly string[];
  /** `mainEntity` other than the list (the Person of a ProfilePage). */
  mainEntity?: JsonLd;
  /** `about` of a section or tag page. */
  about?: JsonLd;
}

/** A front or list page, with the listed stories as an ItemList. */
export function collectionPageNode(site: SiteIdentity, p: CollectionPageInput): JsonLd {
  const list: JsonLd = {
    '@type': 'ItemList',
    itemListElement: p.items.map((url, i) => ({ '@type': 'ListItem', position: i + 1, url })),
  };
  return {
    '@type': p.alsoTypes?.length ? ['CollectionPage', ...p.alsoTypes] : 'CollectionPage',
    '@id': p.url,
    url: p.url,
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    isPartOf: { '@id': websiteId(site) },
    publisher: { '@id': publisherId(site) },
    ...(p.about ? { about: p.about } : {}),
    ...(p.mainEntity ? { mainEntity: p.mainEntity, hasPart: list } : { mainEntity: list }),
  };
}

/** A JSON-LD document of several nodes that refer to each other by `@id`. */
export function graph(nodes: readonly JsonLd[]): JsonLd {
  return { '@context': 'https://schema.org', '@graph': nodes };
}
