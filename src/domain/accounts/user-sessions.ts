import type { Db } from '../../db/database.ts';
import type { ServiceDeps } from '../deps.ts';
import { recordAudit } from '../audit/audit-log.ts';
import {
  resumeSession,
  revokeOwnerSessions,
  revokeSession,
  sessionIdOf,
  startSession,
  type LiveSession,
  type SessionAudience,
} from '../sessions/session-service.ts';
import { findSessionUser } from './user-repository.ts';
import type { User } from './user.ts';

/*
 * Newsroom sessions: the shared session mechanism (sessions/session-service.ts) for users.
 * They expire 14 days after the last use, and stop working as soon as the user is disabled.
 */

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
/** Sliding renewal writes at most this often per session, not on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export const USER_SESSIONS: SessionAudience<{ user: User }> = {
  table: 'sessions',
  ttlMs: SESSION_TTL_MS,
  renewAfterMs: SESSION_TOUCH_INTERVAL_MS,
  csrfPurpose: 'masthead-csrf',
  find: findSessionUser,
  isActive: ({ user }) => !user.disabled,
};

export type ActiveSession = LiveSession<{ user: User }>;

type AccountDeps = Pick<ServiceDeps, 'db' | 'clock'>;

/** Starts a session; the returned token goes into the cookie and nowhere else. */
export async function createSession(deps: AccountDeps, input: { userId: string; userAgent?: string; ip?: string }) {
  return startSession(deps, USER_SESSIONS, input.userId, input);
}

/** The live session for a cookie token, or null (unknown, expired, or the user is disabled). */
export async function resolveSession(deps: AccountDeps, token: string | undefined): Promise<ActiveSession | null> {
  return resumeSession(deps, USER_SESSIONS, token);
}

/** Ends the session of this token (logout) and audits it; a no-op for an unknown token. */
export async function endSession(deps: AccountDeps, token: string, meta: { ip?: string } = {}): Promise<void> {
  const id = sessionIdOf(token);
  const found = id ? await findSessionUser(deps.db, id) : undefined;
  if (!found) return;
  const userId = found.owner.user.id;
  await deps.db.transaction().execute(async (trx) => {
    await revokeSession(trx, USER_SESSIONS, token);
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: userId,
      action: 'auth.logout',
      subjectType: 'user',
      subjectId: userId,
      details: { ip: meta.ip ?? '' },
    });
  });
}

/** Ends every session of a user, except optionally one; call inside the change's transaction. */
export async function endUserSessions(db: Db, userId: string, exceptSessionId?: string): Promise<number> {
  return revokeOwnerSessions(db, USER_SESSIONS, userId, exceptSessionId);
}
