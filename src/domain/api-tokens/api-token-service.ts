import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import { assertRole, roleAtLeast } from '../accounts/access.ts';
import { isRole, type Actor } from '../accounts/role.ts';
import { parseAccountInput } from '../accounts/user.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import {
  createApiTokenInputSchema,
  generateTokenSecret,
  hashTokenSecret,
  isTokenActive,
  looksLikeTokenSecret,
  tokenHint,
  type ApiToken,
  type CreateApiTokenInput,
} from './api-token.ts';
import {
  findApiTokenByHash,
  findApiTokenById,
  insertApiToken,
  listApiTokenRows,
  markApiTokenRevoked,
  touchApiToken,
} from './api-token-repository.ts';

type TokenDeps = Pick<ServiceDeps, 'db' | 'clock'>;

/** `last_used_at` is written at most this often per token, not on every request. */
export const TOKEN_TOUCH_INTERVAL_MS = 60_000;

/**
 * Who is calling the API. The token acts for its creator (`actor.userId`, so "own stories"
 * in article-policy.ts are the creator's) with the token's role, capped by the creator's
 * current role: demoting a person also demotes the tokens they made.
 */
export interface ApiPrincipal {
  tokenId: string;
  tokenName: string;
  actor: Actor;
}

/**
 * Creates a token (administrators only) and returns its secret, which is shown once and
 * never stored. The token's role may not exceed its creator's.
 */
export async function createApiToken(
  deps: TokenDeps,
  actor: Actor,
  input: CreateApiTokenInput,
): Promise<{ token: ApiToken; secret: string }> {
  assertRole(actor, 'admin', 'Only administrators can create API tokens.');
  const data = parseAccountInput(createApiTokenInputSchema, input);
  if (!roleAtLeast(actor.role, data.role)) {
    throw new ValidationError(`A token cannot have more power than you: you are ${actor.role}.`, [
      { path: 'role', message: 'above your role' },
    ]);
  }
  const now = deps.clock();
  if (data.expiresAt && data.expiresAt <= now.toISOString()) {
    throw new ValidationError('The expiry must be in the future.', [{ path: 'expiresAt', message: 'in the past' }]);
  }
  const secret = generateTokenSecret();
  const id = newId();
  await withTransaction(deps.db, async (trx) => {
    await insertApiToken(trx, {
      id,
      name: data.name,
      role: data.role,
      token_hash: hashTokenSecret(secret),
      token_hint: tokenHint(secret),
      created_by: actor.userId,
      created_at: now.toISOString(),
      last_used_at: null,
      expires_at: data.expiresAt ?? null,
      revoked_at: null,
    });
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'api_token.created',
      subjectType: 'api_token',
      subjectId: id,
      details: { name: data.name, role: data.role, expiresAt: data.expiresAt ?? null },
    });
  });
  return { token: (await findApiTokenById(deps.db, id))!, secret };
}

/** Every token, newest first, revoked ones included (administrators only). */
export async function listApiTokens(deps: TokenDeps, actor: Actor): Promise<ApiToken[]> {
  assertRole(actor, 'admin', 'Only administrators can see API tokens.');
  return listApiTokenRows(deps.db);
}

/** Revokes a token at once; revoking a revoked token changes nothing. */
export async function revokeApiToken(deps: TokenDeps, actor: Actor, id: string): Promise<ApiToken> {
  assertRole(actor, 'admin', 'Only administrators can revoke API tokens.');
  const now = deps.clock();
  await withTransaction(deps.db, async (trx) => {
    const token = await findApiTokenById(trx, id);
    if (!token) throw new NotFoundError('There is no such API token.');
    if (await markApiTokenRevoked(trx, id, now.toISOString())) {
      await recordAudit(trx, {
        at: now,
        actorUserId: actor.userId,
        action: 'api_token.revoked',
        subjectType: 'api_token',
        subjectId: id,
        details: { name: token.name },
      });
    }
  });
  return (await findApiTokenById(deps.db, id))!;
}

/**
 * The principal for a bearer secret, or null when the secret is malformed, unknown,
 * revoked, expired, or its creator is disabled.
 */
export async function authenticateApiToken(deps: TokenDeps, secret: string): Promise<ApiPrincipal | null> {
  if (!looksLikeTokenSecret(secret)) return null;
  const found = await findApiTokenByHash(deps.db, hashTokenSecret(secret));
  if (!found || found.creatorDisabled || !isRole(found.creatorRole)) return null;
  const { token } = found;
  const now = deps.clock();
  if (!isTokenActive(token, now)) return null;
  if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) >= TOKEN_TOUCH_INTERVAL_MS) {
    await touchApiToken(deps.db, token.id, now.toISOString());
  }
  const role = roleAtLeast(found.creatorRole, token.role) ? token.role : found.creatorRole;
  return { tokenId: token.id, tokenName: token.name, actor: { userId: token.createdBy, role } };
}

/** What an Admin API write's audit entry says (`api.<action>`, plus the token). */
export interface ApiWriteEntry {
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

/** Audit entry for a write made through the Admin API, naming the token; pass the write's transaction. */
export async function recordApiWrite(trx: Transaction<Database>, at: Date, principal: ApiPrincipal, entry: ApiWriteEntry): Promise<void> {
  await recordAudit(trx, {
    at,
    actorUserId: principal.actor.userId,
    action: `api.${entry.action}`,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    details: { ...entry.details, tokenId: principal.tokenId, tokenName: principal.tokenName, role: principal.actor.role },
  });
}

/**
 * Runs one Admin API write and its audit entry in one transaction: the services `write` calls
 * join it (`withTransaction` on a transaction runs inside it), so a failure anywhere before the
 * commit leaves neither the change nor its entry, and a committed change always has its entry.
 * After-commit work (webhooks, caches) waits for that commit.
 */
export async function auditedApiWrite<T>(
  deps: ServiceDeps,
  principal: ApiPrincipal,
  write: (tx: ServiceDeps) => Promise<T>,
  entry: (result: T) => ApiWriteEntry,
): Promise<T> {
  return withTransaction(deps.db, async (trx) => {
    const result = await write({ ...deps, db: trx });
    await recordApiWrite(trx, deps.clock(), principal, entry(result));
    return result;
  });
}
