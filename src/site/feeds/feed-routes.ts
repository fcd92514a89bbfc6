import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { getFeed, type FeedScope } from '../../domain/published/article-feed.ts';
import { sendWithValidators } from '../../http/conditional-get.ts';
import { FEED_CONTENT_TYPES, FEED_FILES, RENDERERS, feedMeta, type FeedFormat } from './feed-formats.ts';
import { registerSitemapRoutes } from './sitemap-routes.ts';

// Feed readers poll often; a short shared cache absorbs that, conditional GETs do the rest.
const FEED_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=60';

const FORMATS = Object.keys(FEED_FILES) as FeedFormat[];

/**
 * Feeds (RSS, Atom, JSON Feed) for the site and each section, tag and author, plus robots.txt
 * and sitemaps. Register before the site routes; the static `feed.*` segments outrank the
 * `/:section/:slug` article route, and slugs can never contain a dot.
 */
export function registerFeedRoutes(app: FastifyInstance, deps: Deps): void {
  const serve = async (req: FastifyRequest, reply: FastifyReply, scope: FeedScope, format: FeedFormat) => {
    const feed = await getFeed(deps, scope);
    if (!feed) {
      reply.callNotFound();
      return reply;
    }
    const body = RENDERERS[format](feed, feedMeta(feed, deps.config));
    return sendWithValidators(req, reply, body, {
      contentType: FEED_CONTENT_TYPES[format],
      cacheControl: FEED_CACHE_CONTROL,
      lastModified: feed.lastChangedAt,
    });
  };

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
  }

  registerSitemapRoutes(app, deps);
}
