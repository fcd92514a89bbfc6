import type { Author } from '../authors/author.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import type { Image } from '../media/image.ts';
import type { Tag } from '../tags/tag.ts';
import type { ArticleStatus } from '../articles/article.ts';

/**
 * An article as apps and headless front ends read it (the Content API), gathered with
 * its section, bylines, tags and images in a few batched queries. `editorial` is only
 * filled for Admin API reads (drafts and workflow state).
 */
export interface CatalogArticle {
  id: string;
  slug: string;
  /** Public path `/section/slug` (meaningful once published). */
  path: string;
  headline: string;
  standfirst: string;
  language: string;
  translationGroupId: string;
  section: { id: string; slug: string; name: string };
  authors: Author[];
  tags: Tag[];
  hero: Image | null;
  body: ArticleDocument;
  /** Images referenced by figure blocks, by id. */
  images: Map<string, Image>;
  publishedAt: string | null;
  updatedAt: string | null;
  /** Last change of any kind (or when it became visible, if later). */
  changedAt: string;
  seoTitle: string | null;
  seoDescription: string | null;
  editorial?: {
    status: ArticleStatus;
    revision: number;
    scheduledAt: string | null;
    embargoUntil: string | null;
    createdBy: string | null;
    createdAt: string;
    modifiedAt: string;
    commentsPolicy: string;
  };
}
