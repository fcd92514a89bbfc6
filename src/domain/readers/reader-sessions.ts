import type { ServiceDeps } from '../deps.ts';
import { resumeSession, revokeSession, startSession, type LiveSession, type SessionAudience } from '../sessions/session-service.ts';
import type { Reader } from './reader.ts';
import { findReaderSession } from './reader-repository.ts';

/*
 * Reader sessions: the shared session mechanism (sessions/session-service.ts) for comment
 * readers, 30 days after the last use. A banned reader keeps their session (they may still
 * read their account page); the comment service refuses what they may not do.
 */

export const READER_SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

export const READER_SESSIONS: SessionAudience<{ reader: Reader; banned: boolean }> = {
  table: 'reader_sessions',
  ttlMs: READER_SESSION_TTL_MS,
  renewAfterMs: 5 * 60 * 1000,
  csrfPurpose: 'masthead-reader-csrf',
  find: findReaderSession,
};

export type ReaderSession = LiveSession<{ reader: Reader; banned: boolean }>;

type SessionDeps = Pick<ServiceDeps, 'db' | 'clock'>;

/** Starts a session; the token goes into the cookie and nowhere else. */
export async function createReaderSession(deps: SessionDeps, readerId: string, meta: { ip?: string; userAgent?: string } = {}) {
  return startSession(deps, READER_SESSIONS, readerId, meta);
}

/** The live session of a cookie token, or null. */
export async function resolveReaderSession(deps: SessionDeps, token: string | undefined): Promise<ReaderSession | null> {
  return resumeSession(deps, READER_SESSIONS, token);
}

export async function endReaderSession(deps: SessionDeps, token: string): Promise<void> {
  await revokeSession(deps.db, READER_SESSIONS, token);
}
