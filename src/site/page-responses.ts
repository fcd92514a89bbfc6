import { NO_STORE, publicCacheControl } from '../http/cache-policy.ts';
import type { SafeHtml } from '../http/html.ts';
import { utf8Body, type RenderedResponse } from '../http/page-cache.ts';
import { redirectTags } from './page-tags.ts';

/* The site's public answers as the public cache takes them (http/public-cache.ts). */

/** A public HTML page as the cache stores it; a 404 is never kept (see notFoundResponse). */
export function htmlResponse(page: SafeHtml, tags: readonly string[], policy: 'page' | 'thread' = 'page'): RenderedResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': publicCacheControl(policy) },
    // A Buffer is encoded once; a string would be measured for Content-Length, then encoded again.
    body: utf8Body(page.value),
    tags,
  };
}

/**
 * 404s are not cached, here or at the CDN: a URL starts to exist through writes that name no
 * tag a 404 could carry (a story published at a new path, a new section, tag or author), and
 * a missing page costs one indexed lookup. So a story published after its URL 404'd shows at once.
 */
export function notFoundResponse(page: SafeHtml): RenderedResponse {
  return {
    status: 404,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_STORE },
    body: utf8Body(page.value),
    tags: [],
  };
}

/**
 * Old paths' 301s are cached, tagged with the story they lead to: every change that could
 * move or remove the target (slug or section change, unpublish, delete) purges that tag.
 * Without the story's id (never, when asked for) the redirect is sent but not kept.
 */
export function redirectResponse(location: string, articleId: string | undefined): RenderedResponse {
  return {
    status: 301,
    headers: {
      location,
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': articleId ? publicCacheControl('page') : NO_STORE,
    },
    body: Buffer.alloc(0),
    tags: articleId ? redirectTags(articleId) : [],
  };
}
