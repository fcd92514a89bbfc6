import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../deps.ts';
import { getArticlePage, type ArticlePage } from '../domain/published/article-page.ts';
import { getAuthorFront, getHomeFront, getSectionFront, getTagFront } from '../domain/published/front-service.ts';
import { versionedAsset } from '../http/assets.ts';
import type { SafeHtml } from '../http/html.ts';
import { createChromeLoader } from './site-chrome.ts';
import { articleView } from './views/article-view.ts';
import { authorView, homeView, notFoundView, sectionView, tagView } from './views/front-view.ts';
import type { SiteChrome } from './views/layout.ts';
import { PUBLISHER_LOGO, type PublisherLogo } from './views/meta/json-ld.ts';

// Short shared caching keeps a CDN useful; a purge-on-publish page cache comes later.
const PAGE_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=30';

function sendPage(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return (
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', status === 200 ? PAGE_CACHE_CONTROL : 'no-store')
      // A Buffer is encoded once; a string would be measured for Content-Length, then encoded again.
      .send(Buffer.from(page.value))
  );
}

function beforeParam(query: unknown): string | undefined {
  const v = (query as Record<string, unknown> | undefined)?.before;
  return typeof v === 'string' ? v : v === undefined ? undefined : '!';
}

/** What the rest of the app may ask of the public site without importing its views. */
export interface SitePages {
  notFound: (reply: FastifyReply) => Promise<FastifyReply>;
  chrome: () => Promise<SiteChrome>;
  /** The public article page for a read model: the newsroom's preview is this, byte for byte. */
  articlePage: (page: ArticlePage) => Promise<SafeHtml>;
}

/** Public, anonymous, cacheable pages. */
export function registerSiteRoutes(app: FastifyInstance, deps: Deps): SitePages {
  const chrome = createChromeLoader(deps);
  const logo: PublisherLogo = { path: versionedAsset(PUBLISHER_LOGO.file), width: PUBLISHER_LOGO.width, height: PUBLISHER_LOGO.height };
  const notFound = async (reply: FastifyReply) => sendPage(reply, notFoundView(await chrome()), 404);

  app.get('/', async (_req, reply) => {
    const [c, front] = await Promise.all([chrome(), getHomeFront(deps)]);
    return sendPage(reply, homeView(c, front, logo));
  });

  app.get<{ Params: { slug: string } }>('/authors/:slug', async (req, reply) => {
    const [c, found] = await Promise.all([chrome(), getAuthorFront(deps, req.params.slug, beforeParam(req.query))]);
    if (!found) return notFound(reply);
    return sendPage(reply, authorView(c, logo, found));
  });

  app.get<{ Params: { slug: string } }>('/tags/:slug', async (req, reply) => {
    const [c, found] = await Promise.all([chrome(), getTagFront(deps, req.params.slug, beforeParam(req.query))]);
    if (!found) return notFound(reply);
    return sendPage(reply, tagView(c, logo, found));
  });

  app.get<{ Params: { section: string } }>('/:section', async (req, reply) => {
    const [c, found] = await Promise.all([chrome(), getSectionFront(deps, req.params.section, beforeParam(req.query))]);
    if (!found) return notFound(reply);
    return sendPage(reply, sectionView(c, logo, found));
  });

  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug', async (req, reply) => {
    const [c, result] = await Promise.all([
      chrome(),
      getArticlePage(deps, req.params.section, req.params.slug, { commentsCloseAfterDays: deps.config.comments.closeAfterDays }),
    ]);
    if (result.kind === 'redirect') return reply.code(301).header('cache-control', 'public, max-age=300').redirect(result.location, 301);
    if (result.kind === 'not_found') return notFound(reply);
    return sendPage(reply, articleView(c, result.page, logo));
  });

  return { notFound, chrome, articlePage: async (page) => articleView(await chrome(), page, logo) };
}
