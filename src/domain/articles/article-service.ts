import { z } from 'zod';
import { withTransaction } from '../../db/transaction.ts';
import type { Db } from '../../db/database.ts';
import type { ServiceDeps } from '../deps.ts';
import { documentText } from '../documents/document-text.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { toSlug } from '../slug.ts';
import { articlePath, type Article } from './article.ts';
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
import { articleInputSchema, type ArticleInput } from './article-schemas.ts';

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

/** Creates an article (draft or published) with its bylines and tags. */
export async function createArticle(deps: ServiceDeps, input: ArticleInput): Promise<Article> {
  const data = parseInput(articleInputSchema, input);
  const now = deps.clock().toISOString();
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
      status: data.status,
      commentsPolicy: data.commentsPolicy,
      seoTitle: data.seoTitle,
      seoDescription: data.seoDescription,
      publishedAt: data.status === 'published' ? (data.publishedAt ?? now) : (data.publishedAt ?? null),
      updatedAt: data.updatedAt ?? null,
      createdAt: now,
      modifiedAt: now,
      revision: 1,
      authorIds: [...new Set(data.authorIds)],
      tagIds: [...new Set(data.tagIds)],
    };
    await insertArticle(trx, article, keywordsOf(article));
    return article;
  });
  if (article.status === 'published') await refreshRelatedAround(deps, article.id);
  return article;
}

/**
 * Replaces an article's content. `expectedRevision` guards against lost updates. A new
 * section or slug leaves a 301 redirect from the old path.
 */
export async function updateArticle(deps: ServiceDeps, id: string, input: ArticleInput, expectedRevision: number): Promise<Article> {
  const data = parseInput(articleInputSchema, input);
  const now = deps.clock().toISOString();
  const updated = await withTransaction(deps.db, async (trx) => {
    const current = await findArticleById(trx, id);
    if (!current) throw new NotFoundError('That article does not exist.');
    if (current.revision !== expectedRevision) {
      throw new ConflictError(`This story was changed by someone else (now revision ${current.revision}, you edited revision ${expectedRevision}).`);
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
      status: data.status,
      commentsPolicy: data.commentsPolicy,
      seoTitle: data.seoTitle,
      seoDescription: data.seoDescription,
      publishedAt: data.publishedAt !== undefined ? data.publishedAt : current.publishedAt ?? (data.status === 'published' ? now : null),
      updatedAt: data.updatedAt !== undefined ? data.updatedAt : current.status === 'published' ? now : current.updatedAt,
      modifiedAt: now,
      revision: current.revision + 1,
      authorIds: [...new Set(data.authorIds)],
      tagIds: [...new Set(data.tagIds)],
    };
    if (!(await updateArticleRow(trx, next, keywordsOf(next), expectedRevision))) {
      throw new ConflictError('This story was changed by someone else while you were saving. Reload to see both versions.');
    }
    const oldPath = articlePath(oldSectionSlug, current.slug);
    const newPath = articlePath(newSectionSlug, slug);
    if (oldPath !== newPath) {
      await addRedirect(trx, oldPath, id, now);
      // If this article reclaims a path it once left, that path must serve it, not redirect.
      await deleteRedirect(trx, newPath);
    }
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
