import crypto from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { ServiceDeps } from '../deps.ts';
import {
  deleteExpiredSessions,
  deleteOwnerSessions,
  deleteSession,
  insertSession,
  touchSession,
  type SessionTableName,
} from './session-repository.ts';

/*
 * Sign-in sessions, one mechanism for every audience (newsroom users, readers). The browser
 * holds a random 32-byte token; the database holds only its SHA-256, so a copy of a sessions
 * table cannot be turned into working cookies. A session expires `ttlMs` after its last use
 * (sliding), renewed at most every `renewAfterMs` so a request does not always write. The
 * forms' CSRF token is derived from the session token: nothing extra to store, and only the
 * holder of the cookie can compute it.
 */

/** Who a kind of session belongs to, and its rules. */
export interface SessionAudience<Owner extends object> {
  table: SessionTableName;
  ttlMs: number;
  /** Sliding renewal writes at most this often per session, not on every request. */
  renewAfterMs: number;
  /** Mixed into the CSRF derivation, so one audience's token is never another's. */
  csrfPurpose: string;
  /** The session's times and its owner, in one query (it runs on every signed-in request). */
  find(db: Db, id: string): Promise<StoredSession<Owner> | undefined>;
  /** False when the owner may no longer use any session (a disabled account); the row stays. */
  isActive?(owner: Owner): boolean;
}

export interface StoredSession<Owner> {
  expiresAt: string;
  lastSeenAt: string;
  owner: Owner;
}

/** A live session: its owner's fields plus the session's own. */
export type LiveSession<Owner extends object> = Owner & {
  /** Hex SHA-256 of the token (the row's id). */
  sessionId: string;
  /** Per-session CSRF token for forms. */
  csrfToken: string;
  expiresAt: Date;
  /** True when this request extended the expiry (the cookie should be re-sent). */
  renewed: boolean;
};

type SessionDeps = Pick<ServiceDeps, 'db' | 'clock'>;

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** The row id of a well-formed token, or null for anything else (no query is worth making). */
export function sessionIdOf(token: string | undefined): string | null {
  return token && TOKEN_RE.test(token) ? crypto.createHash('sha256').update(token).digest('hex') : null;
}

export function csrfTokenFor(audience: Pick<SessionAudience<object>, 'csrfPurpose'>, sessionToken: string): string {
  return crypto.createHash('sha256').update(`${audience.csrfPurpose}\0${sessionToken}`).digest('base64url');
}

/** Starts a session; the returned token goes into the cookie and nowhere else. */
export async function startSession(
  deps: SessionDeps,
  audience: SessionAudience<object>,
  ownerId: string,
  meta: { userAgent?: string; ip?: string } = {},
): Promise<{ token: string; sessionId: string; csrfToken: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const sessionId = sessionIdOf(token)!;
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + audience.ttlMs);
  await insertSession(deps.db, audience.table, {
    id: sessionId,
    ownerId,
    created_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    last_seen_at: now.toISOString(),
    user_agent: (meta.userAgent ?? '').slice(0, 512),
    ip: (meta.ip ?? '').slice(0, 64),
  });
  return { token, sessionId, csrfToken: csrfTokenFor(audience, token), expiresAt };
}

/** The live session of a cookie token, or null (unknown, expired, or its owner is inactive). */
export async function resumeSession<Owner extends object>(
  deps: SessionDeps,
  audience: SessionAudience<Owner>,
  token: string | undefined,
): Promise<LiveSession<Owner> | null> {
  const id = sessionIdOf(token);
  if (!id) return null;
  const found = await audience.find(deps.db, id);
  if (!found) return null;
  const now = deps.clock();
  if (found.expiresAt <= now.toISOString()) {
    await deleteSession(deps.db, audience.table, id);
    return null;
  }
  if (audience.isActive && !audience.isActive(found.owner)) return null;
  let expiresAt = new Date(found.expiresAt);
  let renewed = false;
  if (now.getTime() - new Date(found.lastSeenAt).getTime() >= audience.renewAfterMs) {
    expiresAt = new Date(now.getTime() + audience.ttlMs);
    await touchSession(deps.db, audience.table, id, now.toISOString(), expiresAt.toISOString());
    renewed = true;
  }
  return { ...found.owner, sessionId: id, csrfToken: csrfTokenFor(audience, token!), expiresAt, renewed };
}

/** Deletes the session of this token (sign-out); false when there was none. */
export async function revokeSession(db: Db, audience: SessionAudience<object>, token: string): Promise<boolean> {
  const id = sessionIdOf(token);
  return id !== null && (await deleteSession(db, audience.table, id)) > 0;
}

/** Ends every session of one owner, except optionally one (the one changing the password). */
export async function revokeOwnerSessions(
  db: Db,
  audience: SessionAudience<object>,
  ownerId: string,
  exceptSessionId?: string,
): Promise<number> {
  return deleteOwnerSessions(db, audience.table, ownerId, exceptSessionId);
}

/**
 * Deletes the audience's expired sessions. Resuming one deletes it too, but a session nobody
 * comes back to would otherwise stay in the table for ever.
 */
export async function sweepExpiredSessions(deps: SessionDeps, audience: SessionAudience<object>): Promise<number> {
  return deleteExpiredSessions(deps.db, audience.table, deps.clock().toISOString());
}
