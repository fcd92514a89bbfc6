import { createHash, randomBytes } from 'node:crypto';
import { withTransaction } from '../../db/transaction.ts';
import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { findArticleById } from '../articles/article-repository.ts';
import type { Article } from '../articles/article.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { canOpenStory } from './article-editor.ts';

/*
 * Sharable previews: an unguessable, expiring, revocable link that lets someone outside the
 * newsroom (a lawyer, a source) read a draft without an account. Whoever may open the story on
 * the desk (the newsroom preview's own policy) may share it; its creator or an editor revokes.
 * The secret (32 random bytes) is shown once; only its SHA-256 is stored, so neither the table
 * nor a backup opens anything. Creating and revoking are audited; opens are counted on the row.
 */

/** The lifetimes offered, in hours: a bounded set so no link lives for months. */
export const PREVIEW_EXPIRY_HOURS = [1, 24, 168] as const;
export const DEFAULT_PREVIEW_EXPIRY_HOURS = 24;

export interface PreviewLink {
  id: string;
  articleId: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  openCount: number;
  lastOpenedAt: string | null;
}

export const hashPreviewSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** What a secret looks like (43 base64url characters); anything else is not looked up at all. */
export const isPreviewSecretShape = (secret: string) => /^[A-Za-z0-9_-]{43}$/.test(secret);

async function storyToShare(deps: ServiceDeps, actor: Actor, articleId: string): Promise<Article> {
  const article = await findArticleById(deps.db, articleId);
  if (!article) throw new NotFoundError('There is no story with that id.');
  if (!canOpenStory(actor, article)) throw new ForbiddenError('This story belongs to someone else; ask an editor.');
  return article;
}

function expiryHoursFrom(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_PREVIEW_EXPIRY_HOURS;
  const n = Number(raw);
  if (!(PREVIEW_EXPIRY_HOURS as readonly number[]).includes(n)) {
    throw new ValidationError('Choose how long the link works: 1 hour, 24 hours or 7 days.', [
      { path: 'expiresInHours', message: 'one of 1, 24, 168' },
    ]);
  }
  return n;
}

/** Creates a link; returns it with its secret, which is never shown again. */
export async function createPreviewLink(
  deps: ServiceDeps,
  actor: Actor,
  articleId: string,
  input: { expiresInHours?: unknown },
): Promise<{ link: PreviewLink; secret: string }> {
  const hours = expiryHoursFrom(input.expiresInHours);
  await storyToShare(deps, actor, articleId);
  const secret = randomBytes(32).toString('base64url');
  const now = deps.clock();
  const link: PreviewLink = {
    id: newId(),
    articleId,
    createdBy: actor.userId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + hours * 3_600_000).toISOString(),
    openCount: 0,
    lastOpenedAt: null,
  };
  await withTransaction(deps.db, async (trx) => {
    await trx
      .insertInto('preview_links')
      .values({
        id: link.id,
        article_id: articleId,
        token_hash: hashPreviewSecret(secret),
        created_by: actor.userId,
        created_at: link.createdAt,
        expires_at: link.expiresAt,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'article.preview_link_created',
      subjectType: 'article',
      subjectId: articleId,
      details: { linkId: link.id, expiresAt: link.expiresAt },
    });
  });
  return { link, secret };
}

/** The story's links that still work, soonest to expire first. */
export async function listActivePreviewLinks(deps: ServiceDeps, actor: Actor, articleId: string): Promise<PreviewLink[]> {
  await storyToShare(deps, actor, articleId);
  const rows = await deps.db
    .selectFrom('preview_links')
    .select(['id', 'article_id', 'created_by', 'created_at', 'expires_at', 'open_count', 'last_opened_at'])
    .where('article_id', '=', articleId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', deps.clock().toISOString())
    .orderBy('expires_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    articleId: r.article_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    openCount: Number(r.open_count),
    lastOpenedAt: r.last_opened_at,
  }));
}

/** Revokes a link at once: its creator or an editor may. Revoking twice is a no-op. */
export async function revokePreviewLink(deps: ServiceDeps, actor: Actor, articleId: string, linkId: string): Promise<void> {
  await storyToShare(deps, actor, articleId);
  const row = await deps.db.selectFrom('preview_links').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!row || row.article_id !== articleId) throw new NotFoundError('There is no such preview link on this story.');
  if (!roleAtLeast(actor.role, 'editor') && row.created_by !== actor.userId) {
    throw new ForbiddenError('Only whoever shared this link or an editor may revoke it.');
  }
  if (row.revoked_at !== null) return;
  const now = deps.clock();
  await withTransaction(deps.db, async (trx) => {
    await trx
      .updateTable('preview_links')
      .set({ revoked_at: now.toISOString(), revoked_by: actor.userId })
      .where('id', '=', linkId)
      .where('revoked_at', 'is', null)
      .execute();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'article.preview_link_revoked',
      subjectType: 'article',
      subjectId: articleId,
      details: { linkId },
    });
  });
}

/**
 * The story a secret opens, or null when it is unknown, expired or revoked (the caller answers
 * all three the same, so a secret cannot be probed). Counts the open on the row.
 */
export async function resolvePreviewLink(deps: ServiceDeps, secret: string): Promise<Article | null> {
  if (!isPreviewSecretShape(secret)) return null;
  const now = deps.clock().toISOString();
  const row = await deps.db
    .selectFrom('preview_links')
    .select(['id', 'article_id', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', hashPreviewSecret(secret))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.expires_at <= now) return null;
  const article = await findArticleById(deps.db, row.article_id);
  if (!article) return null;
  await deps.db
    .updateTable('preview_links')
    .set((eb) => ({ open_count: eb('open_count', '+', 1), last_opened_at: now }))
    .where('id', '=', row.id)
    .execute();
  return article;
}
