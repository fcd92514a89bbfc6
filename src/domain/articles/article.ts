import type { ArticleDocument } from '../documents/document-schema.ts';

/** Foundation statuses; the newsroom workflow (review, scheduled, unpublished) extends this union. */
export const ARTICLE_STATUSES = ['draft', 'published'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const COMMENTS_POLICIES = ['open', 'moderated', 'closed'] as const;
export type CommentsPolicy = (typeof COMMENTS_POLICIES)[number];

export interface Article {
  id: string;
  slug: string;
  sectionId: string;
  headline: string;
  standfirst: string;
  body: ArticleDocument;
  bodyText: string;
  heroImageId: string | null;
  language: string;
  translationGroupId: string;
  status: ArticleStatus;
  commentsPolicy: CommentsPolicy;
  seoTitle: string | null;
  seoDescription: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  createdAt: string;
  modifiedAt: string;
  revision: number;
  /** Ordered bylines. */
  authorIds: string[];
  tagIds: string[];
}

export function isPublished(article: Pick<Article, 'status' | 'publishedAt'>, now: Date): boolean {
  return article.status === 'published' && article.publishedAt !== null && article.publishedAt <= now.toISOString();
}

/** The public path of an article; stable as long as section and slug are. */
export function articlePath(sectionSlug: string, slug: string): string {
  return `/${sectionSlug}/${slug}`;
}
