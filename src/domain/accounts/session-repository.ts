import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SessionTable, UserTable } from '../../db/schema.ts';

export async function insertSession(db: Db, row: SessionTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session and its user's columns in one query. */
export async function findSessionWithUser(db: Db, id: string): Promise<(SessionTable & { user: Omit<Selectable<UserTable>, 'password_hash'> }) | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as id',
      'sessions.user_id as user_id',
      'sessions.created_at as created_at',
      'sessions.expires_at as expires_at',
      'sessions.last_seen_at as last_seen_at',
      'sessions.user_agent as user_agent',
      'sessions.ip as ip',
      'users.email as u_email',
      'users.name as u_name',
      'users.role as u_role',
      'users.disabled as u_disabled',
      'users.created_at as u_created_at',
      'users.updated_at as u_updated_at',
      'users.last_login_at as u_last_login_at',
      'users.must_change_password as u_must_change_password',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    user_id: row.user_id,
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_seen_at: row.last_seen_at,
    user_agent: row.user_agent,
    ip: row.ip,
    user: {
      id: row.user_id,
      email: row.u_email,
      name: row.u_name,
      role: row.u_role,
      disabled: Number(row.u_disabled) === 1 ? 1 : 0,
      created_at: row.u_created_at,
      updated_at: row.u_updated_at,
      last_login_at: row.u_last_login_at,
      must_change_password: Number(row.u_must_change_password) === 1 ? 1 : 0,
    },
  };
}

export async function touchSession(db: Db, id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes a user's sessions, optionally keeping one (the one changing the password). */
export async function deleteUserSessions(db: Db, userId: string, exceptId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: Db, nowIso: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<=', nowIso).executeTakeFirst();
  return Number(r.numDeletedRows);
}
