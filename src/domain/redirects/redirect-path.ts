/*
 * The one spelling of an old address, used both when an import stores it and when a request
 * looks it up: the decoded path without a trailing slash (`/2011/01/hello-world`), or, for
 * WordPress's plain permalinks, the path with its post or page number (`/?p=123`,
 * `/?page_id=2`). Any other query (`utm_source`, `replytocom`…) is ignored, and the host
 * never counts: the old site's domain now points here.
 */

const MAX_PATH = 1000;
const NUMBER = /^[1-9][0-9]{0,18}$/;

function decodedPath(pathname: string): string {
  let p = pathname;
  try {
    p = decodeURIComponent(pathname);
  } catch {
    // A stray "%" is kept as written; the lookup simply finds nothing.
  }
  p = p.normalize('NFC').replace(/\/{2,}/g, '/');
  if (p.length > 1) p = p.replace(/\/+$/, '');
  return p || '/';
}

/**
 * The key an address is stored and looked up under, or null when it is not one we can
 * keep (not http(s), unparseable, too long). Takes an absolute URL or a path with a query.
 */
export function redirectKey(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address.trim(), 'http://old.invalid');
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const path = decodedPath(url.pathname);
  const p = url.searchParams.get('p');
  const pageId = url.searchParams.get('page_id');
  const key = p && NUMBER.test(p) ? `${path}?p=${p}` : pageId && NUMBER.test(pageId) ? `${path}?page_id=${pageId}` : path;
  if (key === '/' || key.length > MAX_PATH) return null;
  return key;
}

/** Query parameters an old address may carry: routes that can answer for one key their cache by these too. */
export const REDIRECT_QUERY_PARAMS = ['p', 'page_id'] as const;

/** True when a request URL names a WordPress post or page number (`?p=` / `?page_id=`). */
export function namesOldPostNumber(requestUrl: string): boolean {
  const q = requestUrl.indexOf('?');
  if (q < 0) return false;
  const params = new URLSearchParams(requestUrl.slice(q + 1));
  return REDIRECT_QUERY_PARAMS.some((name) => NUMBER.test(params.get(name) ?? ''));
}
