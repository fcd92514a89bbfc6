import type { Author } from '../authors/author.ts';
import { parseAuthors } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { findImagesByIds, rowToImage, type Image } from '../media/image.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import { isSlug } from '../slug.ts';
import { commentingState, type CommentingState } from '../comments/comment-policy.ts';
import { parseTags, type Tag } from '../tags/tag.ts';
import { articlePath, type Article } from '../articles/article.ts';
import { listPublicNotes, type PublicNote } from '../articles/article-notes.ts';
import { findPublishedArticleRow, findRedirectTarget, rowToArticle } from '../articles/article-repository.ts';
import { listRelatedTeasers, type Teaser } from './article-teasers.ts';

/** Everything the public article page shows, gathered in one read. */
export interface ArticlePage {
  article: Article;
  path: string;
  section: { slug: string; name: string };
  authors: Author[];
  tags: Tag[];
  hero: Image | null;
  /** Images referenced by figure blocks, by id. */
  images: Map<string, Image>;
  related: Teaser[];
  /** Public updates and corrections, oldest first. */
  notes: PublicNote[];
  /** Published comments (a column of the article row: no extra query) and whether it takes more. */
  comments?: { count: number; state: CommentingState };
}

export type ArticlePageResult =
  | { kind: 'page'; page: ArticlePage }
  /** `articleId` (asked for with `redirectStory`): the story the old path now leads to, which a page cache tags the redirect with. */
  | { kind: 'redirect'; location: string; articleId?: string }
  | { kind: 'not_found' };

export const RELATED_ON_PAGE = 4;

function figureImageIds(doc: ArticleDocument): string[] {
  const ids: string[] = [];
  for (const block of doc.blocks) if (block.type === 'figure') ids.push(block.imageId);
  return ids;
}

const notesCache = new Map<string, PublicNote[]>();

/**
 * The story's public notes. Every note sets updated_at and bumps the revision (addNote), so
 * a story never updated has none, and notes read once stay right for that revision: the
 * hot page pays for the query once per story revision and process, not per view.
 */
async function notesFor(db: ServiceDeps['db'], row: { id: string; revision: number; updated_at: string | null }): Promise<PublicNote[]> {
  if (row.updated_at === null) return [];
  const key = `${row.id}:${row.revision}`;
  let notes = notesCache.get(key);
  if (notes === undefined) {
    notes = await listPublicNotes(db, row.id);
    if (notesCache.size > 5000) notesCache.clear();
    notesCache.set(key, notes);
  }
  return notes;
}

/** Loads a published article by its public path; old paths answer with a redirect. */
export async function getArticlePage(
  deps: ServiceDeps,
  sectionSlug: string,
  slug: string,
  options: { commentsCloseAfterDays?: number; redirectStory?: boolean } = {},
): Promise<ArticlePageResult> {
  if (!isSlug(sectionSlug) || !isSlug(slug)) return { kind: 'not_found' };
  const db = deps.db;
  const nowIso = deps.clock().toISOString();
  const section = await sectionDirectory(db).bySlug(sectionSlug);
  const [row] = section ? await findPublishedArticleRow(db, section.id, slug, nowIso) : [];
  if (!section || !row) {
    const target = await findRedirectTarget(db, articlePath(sectionSlug, slug), nowIso);
    if (!target) return { kind: 'not_found' };
    const location = articlePath(target.sectionSlug, target.slug);
    return options.redirectStory ? { kind: 'redirect', location, articleId: target.articleId } : { kind: 'redirect', location };
  }
  const body = JSON.parse(row.body) as ArticleDocument;
  const figureIds = figureImageIds(body);
  const authors = parseAuthors(row.authors);
  const tags = parseTags(row.tags);
  const [images, related, notes] = await Promise.all([
    figureIds.length ? findImagesByIds(db, figureIds) : new Map<string, Image>(),
    listRelatedTeasers(db, row.id, RELATED_ON_PAGE, nowIso),
    notesFor(db, row),
  ]);
  const article = rowToArticle(
    row,
    authors.map((a) => a.id),
    tags.map((t) => t.id),
    body,
  );
  const hero =
    row.hero_image_id && row.hero_storage_key
      ? rowToImage({
          id: row.hero_image_id,
          storage_key: row.hero_storage_key,
          mime_type: row.hero_mime_type!,
          width: row.hero_width!,
          height: row.hero_height!,
          rendition_widths: row.hero_rendition_widths!,
          alt_text: row.hero_alt_text!,
          caption: row.hero_caption!,
          credit: row.hero_credit!,
          copyright_notice: row.hero_copyright_notice!,
          creator: row.hero_creator!,
          formats: row.hero_formats,
          crops: row.hero_crops,
          created_at: '',
        })
      : null;
  return {
    kind: 'page',
    page: {
      article,
      path: articlePath(section.slug, row.slug),
      section: { slug: section.slug, name: section.name },
      authors,
      tags,
      hero,
      images,
      related,
      notes,
      comments: { count: Number(row.comment_count), state: commentingState(article, deps.clock(), options.commentsCloseAfterDays ?? 0) },
    },
  };
}
