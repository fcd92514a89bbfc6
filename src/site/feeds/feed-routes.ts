import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { authorTag, SITE_LISTS_TAG, sectionTag, storyTag, tagTag } from '../../domain/changes/cache-tags.ts';
import { getFeed, type Feed, type FeedScope } from '../../domain/published/article-feed.ts';
import { getLiveBlogFeed } from '../../domain/live/live-feed.ts';
import { publicCacheControl } from '../../http/cache-policy.ts';
import type { PublicCache } from '../../http/public-cache.ts';
import { FEED_CONTENT_TYPES, FEED_FILES, RENDERERS, feedMeta, type FeedFormat } from './feed-formats.ts';
import { registerSitemapRoutes } from './sitemap-routes.ts';

const FORMATS = Object.keys(FEED_FILES) as FeedFormat[];

/** The list a feed is built from and every story in it. */
function feedTags(feed: Feed): string[] {
  const { kind, id } = feed.subject;
  // A live blog's items are its entries: the story's tag covers them all.
  if (kind === 'live') return [storyTag(id!)];
  const list = kind === 'site' || !id ? SITE_LISTS_TAG : kind === 'section' ? sectionTag(id) : kind === 'tag' ? tagTag(id) : authorTag(id);
  return [list, ...feed.items.map((item) => storyTag(item.id))];
}

/**
 * Feeds (RSS, Atom, JSON Feed) for the site, each section, tag and author and each live blog, plus robots.txt
 * and sitemaps. Register before the site routes; the static `feed.*` segments outrank the
 * `/:section/:slug` article route, and slugs can never contain a dot.
 */
export function registerFeedRoutes(app: FastifyInstance, deps: Deps, cache: PublicCache): void {
  const serve = async (req: FastifyRequest, reply: FastifyReply, scope: FeedScope | (() => Promise<Feed | null>), format: FeedFormat) =>
    cache.serve(
      req,
      reply,
      async () => {
        const feed = typeof scope === 'function' ? await scope() : await getFeed(deps, scope);
        if (!feed) return null;
        return {
          status: 200,
          headers: {
            'content-type': FEED_CONTENT_TYPES[format],
            'cache-control': publicCacheControl('feed'),
            ...(feed.lastChangedAt ? { 'last-modified': new Date(feed.lastChangedAt).toUTCString() } : {}),
          },
          body: Buffer.from(RENDERERS[format](feed, feedMeta(feed, deps.config))),
          tags: feedTags(feed),
        };
      },
      { query: [] },
    );

  for (const format of FORMATS) {
    const file = FEED_FILES[format];
    app.get(`/${file}`, async (req, reply) => serve(req, reply, { kind: 'site' }, format));
    app.get<{ Params: { section: string } }>(`/:section/${file}`, async (req, reply) =>
      serve(req, reply, { kind: 'section', slug: req.params.section }, format),
    );
    app.get<{ Params: { slug: string } }>(`/tags/:slug/${file}`, async (req, reply) =>
      serve(req, reply, { kind: 'tag', slug: req.params.slug }, format),
    );
    app.get<{ Params: { slug: string } }>(`/authors/:slug/${file}`, async (req, reply) =>
      serve(req, reply, { kind: 'author', slug: req.params.slug }, format),
    );
    // A live blog's entries (404 for a story that is not one).
    app.get<{ Params: { section: string; slug: string } }>(`/:section/:slug/${file}`, async (req, reply) =>
      serve(req, reply, () => getLiveBlogFeed(deps, req.params.section, req.params.slug), format),
    );
  }

  registerSitemapRoutes(app, deps, cache);
}
