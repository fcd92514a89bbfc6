import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** A strong validator for a response body (text, or the bytes of a file). */
export function etagFor(body: string | Buffer): string {
  return `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  // Weak comparison (RFC 9110 §13.1.2): a proxy may have weakened our tag.
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

/**
 * True when the client's copy is current (answer 304). If-None-Match wins over
 * If-Modified-Since (RFC 9110 §13.2.2): only the ETag notices a story dropping out of a feed.
 */
export function isNotModified(req: FastifyRequest, etag: string, lastModified: Date | null): boolean {
  const inm = req.headers['if-none-match'];
  if (typeof inm === 'string' && inm) return etagMatches(inm, etag);
  const ims = req.headers['if-modified-since'];
  if (typeof ims !== 'string' || !lastModified) return false;
  const since = Date.parse(ims);
  // HTTP dates have whole seconds.
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}
