import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { cookieOptions, type SessionCookie } from './session-cookie.ts';

/*
 * Whether a state-changing request really comes from one of our own pages, for every area
 * people sign in to (the newsroom, reader comments): its Origin (or Referer) is this site,
 * and it carries the CSRF token the page was given, compared in constant time. Which token
 * is expected (a session's, or a pre-sign-in cookie's) is the caller's business.
 */

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** Form fields as strings (a repeated field keeps its first value; files are not accepted). */
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

/**
 * True when both secrets are present and equal. The time taken does not depend on where they
 * differ, so a token cannot be guessed byte by byte from response times.
 */
export function secretsEqual(sent: string | undefined, expected: string | undefined): boolean {
  if (!sent || !expected) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Origin (or, without it, Referer) names this site; neither present is allowed (old browsers). */
export function comesFromOurSite(req: FastifyRequest, siteUrl: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) return sameSite(origin, req, siteUrl);
  return req.headers.referer === undefined || sameSite(req.headers.referer, req, siteUrl);
}

function sameSite(value: string, req: FastifyRequest, siteUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.origin === new URL(siteUrl).origin) return true;
  // Direct access (e.g. http://127.0.0.1:3000 before a public URL is set): the browser
  // names the host it sent the request to, which a cross-site page cannot choose.
  return url.host === req.headers.host;
}

/**
 * The token a request carries: forms send it as a hidden field; fetch() from our pages sends
 * it as a header (JSON and multipart bodies have no form field to read before parsing).
 */
export function sentCsrfToken(req: FastifyRequest): string {
  const body = req.body as Record<string, unknown> | undefined;
  const header = req.headers[CSRF_HEADER];
  return typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : typeof header === 'string' ? header : '';
}

/** True when a state-changing request came from one of our own pages with the `expected` token. */
export function isTrustedPost(req: FastifyRequest, siteUrl: string, expected: string | undefined): boolean {
  return comesFromOurSite(req, siteUrl) && secretsEqual(sentCsrfToken(req), expected);
}

/**
 * `value` when it is a path on this site that `allowed` accepts, for a `next` redirect after
 * a form: never another host (`//evil`), and at most 500 characters.
 */
export function safeRedirectPath(value: unknown, allowed: RegExp): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  return allowed.test(value) && !value.includes('//') ? value : undefined;
}

/**
 * The CSRF token of the forms shown before sign-in (a double-submit cookie, `formName`),
 * created when missing. A new token is also put on this request, so a check later in the
 * same request sees it.
 */
export function preSessionCsrfToken(req: FastifyRequest, reply: FastifyReply, config: Config, cookie: SessionCookie): string {
  const existing = req.cookies[cookie.formName];
  if (existing && TOKEN_RE.test(existing)) return existing;
  const token = crypto.randomBytes(32).toString('base64url');
  reply.setCookie(cookie.formName, token, cookieOptions(config, cookie));
  req.cookies[cookie.formName] = token;
  return token;
}
