import type { ArticlePage } from '../../../domain/published/article-page.ts';
import { documentText, wordCount } from '../../../domain/documents/document-text.ts';
import type { Image } from '../../../domain/media/image.ts';
import { publisherId, publisherNode, type JsonLd, type SiteIdentity } from './json-ld.ts';
import { cropImages, shareImage, type ShareImage } from './share-image.ts';

/** A published correction to a story: what was wrong and when it was put right (ISO 8601). */
export interface ArticleCorrection {
  text: string;
  date: string;
}

/**
 * What the article view renders: the page read model; `corrections`, when given, replaces
 * the corrections taken from the page's notes (previews and tests use it).
 */
export type ArticlePageView = ArticlePage & { corrections?: readonly ArticleCorrection[] };

/** The story's corrections for its structured data: the given list, else its correction notes. */
export function correctionsOf(page: ArticlePageView): readonly ArticleCorrection[] {
  return page.corrections ?? page.notes.filter((n) => n.kind === 'correction').map((n) => ({ text: n.text, date: n.at }));
}

/** The reader-visible modification time: the editorial update if there was one after publication. */
export function modifiedTime(page: ArticlePage): string | null {
  const { publishedAt, updatedAt } = page.article;
  return updatedAt && publishedAt && updatedAt > publishedAt ? updatedAt : publishedAt;
}

export function authorUrl(origin: string, slug: string): string {
  return `${origin}/authors/${slug}`;
}

const wordCounts = new Map<string, number>();

/**
 * Words in the story. Counting costs more than rendering the rest of the page (a Unicode
 * regex over the whole body), so it is remembered per article revision.
 */
function articleWordCount(a: ArticlePage['article']): number {
  const key = `${a.id}:${a.revision}`;
  let n = wordCounts.get(key);
  if (n === undefined) {
    // The page read model skips the stored body text (a large column), so count from the document.
    n = wordCount(a.bodyText || documentText(a.body));
    if (wordCounts.size > 5000) wordCounts.clear();
    wordCounts.set(key, n);
  }
  return n;
}

/** One ImageObject per crop (1:1, 4:3, 16:9), else the share image alone for an image without crops. */
function imageObjects(origin: string, img: Image): JsonLd[] {
  const crops = cropImages(origin, img);
  return (crops.length ? crops : [shareImage(origin, img)]).map((r) => imageObject(img, r));
}

function imageObject(img: Image, r: ShareImage): JsonLd {
  return {
    '@type': 'ImageObject',
    url: r.url,
    contentUrl: r.url,
    width: r.width,
    height: r.height,
    ...(img.caption ? { caption: img.caption } : {}),
    ...(img.credit || img.creator ? { creditText: img.credit || img.creator } : {}),
    ...(img.copyrightNotice ? { copyrightNotice: img.copyrightNotice } : {}),
    ...(img.creator ? { creator: { '@type': 'Person', name: img.creator } } : {}),
  };
}

/** schema.org NewsArticle for one story, with its publisher; Google's Article rich result reads it. */
export function newsArticleNode(site: SiteIdentity, page: ArticlePageView, description: string): JsonLd {
  const a = page.article;
  const url = `${site.origin}${page.path}`;
  const corrections = correctionsOf(page);
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    headline: a.headline,
    ...(description ? { description } : {}),
    ...(page.hero ? { image: imageObjects(site.origin, page.hero) } : {}),
    datePublished: a.publishedAt,
    dateModified: modifiedTime(page),
    // An unsigned story is the publication's own (Google asks for an author either way).
    author: page.authors.length
      ? page.authors.map((p) => ({
          '@type': 'Person',
          name: p.name,
          url: authorUrl(site.origin, p.slug),
          ...(p.roleTitle ? { jobTitle: p.roleTitle } : {}),
        }))
      : [{ '@type': 'NewsMediaOrganization', '@id': publisherId(site), name: site.name, url: `${site.origin}/` }],
    publisher: publisherNode(site),
    articleSection: page.section.name,
    ...(page.tags.length ? { keywords: page.tags.map((t) => t.name) } : {}),
    inLanguage: a.language,
    isAccessibleForFree: true,
    wordCount: articleWordCount(a),
    ...(corrections.length
      ? { correction: corrections.map((c) => ({ '@type': 'CorrectionComment', text: c.text, datePublished: c.date })) }
      : {}),
  };
}
