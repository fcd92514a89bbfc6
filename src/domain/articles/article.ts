import type { ArticleDocument } from '../documents/document-schema.ts';

/**
 * Editorial statuses; transitions between them live in article-workflow.ts. Only `published`
 * stories are ever shown publicly, and only as article-visibility.ts allows.
 */
export const ARTICLE_STATUSES = ['draft', 'in_review', 'scheduled', 'published', 'unpublished'] as const;
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
  /** Not to be public before this time; a published story always has publishedAt >= embargoUntil. */
  embargoUntil: string | null;
  /** When a `scheduled` story goes live (mirrors its pending scheduled_jobs row); null otherwise. */
  scheduledAt: string | null;
  /** The newsroom user who created the story ("own" in article-policy.ts); null for imports and seeds. */
  createdBy: string | null;
  createdAt: string;
  modifiedAt: string;
  revision: number;
  /**
   * Set when the story is a live blog (domain/live/): when coverage started and (once known)
   * ends. Written only through writeStory, like every other story field.
   */
  live: LiveCoverage | null;
  /** Ordered bylines. */
  authorIds: string[];
  tagIds: string[];
}

/** A live blog's coverage window (ISO-8601 UTC); the end is null while it is open-ended. */
export interface LiveCoverage {
  startAt: string;
  endAt: string | null;
}

/** The public path of an article; stable as long as section and slug are. */
export function articlePath(sectionSlug: string, slug: string): string {
  return `/${sectionSlug}/${slug}`;
}
