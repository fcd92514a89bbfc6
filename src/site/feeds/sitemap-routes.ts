import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { SITEMAPS_TAG, TAXONOMY_TAG } from '../../domain/changes/cache-tags.ts';
import { publicCacheControl } from '../../http/cache-policy.ts';
import type { PublicCache } from '../../http/public-cache.ts';
import {
  listNewsSitemapItems,
  listSitemapArticles,
  listSitemapListings,
  listSitemapSections,
  walkSitemapPages,
  type SitemapArticle,
} from '../../domain/published/article-feed.ts';
import { decodeCursor, encodeCursor, type PageCursor } from '../../domain/articles/cursor.ts';
import type { EditionRouting } from '../reader-edition.ts';
import { translationAlternates, type EditionView } from '../../domain/editions/edition-view.ts';
import { listPublishedTranslations } from '../../domain/published/article-translations.ts';
import { articleSitemapXml, listingSitemapXml, newsSitemapXml, robotsTxt, sitemapIndexXml, type SitemapRef } from './sitemap-formats.ts';

/** URLs per article sitemap page (the protocol allows 50,000). */
export const ARTICLE_SITEMAP_PAGE = 10_000;
/** Rows per query while streaming; bounds memory whatever the page size. */
const BATCH = 1_000;

const XML = 'application/xml; charset=utf-8';
/** Read before the status is sent: the first query's failure (the database is down) still gets its error page. */
const READ_AHEAD_CHARS = 64 * 1024;
/** Listing sitemaps change with their stories and with the sections, tags or authors they list. */
const LISTING_TAGS = [SITEMAPS_TAG, TAXONOMY_TAG];

/** The path of the article sitemap page that starts at `start`. */
export function articleSitemapPath(start: PageCursor): string {
  return `/sitemaps/articles/${encodeCursor(start)}.xml`;
}

/**
 * robots.txt, the sitemap index and its children, and the Google News sitemap.
 *
 * The index and the article, tag and author sitemaps stay streamed in keyset batches and out
 * of the app's page cache: a page holds up to 10,000 URLs (over a megabyte) and the index
 * grows with the archive, so keeping them would cost memory with no bound we chose, and
 * crawlers read them rarely. They still carry the CDN headers (tag `sitemaps`), so the edge
 * keeps them until a change purges them. The news sitemap (at most 1,000 recent stories),
 * the sections sitemap and robots.txt are bounded and cached like pages.
 */
export function registerSitemapRoutes(app: FastifyInstance, deps: Deps, cache: PublicCache, editions: EditionRouting): void {
  const siteUrl = deps.config.siteUrl;
  const stream = async (req: FastifyRequest, reply: FastifyReply, body: AsyncIterable<string>, tags: readonly string[]) =>
    cache.stream(req, reply, {
      headers: { 'content-type': XML, 'cache-control': publicCacheControl('sitemap') },
      body: await readAhead(body, READ_AHEAD_CHARS),
      tags,
    });
  const xml = (body: string, policy: 'sitemap' | 'newsSitemap', tags: readonly string[]) => ({
    status: 200,
    headers: { 'content-type': XML, 'cache-control': publicCacheControl(policy) },
    body: Buffer.from(body),
    tags,
  });

  app.get('/robots.txt', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        const view = await editions.view(req);
        const others = view.alternates('/sitemap.xml').filter((a) => a.hreflang !== 'x-default' && a.href !== view.url('/sitemap.xml'));
        return {
          status: 200,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': publicCacheControl('robots') },
          body: Buffer.from(
            robotsTxt(
              view.origin,
              others.map((a) => a.href),
            ),
          ),
          // Fixed until the editions change, which clears every cache.
          tags: [],
        };
      },
      { query: [] },
    ),
  );

  app.get('/sitemap.xml', async (req, reply) => {
    const view = await editions.view(req);
    async function* refs(): AsyncGenerator<SitemapRef> {
      yield { loc: view.url('/sitemap-news.xml'), lastModified: null };
      for (const name of ['sections', 'tags', 'authors']) yield { loc: view.url(`/sitemaps/${name}.xml`), lastModified: null };
      for await (const page of walkSitemapPages(deps, ARTICLE_SITEMAP_PAGE, view.scope)) {
        yield { loc: view.url(articleSitemapPath(page.start)), lastModified: page.lastModified };
      }
    }
    return stream(req, reply, sitemapIndexXml(refs()), [SITEMAPS_TAG]);
  });

  app.get<{ Params: { file: string } }>('/sitemaps/articles/:file', async (req, reply) => {
    const view = await editions.view(req);
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
          view.scope,
        );
        if (rows.length) yield await editionSitemapArticles(view, rows);
        const last = rows[rows.length - 1];
        if (!last || rows.length < Math.min(BATCH, left)) return;
        left -= rows.length;
        after = { publishedAt: last.publishedAt, id: last.id };
      }
    }
    return stream(req, reply, articleSitemapXml(view.origin, batches()), [SITEMAPS_TAG]);

    /** The batch at the edition's addresses, each with the hreflang links of its published translations. */
    async function editionSitemapArticles(view: EditionView, rows: SitemapArticle[]): Promise<SitemapArticle[]> {
      const groups =
        view.editions.length > 1
          ? await listPublishedTranslations(
              deps.db,
              rows.map((r) => r.translationGroupId),
              deps.clock().toISOString(),
            )
          : new Map<string, never[]>();
      return rows.map((r) => ({
        ...r,
        path: view.path(r.path),
        alternates: translationAlternates(view, groups.get(r.translationGroupId) ?? []).map(({ hreflang, href }) => ({ hreflang, href })),
      }));
    }
  });

  app.get('/sitemaps/sections.xml', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        const view = await editions.view(req);
        async function* one() {
          yield await listSitemapSections(deps);
        }
        let body = '';
        for await (const chunk of listingSitemapXml(view.origin, one(), (slug) => view.path(`/${slug}`))) body += chunk;
        return xml(body, 'sitemap', LISTING_TAGS);
      },
      { query: [] },
    ),
  );

  for (const kind of ['tags', 'authors'] as const) {
    app.get(`/sitemaps/${kind}.xml`, async (req, reply) => {
      const view = await editions.view(req);
      async function* batches() {
        let after: string | null = null;
        for (;;) {
          const slugs = await listSitemapListings(deps, kind, after, BATCH, view.scope);
          if (slugs.length) yield slugs.map((slug) => ({ slug, lastModified: null }));
          if (slugs.length < BATCH) return;
          after = slugs[slugs.length - 1]!;
        }
      }
      return stream(
        req,
        reply,
        listingSitemapXml(view.origin, batches(), (slug) => view.path(`/${kind}/${slug}`)),
        LISTING_TAGS,
      );
    });
  }

  // Tagged `sitemaps` alone: every change to a visible story names it, and a thousand story tags would overflow a CDN's header limit.
  app.get('/sitemap-news.xml', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        const view = await editions.view(req);
        const items = (await listNewsSitemapItems(deps, view.scope)).map((i) => ({ ...i, path: view.path(i.path) }));
        return xml(newsSitemapXml(view.origin, view.edition.siteName ?? deps.config.siteName, items), 'newsSitemap', [SITEMAPS_TAG]);
      },
      { query: [] },
    ),
  );
}

/**
 * Reads `body` until `chars` characters (or its end) are held, then continues it. A failure in
 * that stretch (every sitemap's first query is in it) is thrown here, before anything is sent,
 * so the one error mapping answers it instead of a 200 cut short.
 */
export async function readAhead(body: AsyncIterable<string>, chars: number): Promise<AsyncIterable<string>> {
  const it = body[Symbol.asyncIterator]();
  const head: string[] = [];
  let held = 0;
  let done = false;
  while (held < chars) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    held += next.value.length;
  }
  return (async function* () {
    yield* head;
    if (done) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  })();
}
