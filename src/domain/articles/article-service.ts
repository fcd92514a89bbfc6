import { z } from 'zod';
import { withTransaction } from '../../db/transaction.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../accounts/role.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { documentText } from '../documents/document-text.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { toSlug } from '../slug.ts';
import { articlePath, type Article, type ArticleStatus } from './article.ts';
import { assertCan } from './article-policy.ts';
import { extractKeywords, rankRelated } from './article-related.ts';
import {
  addRedirect,
  deleteRedirect,
  findArticleById,
  findArticlesRelatedTo,
  findRelatedCandidates,
  insertArticle,
  isSlugTaken,
  replaceRelated,
  updateArticleRow,
} from './article-repository.ts';
import { recordRevision } from './article-revisions.ts';
import { articleInputSchema, type ArticleInput } from './article-schemas.ts';
import { enqueueArticleEvent } from '../webhooks/webhook-article-events.ts';

/** Who is saving (omitted for imports and seeding) and, for restores, under which action to record it. */
export interface SaveOptions {
  actor?: Actor | null;
  /** Forces a revision snapshot under this action even for unpublished stories (e.g. `restore`). */
  recordAs?: string;
  /** With `recordAs` and an actor: also written to the audit log as `article.<recordAs>` with these facts. */
  auditDetails?: Record<string, unknown>;
}

/**
 * The publication invariant every public read relies on: a published story's publishedAt
 * never precedes its embargo, so `published_at <= now` alone keeps embargoed stories hidden.
 */
function assertEmbargoRespected(a: Pick<Article, 'status' | 'publishedAt' | 'embargoUntil' | 'scheduledAt'>): void {
  if (a.embargoUntil === null) return;
  if (a.status === 'published' && a.publishedAt !== null && a.publishedAt < a.embargoUntil) {
    throw new ValidationError(`embargoUntil: the story is published from ${a.publishedAt}, before the embargo (${a.embargoUntil}); unpublish it first.`, [
      { path: 'embargoUntil', message: 'embargo ends after the publication time' },
    ]);
  }
  if (a.status === 'scheduled' && a.scheduledAt !== null && a.scheduledAt < a.embargoUntil) {
    throw new ValidationError(`embargoUntil: the story is scheduled for ${a.scheduledAt}, before the embargo (${a.embargoUntil}); reschedule it first.`, [
      { path: 'embargoUntil', message: 'embargo ends after the scheduled time' },
    ]);
  }
}

const CREATABLE: readonly ArticleStatus[] = ['draft', 'in_review', 'published'];

/** Turns zod issues into one ValidationError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

async function sectionSlugOf(db: Db, sectionId: string): Promise<string> {
  const row = await db.selectFrom('sections').select('slug').where('id', '=', sectionId).executeTakeFirst();
  if (!row) throw new ValidationError(`sectionId: no section with id ${sectionId}`, [{ path: 'sectionId', message: 'unknown section' }]);
  return row.slug;
}

async function uniqueSlug(db: Db, sectionId: string, wanted: string, exceptId?: string): Promise<string> {
  let slug = wanted;
  for (let n = 2; await isSlugTaken(db, sectionId, slug, exceptId); n++) slug = `${wanted.slice(0, 110)}-${n}`;
  return slug;
}

function keywordsOf(a: Pick<Article, 'headline' | 'standfirst' | 'bodyText'>) {
  return extractKeywords(a);
}

/**
 * Creates an article (draft, in review or published) with its bylines and tags. Scheduling
 * is a workflow step after creation. With an actor, the story is theirs and their role must
 * allow the initial status.
 */
export async function createArticle(deps: ServiceDeps, input: ArticleInput, options: SaveOptions = {}): Promise<Article> {
  const data = parseInput(articleInputSchema, input);
  const now = deps.clock().toISOString();
  const status = data.status ?? 'draft';
  if (!CREATABLE.includes(status)) {
    throw new ValidationError(`status: a story is created as ${CREATABLE.join(', ')}; schedule or unpublish it afterwards`, [
      { path: 'status', message: 'not a starting status' },
    ]);
  }
  const actor = options.actor ?? null;
  if (actor) {
    const asOwn = { status: 'draft' as const, createdBy: actor.userId };
    assertCan(actor, 'edit', asOwn);
    if (status !== 'draft') assertCan(actor, status === 'published' ? 'publish' : 'submit', asOwn);
  }
  const article = await withTransaction(deps.db, async (trx) => {
    await sectionSlugOf(trx, data.sectionId);
    const id = newId();
    const article: Article = {
      id,
      slug: await uniqueSlug(trx, data.sectionId, data.slug ?? toSlug(data.headline)),
      sectionId: data.sectionId,
      headline: data.headline,
      standfirst: data.standfirst,
      body: data.body,
      bodyText: documentText(data.body),
      heroImageId: data.heroImageId,
      language: data.language,
      translationGroupId: data.translationGroupId ?? id,
      status,
      commentsPolicy: data.commentsPolicy,
      seoTitle: data.seoTitle,
      seoDescription: data.seoDescription,
      publishedAt: status === 'published' ? (data.publishedAt ?? now) : (data.publishedAt ?? null),
      updatedAt: data.updatedAt ?? null,
      embargoUntil: data.embargoUntil ?? null,
      scheduledAt: null,
      createdBy: actor?.userId ?? null,
      createdAt: now,
      modifiedAt: now,
      revision: 1,
      authorIds: [...new Set(data.authorIds)],
      tagIds: [...new Set(data.tagIds)],
    };
    assertEmbargoRespected(article);
    await insertArticle(trx, article, keywordsOf(article));
    await recordRevision(trx, article, 'create', actor, now);
    if (article.status === 'published') await enqueueArticleEvent(trx, 'article.published', article, { createdAt: now, siteUrl: deps.siteUrl });
    return article;
  });
  if (article.status === 'published') await refreshRelatedAround(deps, article.id);
  return article;
}

/**
 * Replaces an article's content. `expectedRevision` guards against lost updates. A new
 * section or slug leaves a 301 redirect from the old path. Saves of published stories are
 * kept as revisions. With an actor, their role must allow editing, and status changes must
 * go through the workflow actions instead.
 */
export async function updateArticle(
  deps: ServiceDeps,
  id: string,
  input: ArticleInput,
  expectedRevision: number,
  options: SaveOptions = {},
): Promise<Article> {
  const data = parseInput(articleInputSchema, input);
  const now = deps.clock().toISOString();
  const actor = options.actor ?? null;
  const updated = await withTransaction(deps.db, async (trx) => {
    const current = await findArticleById(trx, id);
    if (!current) throw new NotFoundError('That article does not exist.');
    if (current.revision !== expectedRevision) {
      throw new ConflictError(`This story was changed by someone else (now revision ${current.revision}, you edited revision ${expectedRevision}).`);
    }
    if (actor) assertCan(actor, 'edit', current);
    const status = data.status ?? current.status;
    if (status !== current.status && (actor || status === 'scheduled' || current.status === 'scheduled')) {
      throw new ValidationError(`status: change a story from ${current.status} to ${status} with a workflow action, not a save`, [
        { path: 'status', message: 'use a workflow action' },
      ]);
    }
    const newSectionSlug = await sectionSlugOf(trx, data.sectionId);
    const oldSectionSlug = await sectionSlugOf(trx, current.sectionId);
    const slug = await uniqueSlug(trx, data.sectionId, data.slug ?? current.slug, id);
    const next: Article = {
      ...current,
      slug,
      sectionId: data.sectionId,
      headline: data.headline,
      standfirst: data.standfirst,
      body: data.body,
      bodyText: documentText(data.body),
      heroImageId: data.heroImageId,
      language: data.language,
      translationGroupId: data.translationGroupId ?? current.translationGroupId,
      status,
      commentsPolicy: data.commentsPolicy,
      seoTitle: data.seoTitle,
      seoDescription: data.seoDescription,
      publishedAt: data.publishedAt !== undefined ? data.publishedAt : current.publishedAt ?? (status === 'published' ? now : null),
      updatedAt: data.updatedAt !== undefined ? data.updatedAt : current.status === 'published' ? now : current.updatedAt,
      embargoUntil: data.embargoUntil !== undefined ? data.embargoUntil : current.embargoUntil,
      modifiedAt: now,
      revision: current.revision + 1,
      authorIds: [...new Set(data.authorIds)],
      tagIds: [...new Set(data.tagIds)],
    };
    assertEmbargoRespected(next);
    if (!(await updateArticleRow(trx, next, keywordsOf(next), expectedRevision))) {
      throw new ConflictError('This story was changed by someone else while you were saving. Reload to see both versions.');
    }
    if (options.recordAs || current.status === 'published' || next.status === 'published') {
      await recordRevision(trx, next, options.recordAs ?? 'save', actor, now);
    }
    if (options.recordAs && actor) {
      await recordAudit(trx, {
        at: new Date(now),
        actorUserId: actor.userId,
        action: `article.${options.recordAs}`,
        subjectType: 'article',
        subjectId: id,
        details: { ...options.auditDetails, revision: next.revision },
      });
    }
    const oldPath = articlePath(oldSectionSlug, current.slug);
    const newPath = articlePath(newSectionSlug, slug);
    if (oldPath !== newPath) {
      // Only an address readers may have seen is kept; a draft's autosaves leave none behind.
      if (current.publishedAt !== null) await addRedirect(trx, oldPath, id, now);
      // If this article reclaims a path it once left, that path must serve it, not redirect.
      await deleteRedirect(trx, newPath);
    }
    // Outbox: receivers hear of the change only if this transaction commits.
    if (current.status === 'published' && next.status === 'published') await enqueueArticleEvent(trx, 'article.updated', next, { createdAt: now, siteUrl: deps.siteUrl });
    return next;
  });
  await refreshRelatedAround(deps, id);
  return updated;
}

/** Recomputes the stored "You might also like" list of one article. */
export async function refreshRelated(deps: ServiceDeps, articleId: string, limit = 6): Promise<string[]> {
  const article = await findArticleById(deps.db, articleId);
  if (!article || article.status !== 'published' || !article.publishedAt) {
    if (article) await replaceRelated(deps.db, articleId, []);
    return [];
  }
  const nowIso = deps.clock().toISOString();
  const candidates = await findRelatedCandidates(deps.db, article, nowIso);
  const tagFrequency = new Map<string, number>();
  for (const c of candidates) for (const t of c.tagIds) tagFrequency.set(t, (tagFrequency.get(t) ?? 0) + 1);
  const ranked = rankRelated(
    { id: article.id, sectionId: article.sectionId, tagIds: article.tagIds, keywords: keywordsOf(article), publishedAt: article.publishedAt },
    candidates,
    { limit, tagFrequency },
  );
  await replaceRelated(deps.db, articleId, ranked);
  return ranked.map((r) => r.id);
}

/**
 * After an article changes, its own list and the lists of its neighbours (stories it is
 * now related to, and stories that pointed at it) are recomputed, so no list keeps a dead
 * or stale entry.
 */
export async function refreshRelatedAround(deps: ServiceDeps, articleId: string): Promise<void> {
  const own = await refreshRelated(deps, articleId);
  const pointing = await findArticlesRelatedTo(deps.db, articleId);
  for (const id of new Set([...own, ...pointing])) if (id !== articleId) await refreshRelated(deps, id);
}
