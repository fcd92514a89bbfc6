import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { UserTable } from '../../db/schema.ts';
import type { StoredSession } from '../sessions/session-service.ts';
import { rowToUser, type User } from './user.ts';

const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'disabled',
  'created_at',
  'updated_at',
  'last_login_at',
  'must_change_password',
] as const;

export async function insertUser(db: Db, row: Insertable<UserTable>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && rowToUser(row);
}

/** The user and their hash, for authentication only. `email` must already be lower-cased. */
export async function findCredentialsByEmail(db: Db, email: string): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  return row && { user: rowToUser(row), passwordHash: row.password_hash };
}

export async function findPasswordHash(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash;
}

export async function isEmailTaken(db: Db, email: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
}

export async function updateUser(db: Db, id: string, changes: Omit<Updateable<UserTable>, 'id' | 'created_at'>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function listAllUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('users').select(USER_COLUMNS).orderBy('name').orderBy('email').execute();
  return rows.map(rowToUser);
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Enabled administrators other than `userId`, counted after a no-op write that locks the
 * admin rows (PostgreSQL row locks; SQLite writes are serial anyway), so two admins
 * demoting or disabling each other at once cannot both see "one other admin left".
 * Call inside the transaction that makes the change.
 */
export async function lockAndCountOtherEnabledAdmins(trx: Db, userId: string): Promise<number> {
  await trx
    .updateTable('users')
    .set((eb) => ({ role: eb.ref('role') }))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .execute();
  const row = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .where('id', '!=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A newsroom session's times and its user, in one query (it runs on every newsroom request). */
export async function findSessionUser(db: Db, sessionId: string): Promise<StoredSession<{ user: User }> | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.expires_at', 'sessions.last_seen_at', ...USER_COLUMNS.map((c) => `users.${c}` as const)])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
  return row && { expiresAt: row.expires_at, lastSeenAt: row.last_seen_at, owner: { user: rowToUser(row) } };
}
