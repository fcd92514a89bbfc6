import type { Db } from '../../db/database.ts';
import type { ApiTokenTable } from '../../db/schema.ts';
import { isRole } from '../accounts/role.ts';
import type { ApiToken } from './api-token.ts';

type TokenRow = ApiTokenTable & { creator_name: string };

function rowToApiToken(row: Omit<TokenRow, 'token_hash'>): ApiToken {
  if (!isRole(row.role)) throw new Error(`API token ${row.id} has an unknown role "${row.role}"`);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    hint: row.token_hint,
    createdBy: row.created_by,
    createdByName: row.creator_name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

function selectTokens(db: Db) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.created_by')
    .select([
      't.id',
      't.name',
      't.role',
      't.token_hint',
      't.created_by',
      't.created_at',
      't.last_used_at',
      't.expires_at',
      't.revoked_at',
      'u.name as creator_name',
    ]);
}

export async function insertApiToken(db: Db, row: ApiTokenTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function listApiTokenRows(db: Db): Promise<ApiToken[]> {
  return (await selectTokens(db).orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').execute()).map(rowToApiToken);
}

export async function findApiTokenById(db: Db, id: string): Promise<ApiToken | undefined> {
  const row = await selectTokens(db).where('t.id', '=', id).executeTakeFirst();
  return row && rowToApiToken(row);
}

/** The token with this secret hash, with its creator's current role and status. */
export async function findApiTokenByHash(
  db: Db,
  hash: string,
): Promise<{ token: ApiToken; creatorRole: string; creatorDisabled: boolean } | undefined> {
  const row = await selectTokens(db)
    .select(['u.role as creator_role', 'u.disabled as creator_disabled'])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
  return row && { token: rowToApiToken(row), creatorRole: row.creator_role, creatorDisabled: Number(row.creator_disabled) === 1 };
}

/** Sets revoked_at unless already revoked; returns whether this call revoked it. */
export async function markApiTokenRevoked(db: Db, id: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: nowIso })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function touchApiToken(db: Db, id: string, nowIso: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: nowIso }).where('id', '=', id).execute();
}
