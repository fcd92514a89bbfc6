import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

/*
 * The browser's side of a session, for every area people sign in to: the cookie holds the
 * random token (never readable by scripts), and is kept in step with the database's session
 * on every request that reads it.
 */

/** Where one kind of session lives in the browser (the newsroom's, a reader's). */
export interface SessionCookie {
  /** The cookie holding the session token. */
  name: string;
  /** The cookie holding the CSRF token of forms shown before sign-in. */
  formName: string;
  /** Only requests under this path carry the cookies. */
  path: string;
  /** The session's lifetime, sent as the cookie's Max-Age. */
  ttlMs: number;
}

/** HttpOnly, SameSite=Lax (cross-site POSTs carry no cookie), Secure as configured. */
export function cookieOptions(config: Config, cookie: Pick<SessionCookie, 'path'>) {
  return { path: cookie.path, httpOnly: true, sameSite: 'lax' as const, secure: config.sessionCookieSecure };
}

export function setSessionCookie(reply: FastifyReply, config: Config, cookie: SessionCookie, token: string): void {
  reply.setCookie(cookie.name, token, { ...cookieOptions(config, cookie), maxAge: Math.floor(cookie.ttlMs / 1000) });
}

export function clearSessionCookie(reply: FastifyReply, config: Config, cookie: SessionCookie): void {
  reply.clearCookie(cookie.name, cookieOptions(config, cookie));
}

/**
 * The session of the request's cookie (null without one), resolved by `resolve`. A cookie
 * whose session is gone is cleared; one whose session was renewed is sent again with the
 * new Max-Age.
 */
export async function readSessionCookie<S extends { renewed: boolean }>(
  req: FastifyRequest,
  reply: FastifyReply,
  config: Config,
  cookie: SessionCookie,
  resolve: (token: string) => Promise<S | null>,
): Promise<S | null> {
  const token = req.cookies[cookie.name];
  if (token === undefined) return null;
  const session = await resolve(token);
  if (!session) clearSessionCookie(reply, config, cookie);
  else if (session.renewed) setSessionCookie(reply, config, cookie, token);
  return session;
}
