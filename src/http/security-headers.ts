import type { FastifyInstance, FastifyReply } from 'fastify';
import { mediaPublicOrigin } from '../domain/media/media-url.ts';

// No inline scripts or styles anywhere, so the policy can be strict.
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const BASE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'SAMEORIGIN',
};
const HTML_HEADERS: Readonly<Record<string, string>> = { ...BASE_HEADERS, 'content-security-policy': CSP };

/** With MASTHEAD_MEDIA_PUBLIC_URL, pages load images from that origin too; built once per origin. */
let withMedia: { origin: string; headers: Readonly<Record<string, string>> } | undefined;
function htmlHeaders(): Readonly<Record<string, string>> {
  const origin = mediaPublicOrigin();
  if (!origin) return HTML_HEADERS;
  if (withMedia?.origin !== origin) {
    const csp = CSP.replace("img-src 'self' data:", `img-src 'self' data: ${origin}`);
    withMedia = { origin, headers: { ...BASE_HEADERS, 'content-security-policy': csp } };
  }
  return withMedia.headers;
}

/** The security headers a response of this content type carries (the CSP only matters to HTML). */
export function securityHeaders(contentType: string | undefined): Readonly<Record<string, string>> {
  return contentType?.startsWith('text/html') ? htmlHeaders() : BASE_HEADERS;
}

/** Sets the security headers on one reply. */
export function applySecurityHeaders(reply: FastifyReply): void {
  reply.headers(securityHeaders(String(reply.getHeader('content-type') ?? '')));
}

/** Adds the security headers every routed response carries. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    applySecurityHeaders(reply);
    return payload;
  });
}
