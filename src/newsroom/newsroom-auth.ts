import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { roleAtLeast } from '../domain/accounts/access.ts';
import type { Actor, Role } from '../domain/accounts/role.ts';
import type { ActiveSession } from '../domain/accounts/user-sessions.ts';
import { SESSION_TTL_MS } from '../domain/accounts/user-sessions.ts';
import {
  comesFromOurSite,
  CSRF_HEADER,
  isTrustedPost,
  preSessionCsrfToken,
  safeRedirectPath,
  secretsEqual,
} from '../http/form-security.ts';
import type { SessionCookie } from '../http/session-cookie.ts';

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

/** The newsroom's cookies are sent to `/newsroom` only, never with public page requests. */
export const NEWSROOM_COOKIE: SessionCookie = {
  name: 'masthead_session',
  formName: 'masthead_login_csrf',
  path: '/newsroom',
  ttlMs: SESSION_TTL_MS,
};

/** The signed-in actor; only call behind a non-public access guard. */
export function actorOf(req: FastifyRequest): Actor & { sessionId: string } {
  const s = req.newsroomSession;
  if (!s) throw new Error('actorOf called on a request without a session');
  return { userId: s.user.id, role: s.user.role, sessionId: s.sessionId };
}

/** The pre-login CSRF token (double-submit cookie), created when missing. */
export function loginCsrfToken(req: FastifyRequest, reply: FastifyReply, config: Config): string {
  return preSessionCsrfToken(req, reply, config, NEWSROOM_COOKIE);
}

/** Only newsroom paths, never another host (`//evil`) or a backslash trick. */
export function safeNext(value: unknown): string | undefined {
  return safeRedirectPath(value, /^\/newsroom(\/[A-Za-z0-9\-._~/%?=&]*)?$/);
}

export type AccessOutcome = { kind: 'ok' } | { kind: 'login'; location: string } | { kind: 'forbidden' };

/** Decides what the access guard does with this request. */
export function checkAccess(req: FastifyRequest, access: Access): AccessOutcome {
  if (access === 'public') return { kind: 'ok' };
  const session = req.newsroomSession;
  if (!session) {
    const next = req.method === 'GET' ? safeNext(req.url) : undefined;
    return {
      kind: 'login',
      location: next && next !== '/newsroom' ? `/newsroom/login?next=${encodeURIComponent(next)}` : '/newsroom/login',
    };
  }
  return roleAtLeast(session.user.role, access) ? { kind: 'ok' } : { kind: 'forbidden' };
}

/**
 * True when a state-changing request came from one of our own forms: its Origin (or
 * Referer) is this site, and its hidden token matches the session's (or, for the login
 * form, the pre-login cookie's).
 */
export function isTrustedFormPost(req: FastifyRequest, config: Config): boolean {
  const mode = req.routeOptions.config.csrf ?? 'session';
  return isTrustedPost(req, config.siteUrl, mode === 'login' ? req.cookies[NEWSROOM_COOKIE.formName] : req.newsroomSession?.csrfToken);
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
    comesFromOurSite(req, config.siteUrl)
  );
}

/** True when the request's header, or else `field` (the first multipart field), carries the session's token. */
export function verifyMultipartCsrf(req: FastifyRequest, field: string | undefined): boolean {
  const header = req.headers[CSRF_HEADER];
  const sent = typeof header === 'string' ? header : (field ?? '');
  return secretsEqual(sent, req.newsroomSession?.csrfToken);
}
