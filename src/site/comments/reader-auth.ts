import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { READER_SESSION_TTL_MS, type ReaderSession } from '../../domain/readers/reader-service.ts';

/*
 * Reader sign-in state and CSRF for the comment forms. The reader cookie is separate from the
 * newsroom one (path `/`, HttpOnly, SameSite=Lax); only /comments routes read it, so public
 * pages stay cookie-less in effect and cacheable. State-changing requests need a same-origin
 * Origin/Referer and the token: the session's (signed in) or the pre-session cookie's (sign-in
 * and sign-up forms).
 */

export const READER_COOKIE = 'masthead_reader';
export const READER_FORM_COOKIE = 'masthead_reader_form';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    readerSession: ReaderSession | null;
  }
}

function cookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.sessionCookieSecure };
}

export function setReaderCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(READER_COOKIE, token, { ...cookieOptions(config), maxAge: Math.floor(READER_SESSION_TTL_MS / 1000) });
}

export function clearReaderCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(READER_COOKIE, cookieOptions(config));
}

/** The pre-session CSRF token (double-submit cookie), created when missing. */
export function formCsrfToken(req: FastifyRequest, reply: FastifyReply, config: Config): string {
  const existing = req.cookies[READER_FORM_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = crypto.randomBytes(32).toString('base64url');
  reply.setCookie(READER_FORM_COOKIE, token, cookieOptions(config));
  // Make the new token visible to a check later in this same request.
  req.cookies[READER_FORM_COOKIE] = token;
  return token;
}

/** The token a form on this request should carry. */
export function csrfTokenOf(req: FastifyRequest, reply: FastifyReply, config: Config): string {
  return req.readerSession?.csrfToken ?? formCsrfToken(req, reply, config);
}

function sameOrigin(value: string, req: FastifyRequest, config: Config): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.origin === new URL(config.siteUrl).origin || url.host === req.headers.host;
}

function equalTokens(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** True when a POST came from one of our own pages with the right token. */
export function isTrustedReaderPost(req: FastifyRequest, config: Config, mode: 'session' | 'form'): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (!sameOrigin(origin, req, config)) return false;
  } else if (req.headers.referer !== undefined && !sameOrigin(req.headers.referer, req, config)) {
    return false;
  }
  const body = req.body as Record<string, unknown> | undefined;
  const header = req.headers[CSRF_HEADER];
  const sent = typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : typeof header === 'string' ? header : '';
  const expected = mode === 'session' ? req.readerSession?.csrfToken : req.cookies[READER_FORM_COOKIE];
  return Boolean(expected && sent && equalTokens(sent, expected));
}

/** Only our own comment pages and story comment threads, never another host. */
export function safeReaderNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  if (!/^\/(comments(\/[A-Za-z0-9\-._~/%?=&]*)?|[a-z0-9-]+\/[a-z0-9-]+\/comments(\?[A-Za-z0-9\-._~%=&]*)?)(#[A-Za-z0-9-]+)?$/.test(value)) return undefined;
  return value.includes('//') ? undefined : value;
}

/** Form fields as strings (a repeated field keeps its first value). */
export function formFields(req: FastifyRequest): Record<string, string> {
  const body = req.body;
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const value = Array.isArray(v) ? v[0] : v;
      if (typeof value === 'string') out[k] = value;
    }
  }
  return out;
}

/** fetch() from comments.js asks for JSON; plain forms get pages and redirects. */
export function wantsJson(req: FastifyRequest): boolean {
  return String(req.headers.accept ?? '').includes('application/json');
}
