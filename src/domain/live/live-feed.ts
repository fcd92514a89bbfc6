import type { ServiceDeps } from '../deps.ts';
import type { Image } from '../media/image.ts';
import { FEED_SIZE, type Feed, type FeedItem } from '../published/article-feed.ts';
import { findVisibleLiveStory, latestVisibleEntries } from './live-entries-read.ts';
import { entryExcerpt, entryPermalink } from './live-entry.ts';

/*
 * A live blog's own feed: its newest entries as items (the site's feed renderers turn it into
 * RSS, Atom and JSON Feed). Items are entries readers can see, each linking to its permalink;
 * the feed is tagged with the story, so every entry change purges it.
 */

/** The feed of the visible live blog at this path, or null. */
export async function getLiveBlogFeed(deps: ServiceDeps, sectionSlug: string, slug: string, limit = FEED_SIZE): Promise<Feed | null> {
  const nowIso = deps.clock().toISOString();
  const story = await findVisibleLiveStory(deps.db, sectionSlug, slug, nowIso);
  if (!story) return null;
  const { entries, images } = await latestVisibleEntries(deps.db, story.articleId, nowIso, limit);
  const items = entries.map((e): FeedItem => {
    const own = new Map<string, Image>();
    for (const b of e.body.blocks) if (b.type === 'figure' && images.has(b.imageId)) own.set(b.imageId, images.get(b.imageId)!);
    return {
      id: e.id,
      path: entryPermalink(story.path, e.id),
      headline: entryExcerpt(e.body, 90),
      standfirst: entryExcerpt(e.body, 280),
      language: story.language,
      section: story.section,
      publishedAt: e.publishedAt,
      updatedAt: e.modifiedAt > e.publishedAt ? e.modifiedAt : null,
      changedAt: e.modifiedAt,
      hero: null,
      authors: e.authors,
      tags: [],
      body: e.body,
      images: own,
    };
  });
  const lastChangedAt = items.reduce<string | null>((max, i) => (max === null || i.changedAt > max ? i.changedAt : max), null);
  return {
    subject: { kind: 'live', id: story.articleId, slug: story.path, name: story.headline },
    items,
    lastChangedAt,
    version: items.map((i) => `${i.id}@${i.changedAt}`).join(','),
  };
}
