import {
  authorTag,
  CHROME_TAG,
  relatedTag,
  SITE_LISTS_TAG,
  sectionTag,
  storyTag,
  tagTag,
  translationsTag,
} from '../domain/changes/cache-tags.ts';
import type { ArticlePage } from '../domain/published/article-page.ts';
import type { HomeFront, TeaserPage } from '../domain/published/front-service.ts';

/*
 * The cache tags of each public page (vocabulary: domain/changes/cache-tags.ts): every story
 * it shows, every list it is built from, and `chrome` on every HTML page (the section
 * navigation). A change event naming any of them drops the page here and at the CDN.
 */

const unique = (tags: string[]) => [...new Set(tags)];

export function homeTags(front: HomeFront): string[] {
  const teasers = [...(front.lead ? [front.lead] : []), ...front.latest, ...front.sections.flatMap((b) => b.items)];
  return unique([CHROME_TAG, SITE_LISTS_TAG, ...teasers.map((t) => storyTag(t.id))]);
}

/** A section, tag or author front: the list's own tag and each teaser. */
export function listTags(list: { kind: 'section' | 'tag' | 'author'; id: string }, page: TeaserPage): string[] {
  const own = list.kind === 'section' ? sectionTag(list.id) : list.kind === 'tag' ? tagTag(list.id) : authorTag(list.id);
  return unique([CHROME_TAG, own, ...page.items.map((t) => storyTag(t.id))]);
}

/** The article, its related box, and each related story it shows (their headlines and pictures are on the page). */
export function articleTags(page: ArticlePage): string[] {
  return unique([
    CHROME_TAG,
    storyTag(page.article.id),
    relatedTag(page.article.id),
    translationsTag(page.article.translationGroupId),
    ...page.related.map((t) => storyTag(t.id)),
  ]);
}

/**
 * An old path's redirect: the story it leads to (a slug or section change, an unpublish) and
 * `chrome`, which a section's rename purges (it changes where the redirect must point).
 */
export function redirectTags(articleId: string): string[] {
  return [CHROME_TAG, storyTag(articleId)];
}
