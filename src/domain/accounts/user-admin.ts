import crypto from 'node:crypto';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { assertRole } from './access.ts';
import { hashPassword } from './password-hash.ts';
import { ROLES, type Actor, type Role } from './role.ts';
import { endUserSessions } from './user-sessions.ts';
import { createUserInputSchema, parseAccountInput, type User } from './user.ts';
import { findUserById, lockAndCountOtherEnabledAdmins, updateUser } from './user-repository.ts';
import { createUser } from './user-service.ts';

/*
 * User administration from the newsroom. The administrator never chooses or learns a
 * permanent password: creating an account or resetting one issues a random temporary
 * password, shown once to hand over, and the account must pick its own at first sign-in.
 */

type AccountDeps = Pick<ServiceDeps, 'db' | 'clock'>;

/** 15 random bytes = 120 bits, 20 base64url characters: long enough, easy to read out. */
export function generateTemporaryPassword(): string {
  return crypto.randomBytes(15).toString('base64url');
}

export const adminCreateUserInputSchema = createUserInputSchema.pick({ email: true, name: true, role: true });
export type AdminCreateUserInput = z.input<typeof adminCreateUserInputSchema>;

/** What the administrator sees once; the password is never stored or logged in clear. */
export interface IssuedPassword {
  user: User;
  temporaryPassword: string;
}

/** An admin creates an account with a temporary password (duplicate email: ConflictError). */
export async function createUserWithTemporaryPassword(
  deps: AccountDeps,
  actor: Actor,
  input: AdminCreateUserInput | Record<string, unknown>,
): Promise<IssuedPassword> {
  assertRole(actor, 'admin', 'Only administrators can create users.');
  const data = parseAccountInput(adminCreateUserInputSchema, input);
  const temporaryPassword = generateTemporaryPassword();
  const user = await createUser(deps, { ...data, password: temporaryPassword }, actor, { mustChangePassword: true });
  return { user, temporaryPassword };
}

const roleSchema = z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(', ')}.` });

/**
 * An admin changes someone else's role. Sessions read the role from the users table on
 * every request, so the change applies from the user's next request. The site never loses
 * its last enabled administrator: checked inside the transaction against the table, not the
 * (possibly stale) actor.
 */
export async function changeUserRole(deps: AccountDeps, actor: Actor, userId: string, role: unknown): Promise<User> {
  assertRole(actor, 'admin', 'Only administrators can change roles.');
  const newRole: Role = parseAccountInput(roleSchema, role);
  if (actor.userId === userId)
    throw new ValidationError('You cannot change your own role; ask another administrator.', [{ path: 'role', message: 'own role' }]);
  const now = deps.clock().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, userId);
    if (!user) throw new NotFoundError('No such user.');
    if (user.role === newRole) return user;
    if (user.role === 'admin' && !user.disabled && (await lockAndCountOtherEnabledAdmins(trx, userId)) === 0) {
      throw new ConflictError(`${user.name} is the last enabled administrator; make someone else an administrator first.`);
    }
    await updateUser(trx, userId, { role: newRole, updated_at: now });
    await recordAudit(trx, {
      at: new Date(now),
      actorUserId: actor.userId,
      action: 'user.role_changed',
      subjectType: 'user',
      subjectId: userId,
      details: { from: user.role, to: newRole },
    });
    return { ...user, role: newRole, updatedAt: now };
  });
}

/**
 * An admin resets someone else's password: a new temporary password, shown once; every
 * session of the account ends and it must choose its own password at the next sign-in.
 */
export async function resetUserPassword(deps: AccountDeps, actor: Actor, userId: string): Promise<IssuedPassword> {
  assertRole(actor, 'admin', 'Only administrators can reset passwords.');
  if (actor.userId === userId) throw new ValidationError('Change your own password on the Password page instead.');
  const user = await findUserById(deps.db, userId);
  if (!user) throw new NotFoundError('No such user.');
  const temporaryPassword = generateTemporaryPassword();
  const hash = await hashPassword(temporaryPassword);
  const now = deps.clock().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, userId, { password_hash: hash, must_change_password: 1, updated_at: now });
    const ended = await endUserSessions(trx, userId);
    await recordAudit(trx, {
      at: new Date(now),
      actorUserId: actor.userId,
      action: 'user.password_reset',
      subjectType: 'user',
      subjectId: userId,
      details: { sessionsEnded: ended },
    });
  });
  return { user: { ...user, mustChangePassword: true, updatedAt: now }, temporaryPassword };
}
