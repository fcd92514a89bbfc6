import crypto from 'node:crypto';
import type { ServiceDeps } from '../deps.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { deleteSession, deleteUserSessions, findSessionWithUser, insertSession, touchSession } from './session-repository.ts';
import { rowToUser, type User } from './user.ts';

/*
 * Sessions: the browser holds a random 32-byte token; the database holds only its SHA-256,
 * so a copy of the sessions table cannot be turned into working cookies. Sessions expire
 * 14 days after the last use (sliding), and stop working as soon as the user is disabled.
 */

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
/** Sliding renewal writes at most this often per session, not on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 5 * 60 * 1000;

type AccountDeps = Pick<ServiceDeps, 'db' | 'clock'>;

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export interface ActiveSession {
  user: User;
  /** Hex SHA-256 of the token (the sessions.id). */
  sessionId: string;
  /** Per-session CSRF token for forms. */
  csrfToken: string;
  expiresAt: Date;
  /** True when this request extended the expiry (the cookie should be re-sent). */
  renewed: boolean;
}

export function hashSessionToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * The CSRF token of a session, derived from its secret token: nothing extra to store, and
 * only a holder of the session cookie can compute it.
 */
export function csrfTokenFor(sessionToken: string): string {
  return crypto.createHash('sha256').update(`masthead-csrf\0${sessionToken}`).digest('base64url');
}

/** Starts a session; the returned token goes into the cookie and nowhere else. */
export async function createSession(
  deps: AccountDeps,
  input: { userId: string; userAgent?: string; ip?: string },
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const sessionId = hashSessionToken(token);
  await insertSession(deps.db, {
    id: sessionId,
    user_id: input.userId,
    created_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    last_seen_at: now.toISOString(),
    user_agent: (input.userAgent ?? '').slice(0, 512),
    ip: (input.ip ?? '').slice(0, 64),
  });
  return { token, sessionId, expiresAt };
}

/** The live session for a cookie token, or null (unknown, expired, or the user is disabled). */
export async function resolveSession(deps: AccountDeps, token: string | undefined): Promise<ActiveSession | null> {
  if (!token || !TOKEN_RE.test(token)) return null;
  const id = hashSessionToken(token);
  const row = await findSessionWithUser(deps.db, id);
  if (!row) return null;
  const now = deps.clock();
  if (row.expires_at <= now.toISOString()) {
    await deleteSession(deps.db, id);
    return null;
  }
  if (row.user.disabled === 1) return null;
  let expiresAt = new Date(row.expires_at);
  let renewed = false;
  if (now.getTime() - new Date(row.last_seen_at).getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await touchSession(deps.db, id, now.toISOString(), expiresAt.toISOString());
    renewed = true;
  }
  return { user: rowToUser(row.user), sessionId: id, csrfToken: csrfTokenFor(token), expiresAt, renewed };
}

/** Ends the session of this token (logout); a no-op for an unknown token. */
export async function endSession(deps: AccountDeps, token: string, meta: { ip?: string } = {}): Promise<void> {
  if (!TOKEN_RE.test(token)) return;
  const id = hashSessionToken(token);
  const row = await findSessionWithUser(deps.db, id);
  if (!row) return;
  await deps.db.transaction().execute(async (trx) => {
    await deleteSession(trx, id);
    await recordAudit(trx, { at: deps.clock(), actorUserId: row.user_id, action: 'auth.logout', subjectType: 'user', subjectId: row.user_id, details: { ip: meta.ip ?? '' } });
  });
}

/** Ends every session of a user, except optionally one. */
export async function endUserSessions(deps: AccountDeps, userId: string, exceptSessionId?: string): Promise<number> {
  return deleteUserSessions(deps.db, userId, exceptSessionId);
}
