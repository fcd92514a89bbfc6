import {
  authorTag,
  CHROME_TAG,
  frontTag,
  relatedTag,
  SITE_LISTS_TAG,
  sectionTag,
  storyTag,
  tagTag,
  translationsTag,
} from '../domain/changes/cache-tags.ts';
import { sectionFrontKey, type FrontKey } from '../domain/fronts/front-arrangement.ts';
import type { ArrangedFront } from '../domain/published/arranged-front.ts';
import type { ArticlePage } from '../domain/published/article-page.ts';
import type { HomeFront, TeaserPage } from '../domain/published/front-service.ts';

/*
 * The cache tags of each public page (vocabulary: domain/changes/cache-tags.ts): every story
 * it shows, every list it is built from, and `chrome` on every HTML page (the section
 * navigation). A change event naming any of them drops the page here and at the CDN.
 */

const unique = (tags: string[]) => [...new Set(tags)];

/**
 * The home front: also its arrangement (`front:home`, `front:home@fr` in the French edition: published, scheduled, taken over) and,
 * under one, every pinned story, shown or not: a pin that becomes visible again (republished,
 * embargo lifted) must bring the page back, though it was not on it.
 */
export function homeTags(front: HomeFront): string[] {
  const teasers = [
    ...(front.lead ? [front.lead] : []),
    ...front.latest,
    ...(front.arranged?.blocks.flatMap((b) => b.items) ?? []),
    ...front.sections.flatMap((b) => b.items),
  ];
  const pinned = front.arranged?.pinnedIds ?? [];
  return unique([CHROME_TAG, SITE_LISTS_TAG, frontTag(front.frontKey), ...teasers.map((t) => storyTag(t.id)), ...pinned.map(storyTag)]);
}

/** A section, tag or author front: the list's own tag and each teaser; a section front also its arrangement (as the home front). */
export function listTags(
  list: { kind: 'section' | 'tag' | 'author'; id: string; frontKey?: FrontKey },
  page: TeaserPage,
  arranged?: ArrangedFront,
): string[] {
  const own = list.kind === 'section' ? sectionTag(list.id) : list.kind === 'tag' ? tagTag(list.id) : authorTag(list.id);
  // A section front's arrangement in the edition read (the default edition's when not given).
  const front = list.kind === 'section' ? [frontTag(list.frontKey ?? sectionFrontKey(list.id))] : [];
  const shown = [...page.items.map((t) => t.id), ...(arranged ? [...arranged.shownIds, ...arranged.pinnedIds] : [])];
  return unique([CHROME_TAG, own, ...front, ...shown.map(storyTag)]);
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
