import crypto from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../accounts/role.ts';

/**
 * An API token as the newsroom lists it. The secret itself exists only in the response
 * that created it; the database keeps its SHA-256 and a short hint.
 */
export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  /** The first characters of the secret, e.g. `mh_AbCd…`. */
  hint: string;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** Recognisable prefix, so leaked tokens are easy to spot in logs and secret scanners. */
export const TOKEN_PREFIX = 'mh_';
const SECRET_RE = /^mh_[A-Za-z0-9_-]{43}$/;
const HINT_LENGTH = TOKEN_PREFIX.length + 6;

export const createApiTokenInputSchema = z.strictObject({
  name: z
    .string({ error: 'Give the token a name.' })
    .trim()
    .min(1, 'Give the token a name.')
    .max(100, 'Name must be at most 100 characters long.'),
  role: z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(', ')}.` }),
  /** Optional end of validity; null or omitted: valid until revoked. */
  expiresAt: z.iso
    .datetime({ offset: true, error: 'Expiry must be a date and time such as 2027-01-31T00:00:00Z.' })
    .transform((v) => new Date(v).toISOString())
    .nullable()
    .optional(),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInputSchema>;

/** A fresh secret: `mh_` + 32 random bytes in base64url. */
export function generateTokenSecret(): string {
  return `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
}

export function hashTokenSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

export function tokenHint(secret: string): string {
  return secret.slice(0, HINT_LENGTH);
}

/** True for strings shaped like our secrets (checked before any database lookup). */
export function looksLikeTokenSecret(value: string): boolean {
  return SECRET_RE.test(value);
}

/** Whether the token can be used at `now`. */
export function isTokenActive(token: Pick<ApiToken, 'revokedAt' | 'expiresAt'>, now: Date): boolean {
  return token.revokedAt === null && (token.expiresAt === null || token.expiresAt > now.toISOString());
}
