import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { authorTag, SITE_LISTS_TAG, sectionTag, storyTag, tagTag } from '../../domain/changes/cache-tags.ts';
import { getFeed, type Feed, type FeedScope } from '../../domain/published/article-feed.ts';
import { getLiveBlogFeed } from '../../domain/live/live-feed.ts';
import { publicCacheControl } from '../../http/cache-policy.ts';
import type { PublicCache } from '../../http/public-cache.ts';
import { FEED_CONTENT_TYPES, FEED_FILES, RENDERERS, feedMeta, type FeedFormat } from './feed-formats.ts';
import { registerSitemapRoutes } from './sitemap-routes.ts';
import type { EditionRouting } from '../reader-edition.ts';
import type { EditionView } from '../../domain/editions/edition-view.ts';
import { tagsInEdition } from '../../domain/editions/edition-tags.ts';
import { messagesFor } from '../../render/i18n/messages.ts';
import { readerLocale } from '../reader-locale.ts';
import { FEED_SIZE } from '../../domain/published/article-feed.ts';

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
export function registerFeedRoutes(app: FastifyInstance, deps: Deps, cache: PublicCache, editions: EditionRouting): void {
  const serve = async (req: FastifyRequest, reply: FastifyReply, asked: FeedScope | (() => Promise<Feed | null>), format: FeedFormat) =>
    cache.serve(
      req,
      reply,
      async () => {
        const view = await editions.view(req);
        let feed: Feed;
        if (typeof asked === 'function') {
          // A live blog's own feed: its story already names its address.
          const found = await asked();
          if (!found) return null;
          feed = found;
        } else {
          const base = asked.kind === 'section' ? view.baseSectionSlug(asked.slug) : undefined;
          if (asked.kind === 'section' && base === undefined) return null;
          const scope = asked.kind === 'section' ? { kind: 'section' as const, slug: base! } : asked;
          const found = await getFeed(deps, scope, FEED_SIZE, view.scope);
          if (!found) return null;
          feed = await editionFeed(deps, view, found);
        }
        return {
          status: 200,
          headers: {
            'content-type': FEED_CONTENT_TYPES[format],
            'cache-control': publicCacheControl('feed'),
            ...(feed.lastChangedAt ? { 'last-modified': new Date(feed.lastChangedAt).toUTCString() } : {}),
          },
          body: Buffer.from(RENDERERS[format](feed, editionFeedMeta(view, feed, deps.config))),
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

  registerSitemapRoutes(app, deps, cache, editions);
}

/** A path of the edition without its prefix: feeds resolve against the edition's own base URL. */
function withinEdition(view: EditionView, sitePath: string): string {
  const p = view.path(sitePath);
  return view.basePath && p.startsWith(view.basePath) ? p.slice(view.basePath.length) || '/' : p;
}

/** The feed as the edition names and links its stories, its section and its tags. */
async function editionFeed(deps: Deps, view: EditionView, feed: Feed): Promise<Feed> {
  const { subject } = feed;
  const ownTags = subject.kind === 'tag' && subject.id && subject.name ? [{ id: subject.id, name: subject.name }] : [];
  // One lookup for every tag the feed names: its subject and its items' categories.
  const named = await tagsInEdition(deps.db, view.edition, [...ownTags, ...feed.items.flatMap((item) => item.tags)]);
  const names = new Map(named.map((t) => [t.id, t.name]));
  const local =
    subject.kind === 'section' && subject.slug && subject.name
      ? { ...subject, ...view.section({ slug: subject.slug, name: subject.name }) }
      : ownTags.length
        ? { ...subject, name: names.get(subject.id!) ?? subject.name }
        : subject;
  return {
    ...feed,
    subject: local,
    items: feed.items.map((item) => ({
      ...item,
      path: withinEdition(view, item.path),
      section: view.section(item.section),
      tags: item.tags.map((t) => ({ ...t, name: names.get(t.id) ?? t.name })),
    })),
  };
}

/** Feed metadata at the edition's base URL, in its language and under its site name. */
function editionFeedMeta(view: EditionView, feed: Feed, config: Deps['config']) {
  const m = messagesFor(readerLocale({ edition: view.edition }));
  const meta = feedMeta(feed, { siteName: view.edition.siteName ?? config.siteName, siteUrl: `${view.origin}${view.basePath}` }, m);
  return view.editions.length > 1 ? { ...meta, language: view.edition.language, assetOrigin: view.origin } : meta;
}
