import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { READER_SESSION_TTL_MS, type ReaderSession } from '../../domain/readers/reader-sessions.ts';
import { isTrustedPost, preSessionCsrfToken, safeRedirectPath } from '../../http/form-security.ts';
import type { SessionCookie } from '../../http/session-cookie.ts';

/*
 * Reader sign-in state and CSRF for the comment forms. The reader cookie is separate from the
 * newsroom one (path `/`, HttpOnly, SameSite=Lax); only /comments routes read it, so public
 * pages stay cookie-less in effect and cacheable. State-changing requests need a same-origin
 * Origin/Referer and the token: the session's (signed in) or the pre-session cookie's (sign-in
 * and sign-up forms).
 */

export const READER_COOKIE: SessionCookie = {
  name: 'masthead_reader',
  formName: 'masthead_reader_form',
  path: '/',
  ttlMs: READER_SESSION_TTL_MS,
};

declare module 'fastify' {
  interface FastifyRequest {
    readerSession: ReaderSession | null;
  }
}

/** The pre-session CSRF token (double-submit cookie), created when missing. */
export function formCsrfToken(req: FastifyRequest, reply: FastifyReply, config: Config): string {
  return preSessionCsrfToken(req, reply, config, READER_COOKIE);
}

/** The token a form on this request should carry. */
export function csrfTokenOf(req: FastifyRequest, reply: FastifyReply, config: Config): string {
  return req.readerSession?.csrfToken ?? formCsrfToken(req, reply, config);
}

/** True when a POST came from one of our own pages with the right token. */
export function isTrustedReaderPost(req: FastifyRequest, config: Config, mode: 'session' | 'form'): boolean {
  return isTrustedPost(req, config.siteUrl, mode === 'session' ? req.readerSession?.csrfToken : req.cookies[READER_COOKIE.formName]);
}

/** Only our own comment pages and story comment threads, never another host. */
export function safeReaderNext(value: unknown): string | undefined {
  return safeRedirectPath(
    value,
    /^\/(comments(\/[A-Za-z0-9\-._~/%?=&]*)?|[a-z0-9-]+\/[a-z0-9-]+\/comments(\?[A-Za-z0-9\-._~%=&]*)?)(#[A-Za-z0-9-]+)?$/,
  );
}

/** fetch() from comments.js asks for JSON; plain forms get pages and redirects. */
export function wantsJson(req: FastifyRequest): boolean {
  return String(req.headers.accept ?? '').includes('application/json');
}
