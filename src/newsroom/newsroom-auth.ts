import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { roleAtLeast } from '../domain/accounts/access.ts';
import type { Actor, Role } from '../domain/accounts/role.ts';
import type { ActiveSession } from '../domain/accounts/session-service.ts';
import { SESSION_TTL_MS } from '../domain/accounts/session-service.ts';

/*
 * Who may call a newsroom route, and whether a state-changing request really comes from our
 * own form. Every newsroom route must declare `config.access` (checked when routes are
 * added), and one preHandler enforces it, so a forgotten guard fails at start-up.
 */

/** `public` (the login page) or the least powerful role allowed. */
export type Access = 'public' | Role;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * Which CSRF token the form carries: the session's (default) or the pre-login one.
     * `multipart-field`: a file upload whose session token may come as the first multipart
     * field instead of the header; the handler must verify it (`verifyMultipartCsrf`) before
     * reading any file, because the stream is not parsed before the handler runs.
     */
    csrf?: 'session' | 'login' | 'multipart-field';
  }
  interface FastifyRequest {
    newsroomSession: ActiveSession | null;
  }
}

export const SESSION_COOKIE = 'masthead_session';
export const LOGIN_CSRF_COOKIE = 'masthead_login_csrf';
export const FLASH_COOKIE = 'masthead_flash';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface CookieOptions {
  path: string;
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
}

export function cookieOptions(config: Config): CookieOptions {
  return { path: '/newsroom', httpOnly: true, sameSite: 'lax', secure: config.sessionCookieSecure };
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(config), maxAge: Math.floor(SESSION_TTL_MS / 1000) });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
}

/** The signed-in actor; only call behind a non-public access guard. */
export function actorOf(req: FastifyRequest): Actor & { sessionId: string } {
  const s = req.newsroomSession;
  if (!s) throw new Error('actorOf called on a request without a session');
  return { userId: s.user.id, role: s.user.role, sessionId: s.sessionId };
}

/** The pre-login CSRF token (double-submit cookie), created when missing. */
export function loginCsrfToken(req: FastifyRequest, reply: FastifyReply, config: Config): string {
  const existing = req.cookies[LOGIN_CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = crypto.randomBytes(32).toString('base64url');
  reply.setCookie(LOGIN_CSRF_COOKIE, token, cookieOptions(config));
  return token;
}

/** Only newsroom paths, never another host (`//evil`) or a backslash trick. */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\/newsroom(\/[A-Za-z0-9\-._~/%?=&]*)?$/.test(value) && !value.includes('//') ? value : undefined;
}

export type AccessOutcome = { kind: 'ok' } | { kind: 'login'; location: string } | { kind: 'forbidden' };

/** Decides what the access guard does with this request. */
export function checkAccess(req: FastifyRequest, access: Access): AccessOutcome {
  if (access === 'public') return { kind: 'ok' };
  const session = req.newsroomSession;
  if (!session) {
    const next = req.method === 'GET' ? safeNext(req.url) : undefined;
    return { kind: 'login', location: next && next !== '/newsroom' ? `/newsroom/login?next=${encodeURIComponent(next)}` : '/newsroom/login' };
  }
  return roleAtLeast(session.user.role, access) ? { kind: 'ok' } : { kind: 'forbidden' };
}

function sameOrigin(value: string, req: FastifyRequest, config: Config): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.origin === new URL(config.siteUrl).origin) return true;
  // Direct access (e.g. http://127.0.0.1:3000 before a public URL is set): the browser
  // names the host it sent the request to, which a cross-site page cannot choose.
  return url.host === req.headers.host;
}

/**
 * True when a state-changing request came from one of our own forms: its Origin (or
 * Referer) is this site, and its hidden token matches the session's (or, for the login
 * form, the pre-login cookie's).
 */
export function isTrustedFormPost(req: FastifyRequest, config: Config): boolean {
  if (!comesFromOurSite(req, config)) return false;
  // Forms send the token as a hidden field; fetch() from our pages sends it as a header
  // (JSON and multipart bodies have no form field to read before parsing).
  const body = req.body as Record<string, unknown> | undefined;
  const header = req.headers[CSRF_HEADER];
  const sent = typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : typeof header === 'string' ? header : '';
  const mode = req.routeOptions.config.csrf ?? 'session';
  const expected = mode === 'login' ? req.cookies[LOGIN_CSRF_COOKIE] : req.newsroomSession?.csrfToken;
  return tokensEqual(sent, expected);
}

function tokensEqual(sent: string, expected: string | undefined): boolean {
  if (!expected || !sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Origin (or, without it, Referer) names this site; neither present is allowed (old browsers). */
function comesFromOurSite(req: FastifyRequest, config: Config): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) return sameOrigin(origin, req, config);
  return req.headers.referer === undefined || sameOrigin(req.headers.referer, req, config);
}

/**
 * A plain-HTML file upload (no JavaScript, so no header) on a route declared
 * `csrf: 'multipart-field'`: the token is the first field of the multipart stream, which
 * only the handler reads. The access guard lets it through only from our own origin and
 * without an `x-csrf-token` header (a wrong header is refused outright); the handler then
 * calls {@link verifyMultipartCsrf} before it reads any file.
 */
export function mayDeferCsrfToMultipartField(req: FastifyRequest, config: Config): boolean {
  return (
    req.routeOptions.config.csrf === 'multipart-field' &&
    req.headers[CSRF_HEADER] === undefined &&
    /^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? '') &&
    comesFromOurSite(req, config)
  );
}

/** True when the request's header, or else `field` (the first multipart field), carries the session's token. */
export function verifyMultipartCsrf(req: FastifyRequest, field: string | undefined): boolean {
  const header = req.headers[CSRF_HEADER];
  const sent = typeof header === 'string' ? header : (field ?? '');
  return tokensEqual(sent, req.newsroomSession?.csrfToken);
}
