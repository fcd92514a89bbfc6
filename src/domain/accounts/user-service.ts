import type { ServiceDeps } from '../deps.ts';
import { recordAudit, recordAuditEvent } from '../audit/audit-log.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { assertRole } from './access.ts';
import { hashPassword, needsRehash, verifyPassword } from './password-hash.ts';
import type { Actor } from './role.ts';
import { endUserSessions } from './user-sessions.ts';
import {
  changePasswordInputSchema,
  createUserInputSchema,
  emailSchema,
  parseAccountInput,
  type ChangePasswordInput,
  type CreateUserInput,
  type User,
} from './user.ts';
import {
  findCredentialsByEmail,
  findPasswordHash,
  findUserById,
  insertUser,
  isEmailTaken,
  listAllUsers,
  lockAndCountOtherEnabledAdmins,
  updateUser,
} from './user-repository.ts';

type AccountDeps = Pick<ServiceDeps, 'db' | 'clock'>;

/** Where a request came from, for the audit log. */
export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

/**
 * Creates an account. `actor` is the admin doing it, or null for the command line and the
 * demo set-up (which act as the system). `mustChangePassword` marks a temporary password
 * (user-admin.ts): the newsroom then insists on a new one at first sign-in.
 */
export async function createUser(
  deps: AccountDeps,
  input: CreateUserInput,
  actor: Actor | null,
  options: { mustChangePassword?: boolean } = {},
): Promise<User> {
  if (actor) assertRole(actor, 'admin', 'Only administrators can create users.');
  const data = parseAccountInput(createUserInputSchema, input);
  const conflict = () => new ConflictError(`A user with the email ${data.email} already exists.`);
  if (await isEmailTaken(deps.db, data.email)) throw conflict();
  const passwordHash = await hashPassword(data.password);
  const now = deps.clock().toISOString();
  const id = newId();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertUser(trx, {
        id,
        email: data.email,
        name: data.name,
        role: data.role,
        password_hash: passwordHash,
        disabled: 0,
        created_at: now,
        updated_at: now,
        last_login_at: null,
        must_change_password: options.mustChangePassword ? 1 : 0,
      });
      // Never the password itself, temporary or not.
      await recordAudit(trx, {
        at: new Date(now),
        actorUserId: actor?.userId ?? null,
        action: 'user.created',
        subjectType: 'user',
        subjectId: id,
        details: { email: data.email, role: data.role, temporaryPassword: options.mustChangePassword === true },
      });
    });
  } catch (err) {
    // Two creations with one email raced past the check: the unique index decides.
    if (await isEmailTaken(deps.db, data.email)) throw conflict();
    throw err;
  }
  return (await findUserById(deps.db, id))!;
}

export type AuthenticationResult = { ok: true; user: User } | { ok: false; reason: 'invalid_credentials' | 'disabled' };

// Unknown emails still cost one scrypt run, so response time does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;

/** Checks an email and password; records the attempt in the audit log either way. */
export async function authenticate(
  deps: AccountDeps,
  input: { email: string; password: string },
  meta: RequestMeta = {},
): Promise<AuthenticationResult> {
  const parsedEmail = emailSchema.safeParse(input.email);
  const email = parsedEmail.success
    ? parsedEmail.data
    : String(input.email ?? '')
        .trim()
        .toLowerCase()
        .slice(0, 254);
  const password = String(input.password ?? '');
  const found = parsedEmail.success ? await findCredentialsByEmail(deps.db, email) : undefined;
  const at = deps.clock();
  const details = { email, ip: meta.ip ?? '', userAgent: (meta.userAgent ?? '').slice(0, 200) };
  if (!found) {
    dummyHash ??= hashPassword('masthead-dummy-password');
    await verifyPassword(password, await dummyHash);
    await recordAuditEvent(deps.db, {
      at,
      actorUserId: null,
      action: 'auth.login_failed',
      subjectType: 'email',
      subjectId: email,
      details: { ...details, reason: 'unknown_email' },
    });
    return { ok: false, reason: 'invalid_credentials' };
  }
  const { user, passwordHash } = found;
  if (!(await verifyPassword(password, passwordHash))) {
    await recordAuditEvent(deps.db, {
      at,
      actorUserId: null,
      action: 'auth.login_failed',
      subjectType: 'user',
      subjectId: user.id,
      details: { ...details, reason: 'wrong_password' },
    });
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (user.disabled) {
    await recordAuditEvent(deps.db, {
      at,
      actorUserId: null,
      action: 'auth.login_failed',
      subjectType: 'user',
      subjectId: user.id,
      details: { ...details, reason: 'disabled' },
    });
    return { ok: false, reason: 'disabled' };
  }
  const changes: { last_login_at: string; password_hash?: string; updated_at?: string } = { last_login_at: at.toISOString() };
  // Parameters were raised since this hash was made: upgrade it while we know the password.
  if (needsRehash(passwordHash)) {
    changes.password_hash = await hashPassword(password);
    changes.updated_at = at.toISOString();
  }
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, changes);
    await recordAudit(trx, {
      at,
      actorUserId: user.id,
      action: 'auth.login',
      subjectType: 'user',
      subjectId: user.id,
      details: { ip: details.ip, userAgent: details.userAgent, rehashed: changes.password_hash !== undefined },
    });
  });
  return { ok: true, user: { ...user, lastLoginAt: changes.last_login_at } };
}

/**
 * Changes the actor's own password after checking the current one. Every other session of
 * the user ends (a stolen session must not survive the change); `keepSessionId` stays.
 */
export async function changePassword(
  deps: AccountDeps,
  actor: Actor,
  input: ChangePasswordInput,
  options: { keepSessionId?: string } = {},
): Promise<void> {
  const data = parseAccountInput(changePasswordInputSchema, input);
  const current = await findPasswordHash(deps.db, actor.userId);
  if (!current) throw new NotFoundError('No such user.');
  if (!(await verifyPassword(data.currentPassword, current))) {
    throw new ValidationError('Your current password is incorrect.', [{ path: 'currentPassword', message: 'incorrect' }]);
  }
  if (data.currentPassword === data.newPassword) {
    throw new ValidationError('The new password must be different from the current one.', [{ path: 'newPassword', message: 'unchanged' }]);
  }
  const hash = await hashPassword(data.newPassword);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, actor.userId, { password_hash: hash, must_change_password: 0, updated_at: now.toISOString() });
    const ended = await endUserSessions(trx, actor.userId, options.keepSessionId);
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'user.password_changed',
      subjectType: 'user',
      subjectId: actor.userId,
      details: { otherSessionsEnded: ended },
    });
  });
}

/** An admin disables or re-enables an account; disabling ends its sessions at once. */
export async function setUserDisabled(deps: AccountDeps, actor: Actor, userId: string, disabled: boolean): Promise<User> {
  assertRole(actor, 'admin', 'Only administrators can disable or enable users.');
  if (disabled && actor.userId === userId) throw new ValidationError('You cannot disable your own account.');
  const user = await findUserById(deps.db, userId);
  if (!user) throw new NotFoundError('No such user.');
  if (user.disabled === disabled) return user;
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    // The site keeps an enabled administrator (two admins disabling each other at once).
    if (disabled && user.role === 'admin' && (await lockAndCountOtherEnabledAdmins(trx, userId)) === 0) {
      throw new ConflictError(`${user.name} is the last enabled administrator; make someone else an administrator first.`);
    }
    await updateUser(trx, userId, { disabled: disabled ? 1 : 0, updated_at: now.toISOString() });
    const ended = disabled ? await endUserSessions(trx, userId) : 0;
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: disabled ? 'user.disabled' : 'user.enabled',
      subjectType: 'user',
      subjectId: userId,
      details: disabled ? { sessionsEnded: ended } : {},
    });
  });
  return { ...user, disabled, updatedAt: now.toISOString() };
}

/** Every account, by name (admins only). */
export async function listUsers(deps: AccountDeps, actor: Actor): Promise<User[]> {
  assertRole(actor, 'admin', 'Only administrators can see the list of users.');
  return listAllUsers(deps.db);
}

export async function getUser(deps: AccountDeps, id: string): Promise<User | undefined> {
  return findUserById(deps.db, id);
}
