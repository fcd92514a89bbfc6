import type { Db } from '../../db/database.ts';

/*
 * SQL on the session tables. `sessions` (newsroom users) and `reader_sessions` have the same
 * columns but for the owner's (`user_id`, `reader_id`), so one set of queries serves both.
 */

export type SessionTableName = 'sessions' | 'reader_sessions';

export interface SessionRow {
  /** Hex SHA-256 of the cookie token; the token itself is never stored. */
  id: string;
  ownerId: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  user_agent: string;
  ip: string;
}

export async function insertSession(db: Db, table: SessionTableName, { ownerId, ...row }: SessionRow): Promise<void> {
  if (table === 'sessions')
    await db
      .insertInto('sessions')
      .values({ ...row, user_id: ownerId })
      .execute();
  else
    await db
      .insertInto('reader_sessions')
      .values({ ...row, reader_id: ownerId })
      .execute();
}

export async function touchSession(db: Db, table: SessionTableName, id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
  await db.updateTable(table).set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, table: SessionTableName, id: string): Promise<number> {
  const r = await db.deleteFrom(table).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes an owner's sessions, optionally keeping one (the one changing the password). */
export async function deleteOwnerSessions(db: Db, table: SessionTableName, ownerId: string, exceptId?: string): Promise<number> {
  let q = db.deleteFrom(table).where(table === 'sessions' ? 'user_id' : 'reader_id', '=', ownerId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: Db, table: SessionTableName, nowIso: string): Promise<number> {
  const r = await db.deleteFrom(table).where('expires_at', '<=', nowIso).executeTakeFirst();
  return Number(r.numDeletedRows);
}
