import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  listNewsSitemapItems,
  listSitemapArticles,
  listSitemapListings,
  listSitemapSections,
  walkSitemapPages,
  type SitemapArticle,
} from '../../domain/published/article-feed.ts';
import { decodeCursor, encodeCursor, type PageCursor } from '../../domain/articles/cursor.ts';
import { absoluteUrl } from './feed-xml.ts';
import { articleSitemapXml, listingSitemapXml, newsSitemapXml, robotsTxt, sitemapIndexXml, type SitemapRef } from './sitemap-formats.ts';

/** URLs per article sitemap page (the protocol allows 50,000). */
export const ARTICLE_SITEMAP_PAGE = 10_000;
/** Rows per query while streaming; bounds memory whatever the page size. */
const BATCH = 1_000;

const XML = 'application/xml; charset=utf-8';
// Crawlers re-read sitemaps a few times a day; the news sitemap is read far more often.
const SITEMAP_CACHE_CONTROL = 'public, max-age=900';
const NEWS_CACHE_CONTROL = 'public, max-age=60';

/** The path of the article sitemap page that starts at `start`. */
export function articleSitemapPath(start: PageCursor): string {
  return `/sitemaps/articles/${encodeCursor(start)}.xml`;
}

function stream(reply: FastifyReply, chunks: AsyncIterable<string>, cacheControl: string): FastifyReply {
  return reply.type(XML).header('cache-control', cacheControl).send(Readable.from(chunks));
}

/** robots.txt, the sitemap index and its children, and the Google News sitemap. */
export function registerSitemapRoutes(app: FastifyInstance, deps: Deps): void {
  const siteUrl = deps.config.siteUrl;

  app.get('/robots.txt', async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(robotsTxt(siteUrl)),
  );

  app.get('/sitemap.xml', async (_req, reply) => {
    async function* refs(): AsyncGenerator<SitemapRef> {
      yield { loc: absoluteUrl(siteUrl, '/sitemap-news.xml'), lastModified: null };
      for (const name of ['sections', 'tags', 'authors']) yield { loc: absoluteUrl(siteUrl, `/sitemaps/${name}.xml`), lastModified: null };
      for await (const page of walkSitemapPages(deps, ARTICLE_SITEMAP_PAGE)) {
        yield { loc: absoluteUrl(siteUrl, articleSitemapPath(page.start)), lastModified: page.lastModified };
      }
    }
    return stream(reply, sitemapIndexXml(refs()), SITEMAP_CACHE_CONTROL);
  });

  app.get<{ Params: { file: string } }>('/sitemaps/articles/:file', async (req, reply) => {
    const match = /^([A-Za-z0-9_-]+)\.xml$/.exec(req.params.file);
    const start = match ? decodeCursor(match[1]!) : null;
    if (!start) {
      reply.callNotFound();
      return reply;
    }
    async function* batches(): AsyncGenerator<SitemapArticle[]> {
      let after: PageCursor | null = null;
      for (let left = ARTICLE_SITEMAP_PAGE; left > 0;) {
        const rows = await listSitemapArticles(
          deps,
          after ? { after, limit: Math.min(BATCH, left) } : { from: start, limit: Math.min(BATCH, left) },
        );
        if (rows.length) yield rows;
        const last = rows[rows.length - 1];
        if (!last || rows.length < Math.min(BATCH, left)) return;
        left -= rows.length;
        after = { publishedAt: last.publishedAt, id: last.id };
      }
    }
    return stream(reply, articleSitemapXml(siteUrl, batches()), SITEMAP_CACHE_CONTROL);
  });

  app.get('/sitemaps/sections.xml', async (_req, reply) => {
    async function* one() {
      yield await listSitemapSections(deps);
    }
    return stream(
      reply,
      listingSitemapXml(siteUrl, one(), (slug) => `/${slug}`),
      SITEMAP_CACHE_CONTROL,
    );
  });

  for (const kind of ['tags', 'authors'] as const) {
    app.get(`/sitemaps/${kind}.xml`, async (_req, reply) => {
      async function* batches() {
        let after: string | null = null;
        for (;;) {
          const slugs = await listSitemapListings(deps, kind, after, BATCH);
          if (slugs.length) yield slugs.map((slug) => ({ slug, lastModified: null }));
          if (slugs.length < BATCH) return;
          after = slugs[slugs.length - 1]!;
        }
      }
      return stream(
        reply,
        listingSitemapXml(siteUrl, batches(), (slug) => `/${kind}/${slug}`),
        SITEMAP_CACHE_CONTROL,
      );
    });
  }

  app.get('/sitemap-news.xml', async (_req, reply) => {
    const items = await listNewsSitemapItems(deps);
    return reply
      .type(XML)
      .header('cache-control', NEWS_CACHE_CONTROL)
      .send(newsSitemapXml(siteUrl, deps.config.siteName, items));
  });
}
