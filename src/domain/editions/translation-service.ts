import { withTransaction } from '../../db/transaction.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import type { Article } from '../articles/article.ts';
import { assertCan } from '../articles/article-policy.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { createArticle } from '../articles/article-service.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { findImagesByIds } from '../media/image.ts';
import { listEditions, type Edition } from './edition.ts';

/*
 * "Translate": a linked draft of a story in another edition, made through the one story
 * write path in one transaction with the link that remembers what it was made from (so a
 * later update or correction of the source flags it, see translation-drift.ts).
 */

/** The demo (and tests) may give the translated words at once; the newsroom starts from a copy. */
export interface TranslatedContent {
  headline: string;
  standfirst: string;
  body: unknown;
  status?: 'draft' | 'published';
  publishedAt?: string;
  /** A translation recorded after the fact (demo content): when it was written, before its publication. */
  history?: { createdAt: Date; modifiedAt?: Date };
}

/**
 * The body to translate: the source's block structure, with each figure's caption and alt
 * text written into the block (from the image record when the source used its defaults), so
 * the translator translates them in place instead of inheriting the source language's.
 */
async function bodyToTranslate(deps: ServiceDeps, doc: ArticleDocument): Promise<ArticleDocument> {
  const ids = doc.blocks.flatMap((b) => (b.type === 'figure' ? [b.imageId] : []));
  const images = ids.length ? await findImagesByIds(deps.db, ids) : new Map();
  return {
    ...doc,
    blocks: doc.blocks.map((b) => {
      if (b.type !== 'figure') return b;
      const image = images.get(b.imageId);
      return { ...b, caption: b.caption ?? image?.caption ?? '', alt: b.alt ?? image?.altText ?? '' };
    }),
  };
}

function slugIn(edition: Edition, slug: string): string {
  return `${slug.slice(0, 110).replace(/-+$/, '')}-${edition.code.replace(/[^a-z0-9]+/g, '-')}`;
}

/** Creates the translation of `sourceId` into edition `editionId` (a draft unless `content` says otherwise). */
export async function translateStory(
  deps: ServiceDeps,
  actor: Actor | null,
  sourceId: string,
  editionId: string,
  content?: TranslatedContent,
): Promise<Article> {
  const [source, editions] = await Promise.all([findArticleById(deps.db, sourceId), listEditions(deps.db)]);
  if (!source) throw new NotFoundError('That article does not exist.');
  if (actor) assertCan(actor, 'edit', { status: 'draft', createdBy: actor.userId });
  const edition = editions.find((e) => e.id === editionId);
  if (!edition) throw new ValidationError('edition: there is no such edition', [{ path: 'edition', message: 'unknown edition' }]);
  if (edition.language.toLowerCase() === source.language.toLowerCase()) {
    throw new ConflictError(`This story is already in ${edition.name}.`);
  }
  const now = deps.clock();
  return withTransaction(deps.db, async (trx) => {
    const existing = await trx
      .selectFrom('articles')
      .select(['id', 'headline'])
      .where('translation_group_id', '=', source.translationGroupId)
      .where('language', '=', edition.language)
      .executeTakeFirst();
    if (existing) throw new ConflictError(`This story already has a ${edition.name} version: “${existing.headline}”.`);
    const tdeps = { ...deps, db: trx };
    const created = await createArticle(
      tdeps,
      {
        headline: content?.headline ?? source.headline,
        standfirst: content?.standfirst ?? source.standfirst,
        slug: slugIn(edition, source.slug),
        sectionId: source.sectionId,
        authorIds: source.authorIds,
        tagIds: source.tagIds,
        heroImageId: source.heroImageId,
        body: content?.body ?? (await bodyToTranslate(tdeps, source.body)),
        language: edition.language,
        translationGroupId: source.translationGroupId,
        status: content?.status ?? 'draft',
        ...(content?.publishedAt ? { publishedAt: content.publishedAt } : {}),
        commentsPolicy: source.commentsPolicy,
      },
      { actor, ...(content?.history ? { history: content.history } : {}) },
    );
    await trx
      .insertInto('translation_links')
      .values({
        article_id: created.id,
        source_article_id: source.id,
        synced_revision: source.revision,
        synced_at: now.toISOString(),
        synced_headline: source.headline,
        synced_standfirst: source.standfirst,
        synced_body_text: source.bodyText,
        out_of_date_since: null,
      })
      .execute();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor?.userId ?? null,
      action: 'translation.created',
      subjectType: 'article',
      subjectId: created.id,
      details: { sourceId: source.id, sourceRevision: source.revision, edition: edition.code },
    });
    return created;
  });
}

/**
 * An editor confirms a translation is in step with its source as it is now: the link is
 * synced to the source's current revision and words, and the flag is cleared.
 */
export async function confirmTranslation(deps: ServiceDeps, actor: Actor, articleId: string): Promise<void> {
  assertRole(actor, 'editor', 'Only editors and administrators confirm translations.');
  await withTransaction(deps.db, async (trx) => {
    const link = await trx.selectFrom('translation_links').selectAll().where('article_id', '=', articleId).executeTakeFirst();
    if (!link) throw new NotFoundError('This story is not a translation made in Masthead.');
    const source = await findArticleById(trx, link.source_article_id);
    if (!source) throw new NotFoundError('The story this translation was made from no longer exists.');
    const nowIso = deps.clock().toISOString();
    await trx
      .updateTable('translation_links')
      .set({
        synced_revision: source.revision,
        synced_at: nowIso,
        synced_headline: source.headline,
        synced_standfirst: source.standfirst,
        synced_body_text: source.bodyText,
        out_of_date_since: null,
      })
      .where('article_id', '=', articleId)
      .execute();
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'translation.confirmed',
      subjectType: 'article',
      subjectId: articleId,
      details: { sourceId: source.id, fromRevision: link.synced_revision, toRevision: source.revision },
    });
  });
}
