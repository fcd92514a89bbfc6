import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { publicCacheControl } from '../http/cache-policy.ts';
import type { PublicCache } from '../http/public-cache.ts';

/** Seconds a Content API answer may be reused without asking again (token mode; public mode: the `api` cache policy). */
export const CONTENT_MAX_AGE = 60;

/** What the Content API routes need to answer a read. */
export interface ContentReads {
  config: Config;
  publicCache: PublicCache;
}

/**
 * Sends a Content API read with an ETag, or 304 when the client's copy is current; public mode
 * goes through the public cache. In public mode the answer is shared-cacheable, tagged with
 * `tags` (the stories and lists it shows); in token mode it is `private`, so neither this
 * node's cache (any request with Authorization bypasses it) nor a CDN hands token-only
 * content to someone without a token.
 */
export function sendCacheable(
  req: FastifyRequest,
  reply: FastifyReply,
  reads: ContentReads,
  load: () => Promise<{ data: unknown; tags: readonly string[] }>,
): Promise<FastifyReply> {
  const isPublic = reads.config.contentApi === 'public';
  return reads.publicCache.serve(req, reply, async () => {
    const { data, tags } = await load();
    return {
      status: 200,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': isPublic ? publicCacheControl('api') : `private, max-age=${CONTENT_MAX_AGE}`,
        vary: 'authorization',
        // Public content may be read by front ends on other origins (no credentials involved).
        ...(isPublic ? { 'access-control-allow-origin': '*' } : {}),
      },
      body: Buffer.from(JSON.stringify(data)),
      tags,
    };
  });
}
