import type { Actor } from '../accounts/role.ts';
import { authorsForArticle, listAuthors, type Author } from '../authors/author.ts';
import { commentingState } from '../comments/comment-policy.ts';
import type { ServiceDeps } from '../deps.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { findImagesByIds, type Image } from '../media/image.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import { findTagsByIds, tagsForArticle } from '../tags/tag.ts';
import { findPendingChange, withPendingChange } from '../articles/article-pending-change.ts';
import { articlePath, type Article } from '../articles/article.ts';
import { canOpenStory } from './article-editor.ts';
import { listPublicNotes } from '../articles/article-notes.ts';
import type { ArticlePage } from '../published/article-page.ts';
import { RELATED_ON_PAGE } from '../published/article-page.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { listRelatedTeasers } from '../published/article-teasers.ts';

/**
 * The public page read model of any story the actor may open, whatever its status, so the
 * newsroom preview renders through the same `articleView` as the public page and looks
 * exactly like it will (a draft simply has no publication time or related stories yet).
 * `Required<…>`: a field added to the page read model, even an optional one, must be filled
 * here too, or the preview would quietly differ from the public page.
 */
export async function getArticlePreview(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  options: { commentsCloseAfterDays?: number; pending?: boolean } = {},
): Promise<Required<ArticlePage>> {
  const db = deps.db;
  const stored = await findArticleById(db, id);
  if (!stored) throw new NotFoundError('There is no story with that id.');
  if (!canOpenStory(actor, stored)) throw new ForbiddenError('This story belongs to someone else; ask an editor.');
  return previewPageFor(deps, stored, options);
}

/** The page read model of `stored`, access already settled (the desk's policy, or a sharable preview link). */
export async function previewPageFor(
  deps: ServiceDeps,
  stored: Article,
  options: { commentsCloseAfterDays?: number; pending?: boolean } = {},
): Promise<Required<ArticlePage>> {
  const db = deps.db;
  const id = stored.id;
  // The story as its pending change would leave it, when asked for and there is one.
  const change = options.pending ? await findPendingChange(db, id) : null;
  const article = change ? withPendingChange(stored, change) : stored;
  const imageIds = article.body.blocks.flatMap((b) => (b.type === 'figure' ? [b.imageId] : []));
  const nowIso = deps.clock().toISOString();
  const [section, authors, tags, images, hero, related, notes, counts] = await Promise.all([
    sectionDirectory(db).byId(article.sectionId),
    change ? authorsByIds(db, article.authorIds) : authorsForArticle(db, id),
    change ? findTagsByIds(db, article.tagIds) : tagsForArticle(db, id),
    imageIds.length ? findImagesByIds(db, imageIds) : new Map<string, Image>(),
    article.heroImageId ? findImagesByIds(db, [article.heroImageId]) : new Map<string, Image>(),
    listRelatedTeasers(db, id, RELATED_ON_PAGE, nowIso),
    listPublicNotes(db, id),
    db.selectFrom('articles').select('comment_count').where('id', '=', id).executeTakeFirst(),
  ]);
  if (!section) throw new NotFoundError("The story's section no longer exists.");
  return {
    article,
    path: articlePath(section.slug, article.slug),
    section: { slug: section.slug, name: section.name },
    authors,
    tags,
    hero: article.heroImageId ? (hero.get(article.heroImageId) ?? null) : null,
    images,
    related,
    notes,
    // As the public page shows them: the published count and whether the story takes comments now.
    comments: {
      count: Number(counts?.comment_count ?? 0),
      state: commentingState(article, deps.clock(), options.commentsCloseAfterDays ?? 0),
    },
  };
}

/** Bylines by id in the given order (a pending change's, which are not stored as rows). */
async function authorsByIds(db: ServiceDeps['db'], ids: readonly string[]): Promise<Author[]> {
  const all = new Map((await listAuthors(db)).map((a) => [a.id, a]));
  return ids.flatMap((id) => all.get(id) ?? []);
}
