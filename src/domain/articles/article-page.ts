import type { Author } from '../authors/author.ts';
import { authorsForArticles } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { findImagesByIds, type Image } from '../media/image.ts';
import { isSlug } from '../slug.ts';
import { tagsForArticles, type Tag } from '../tags/tag.ts';
import { articlePath, type Article } from './article.ts';
import { findPublishedArticleRow, findRedirectTarget, rowToArticle } from './article-repository.ts';
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
}

export type ArticlePageResult = { kind: 'page'; page: ArticlePage } | { kind: 'redirect'; location: string } | { kind: 'not_found' };

export const RELATED_ON_PAGE = 4;

function figureImageIds(doc: ArticleDocument): string[] {
  const ids: string[] = [];
  for (const block of doc.blocks) if (block.type === 'figure') ids.push(block.imageId);
  return ids;
}

/** Loads a published article by its public path; old paths answer with a redirect. */
export async function getArticlePage(deps: ServiceDeps, sectionSlug: string, slug: string): Promise<ArticlePageResult> {
  if (!isSlug(sectionSlug) || !isSlug(slug)) return { kind: 'not_found' };
  const db = deps.db;
  const nowIso = deps.clock().toISOString();
  const row = await findPublishedArticleRow(db, sectionSlug, slug, nowIso);
  if (!row) {
    const target = await findRedirectTarget(db, articlePath(sectionSlug, slug), nowIso);
    return target ? { kind: 'redirect', location: articlePath(target.sectionSlug, target.slug) } : { kind: 'not_found' };
  }
  const body = JSON.parse(row.body) as ArticleDocument;
  const imageIds = figureImageIds(body);
  if (row.hero_image_id) imageIds.push(row.hero_image_id);
  const [authors, tags, images, related] = await Promise.all([
    authorsForArticles(db, [row.id]),
    tagsForArticles(db, [row.id]),
    findImagesByIds(db, imageIds),
    listRelatedTeasers(db, row.id, RELATED_ON_PAGE, nowIso),
  ]);
  const authorList = authors.get(row.id) ?? [];
  const tagList = tags.get(row.id) ?? [];
  const article = rowToArticle(
    { ...row, body: '{"version":1,"blocks":[]}' },
    authorList.map((a) => a.id),
    tagList.map((t) => t.id),
  );
  article.body = body;
  return {
    kind: 'page',
    page: {
      article,
      path: articlePath(row.section_slug, row.slug),
      section: { slug: row.section_slug, name: row.section_name },
      authors: authorList,
      tags: tagList,
      hero: row.hero_image_id ? (images.get(row.hero_image_id) ?? null) : null,
      images,
      related,
    },
  };
}
