/*
 * How long browsers and shared caches (the CDN) may keep public responses: the one place the
 * values live. Browsers cannot be purged, so `max-age` stays short. The CDN is purged by tag
 * on every change (Surrogate-Key / xkey), so `s-maxage` can be longer: it only bounds what no
 * change event announces (an embargo or a publication time passing, a purge lost on the way).
 * `stale-while-revalidate` lets the edge answer at once while it refetches after expiry, and
 * `stale-if-error` keeps the site readable for a day if every app node is down.
 */

export interface CachePolicy {
  /** Seconds a browser may reuse the response. */
  maxAge: number;
  /** Seconds a shared cache may reuse it (purged earlier by tag). */
  sMaxAge: number;
  staleWhileRevalidate: number;
  staleIfError: number;
}

const DAY = 86_400;

export const CACHE_POLICIES = {
  /** HTML pages: fronts, articles, comment threads, and their redirects. */
  page: { maxAge: 30, sMaxAge: 600, staleWhileRevalidate: 60, staleIfError: DAY },
  /** Comment threads: a browser should see new comments soon (a reader's own post gets a fresh URL anyway). */
  thread: { maxAge: 15, sMaxAge: 600, staleWhileRevalidate: 30, staleIfError: DAY },
  /** RSS, Atom and JSON feeds: readers poll often; conditional GETs do the rest. */
  feed: { maxAge: 60, sMaxAge: 600, staleWhileRevalidate: 60, staleIfError: DAY },
  /** Content API reads (public mode only; token mode is `private`). */
  api: { maxAge: 60, sMaxAge: 600, staleWhileRevalidate: 60, staleIfError: DAY },
  /** The Google News sitemap: read often by news crawlers. */
  newsSitemap: { maxAge: 60, sMaxAge: 600, staleWhileRevalidate: 60, staleIfError: DAY },
  /** Sitemaps: crawlers re-read them a few times a day. */
  sitemap: { maxAge: 900, sMaxAge: 3600, staleWhileRevalidate: 300, staleIfError: DAY },
  /** robots.txt: fixed for the life of the process. */
  robots: { maxAge: 3600, sMaxAge: DAY, staleWhileRevalidate: 3600, staleIfError: DAY },
} as const satisfies Record<string, CachePolicy>;

export type CachePolicyName = keyof typeof CACHE_POLICIES;

/** The `Cache-Control` value of a public response kept by shared caches. */
export function publicCacheControl(name: CachePolicyName): string {
  const p: CachePolicy = CACHE_POLICIES[name];
  return `public, max-age=${p.maxAge}, s-maxage=${p.sMaxAge}, stale-while-revalidate=${p.staleWhileRevalidate}, stale-if-error=${p.staleIfError}`;
}

/** How long the app's own page cache keeps an entry that no purge dropped: the CDN's bound. */
export const PAGE_CACHE_TTL_MS = CACHE_POLICIES.page.sMaxAge * 1000;

/** Responses nobody may keep (404s, personal pages). */
export const NO_STORE = 'no-store';
