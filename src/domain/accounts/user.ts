import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { UserTable } from '../../db/schema.ts';
import { ValidationError } from '../errors.ts';
import { isRole, ROLES, type Role } from './role.ts';

/** A newsroom account as the rest of the app sees it (never its password hash). */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  /** Holds an administrator-issued temporary password: must pick their own before anything else. */
  mustChangePassword: boolean;
}

export const MIN_PASSWORD_LENGTH = 12;

export const passwordSchema = z
  .string({ error: 'Enter a password.' })
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`)
  // scrypt reads the whole input; a bound keeps a megabyte "password" from costing more.
  .max(1024, 'Password must be at most 1024 characters long.');

export const emailSchema = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address, such as name@example.com.').max(254, 'Email address is too long.'));

export const createUserInputSchema = z.object({
  email: emailSchema,
  name: z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(120, 'Name must be at most 120 characters long.'),
  role: z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(', ')}.` }),
  password: passwordSchema,
});
export type CreateUserInput = z.input<typeof createUserInputSchema>;

export const changePasswordInputSchema = z.object({
  currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.'),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.input<typeof changePasswordInputSchema>;

/** Parses input; failures become one ValidationError whose message reads as sentences. */
export function parseAccountInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  throw new ValidationError([...new Set(issues.map((i) => i.message))].join(' '), issues);
}

export function rowToUser(row: Omit<Selectable<UserTable>, 'password_hash'>): User {
  if (!isRole(row.role)) throw new Error(`User ${row.id} has an unknown role "${row.role}"`);
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
    mustChangePassword: Number(row.must_change_password) === 1,
  };
}
