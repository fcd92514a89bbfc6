import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { etagFor, isNotModified } from '../http/conditional-get.ts';

/** Seconds a Content API answer may be reused without asking again. */
export const CONTENT_MAX_AGE = 60;

/**
 * Sends a Content API read with an ETag, or 304 when the client's copy is current.
 * Public mode allows shared caches (`public`); in token mode the answer is `private`,
 * so a CDN never hands token-only content to someone without a token.
 */
export function sendCacheable(req: FastifyRequest, reply: FastifyReply, config: Config, data: unknown): FastifyReply {
  const body = JSON.stringify(data);
  const etag = etagFor(body);
  reply
    .header('etag', etag)
    .header('cache-control', `${config.contentApi === 'public' ? 'public' : 'private'}, max-age=${CONTENT_MAX_AGE}`)
    .header('vary', 'authorization');
  // Public content may be read by front ends on other origins (no credentials involved).
  if (config.contentApi === 'public') reply.header('access-control-allow-origin', '*');
  if (isNotModified(req, etag, null)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}
