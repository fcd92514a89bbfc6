import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

/** Seconds a Content API answer may be reused without asking again. */
export const CONTENT_MAX_AGE = 60;

function etagFor(body: string): string {
  return `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function matches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  // Weak comparison (RFC 9110 §13.1.2): a proxy may have weakened our tag.
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

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
  const inm = req.headers['if-none-match'];
  if (typeof inm === 'string' && inm && matches(inm, etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}
