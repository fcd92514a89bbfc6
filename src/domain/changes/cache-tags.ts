import type { StoryChangeListener } from '../deps.ts';
import type { StoryChange } from '../articles/article-change.ts';
import { isVisibleToReaders } from '../articles/article-visibility.ts';
import type { Article } from '../articles/article.ts';
import { publishNow } from './content-change-publish.ts';

/*
 * Cache tags: the one vocabulary shared by the page cache (each stored response carries the
 * tags of what it shows), the change events (each names the tags it touches) and the CDN
 * (`Surrogate-Key` / `xkey` headers). A response is tagged with every story it shows and every
 * list it is built from; a change names the story and the lists it was or is now in, so a purge
 * drops exactly the responses that could have changed.
 */

/** Everything showing this story: its page and thread, teasers on fronts and related boxes, feed and API items. */
export const storyTag = (articleId: string) => `story:${articleId}`;
/**
 * One story's "You might also like" box, which only its page shows: a refresh of the stored
 * list that changes it touches this tag (not `story:`, which would also drop every front
 * showing the story).
 */
export const relatedTag = (articleId: string) => `related:${articleId}`;
/** Lists of a section's stories: its front, feeds, sitemap entries and API lists by section. */
export const sectionTag = (sectionId: string) => `section:${sectionId}`;
/** Lists of a tag's stories. */
export const tagTag = (tagId: string) => `tag:${tagId}`;
/** Lists of an author's stories, and the author page itself. */
export const authorTag = (authorId: string) => `author:${authorId}`;
/** Lists across the whole site: the home front, site feeds, the unfiltered API list. */
export const SITE_LISTS_TAG = 'lists:site';
/** Sitemaps (index, article pages, listings, Google News). */
export const SITEMAPS_TAG = 'sitemaps';
/** The page chrome every HTML page carries (site name, section navigation). */
export const CHROME_TAG = 'chrome';
/**
 * Lists of the sections, tags or authors themselves (the Content API's /v1/sections, /v1/tags,
 * /v1/authors): a section, tag or author created, edited, merged or deleted touches it. Added
 * for the Content API, whose taxonomy lists no story tag or list tag covers.
 */
export const TAXONOMY_TAG = 'taxonomy';
/** A story's translation group: its pages' hreflang links and "other editions" list name every published member. */
export const translationsTag = (groupId: string) => `translations:${groupId}`;
/** One image's own answer (the Content API's /v1/images/:id): a caption or credit edit touches it. */
export const imageTag = (imageId: string) => `image:${imageId}`;

/** The lists a story version appears in (none unless readers can see it at `nowIso`). */
function listTags(article: Article | null, nowIso: string): string[] {
  if (!article || !isVisibleToReaders(article, nowIso)) return [];
  return [
    sectionTag(article.sectionId),
    ...article.tagIds.map(tagTag),
    ...article.authorIds.map(authorTag),
    SITE_LISTS_TAG,
    SITEMAPS_TAG,
    translationsTag(article.translationGroupId),
  ];
}

/**
 * The tags a committed story change touches: the story itself (its page, teasers and items
 * wherever they are) and every list it left or joined, judged at `nowIso` for both versions.
 * A story invisible before and after (a draft saved) touches only its own tag, which no public
 * response carries.
 */
export function storyChangeTags(change: StoryChange, nowIso: string): string[] {
  return [...new Set([storyTag(change.articleId), ...listTags(change.before, nowIso), ...listTags(change.after, nowIso)])];
}

/**
 * Publishes a committed story change to `deps.changes` (this node's page cache, the other nodes,
 * the CDN). Built into writeStory's subscribers, first of them, so no story write can forget it
 * and readers everywhere see the change as soon as it commits; related boxes the change moves
 * follow with a change of their own (article-related-refresh.ts).
 */
export const publishStoryChange: StoryChangeListener = (deps, change) =>
  publishNow(deps, { tags: storyChangeTags(change, deps.clock().toISOString()), cause: `story.${change.action}` });

/**
 * A front's arrangement (domain/fronts/): the home front or a section front carries it, and a
 * published, scheduled, taken-over or cancelled arrangement touches it. Also tells every node
 * to drop its in-memory arrangements (src/deps.ts).
 */
export const frontTag = (frontKey: string) => `front:${frontKey}`;
export const FRONT_TAG_PREFIX = 'front:';
