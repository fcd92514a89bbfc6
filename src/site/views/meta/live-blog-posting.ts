import type { LiveCoverage } from '../../../domain/articles/article.ts';
import { documentText } from '../../../domain/documents/document-text.ts';
import type { LiveEntriesPage } from '../../../domain/live/live-entries-read.ts';
import { entryPermalink } from '../../../domain/live/live-entry.ts';
import { entrySummary } from '../live-blog-view.ts';
import { publisherNode, type JsonLd, type SiteIdentity } from './json-ld.ts';
import { authorUrl } from './news-article.ts';

/*
 * schema.org LiveBlogPosting for a live blog (Google's live badge reads coverageStartTime,
 * coverageEndTime and the liveBlogUpdate BlogPostings), placed beside the story's NewsArticle.
 * It lists the entries this page shows, so a search engine reading the head of the blog sees
 * the latest updates.
 */
export function liveBlogPostingNode(
  site: SiteIdentity,
  story: { path: string; headline: string; description: string; publishedAt: string; language: string },
  live: LiveCoverage,
  entries: LiveEntriesPage,
): JsonLd {
  const url = `${site.origin}${story.path}`;
  const updates = entries.entries.map((e) => ({
    '@type': 'BlogPosting',
    '@id': `${site.origin}${entryPermalink(story.path, e.id)}`,
    url: `${site.origin}${entryPermalink(story.path, e.id)}`,
    headline: entrySummary(e),
    articleBody: documentText(e.body),
    datePublished: e.publishedAt,
    dateModified: e.modifiedAt,
    ...(e.authors.length
      ? { author: e.authors.map((a) => ({ '@type': 'Person', name: a.name, url: authorUrl(site.origin, a.slug) })) }
      : { author: { '@type': 'NewsMediaOrganization', name: site.name, url: `${site.origin}/` } }),
  }));
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    '@id': `${url}#live`,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    headline: story.headline,
    ...(story.description ? { description: story.description } : {}),
    datePublished: story.publishedAt,
    dateModified: entries.entries.reduce((latest, e) => (e.modifiedAt > latest ? e.modifiedAt : latest), story.publishedAt),
    inLanguage: story.language,
    coverageStartTime: live.startAt,
    ...(live.endAt ? { coverageEndTime: live.endAt } : {}),
    publisher: publisherNode(site),
    liveBlogUpdate: updates,
  };
}
