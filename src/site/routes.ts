import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { getArticlePage, type ArticlePage } from '../domain/published/article-page.ts';
import { findMovedStory } from '../domain/redirects/redirect-lookup.ts';
import { namesOldPostNumber, REDIRECT_QUERY_PARAMS } from '../domain/redirects/redirect-path.ts';
import {
  getAuthorFront,
  getHomeFront,
  getSectionFront,
  getTagFront,
  type ArrangementPreview,
  type HomeFront,
  type SectionFront,
} from '../domain/published/front-service.ts';
import type { ArrangedBlock } from '../domain/published/arranged-front.ts';
import { versionedAsset } from '../http/assets.ts';
import type { PublicCache } from '../http/public-cache.ts';
import type { SafeHtml } from '../http/html.ts';
import type { PublicError } from '../http/errors.ts';
import { htmlResponse, notFoundResponse, redirectResponse } from './page-responses.ts';
import { articleTags, homeTags, listTags } from './page-tags.ts';
import { registerSearchRoutes } from './search-routes.ts';
import { chromeForErrors, chromeIn, createChromeLoader } from './site-chrome.ts';
import { readerLocale } from './reader-locale.ts';
import { articleView, type LiveBlogView } from './views/article-view.ts';
import { authorView, errorView, homeView, notFoundView, sectionView, tagView } from './views/front-view.ts';
import type { SiteChrome } from './views/layout.ts';
import { PUBLISHER_LOGO, type PublisherLogo } from './views/meta/json-ld.ts';
import { getLiveEntriesPage } from '../domain/live/live-entries-read.ts';
import { LIVE_PAGE_QUERY, liveEntriesRequest } from './live-routes.ts';
import type { EditionRouting } from './reader-edition.ts';
import type { EditionView } from '../domain/editions/edition-view.ts';
import { editionView, editionViewForLanguage, translationAlternates } from '../domain/editions/edition-view.ts';
import { editionDirectory } from '../domain/editions/edition-directory.ts';
import { tagsInEdition } from '../domain/editions/edition-tags.ts';
import { listPublishedTranslations } from '../domain/published/article-translations.ts';
import type { TeaserPage } from '../domain/published/front-service.ts';

/** Query parameters the pages read; any other (utm_source, fbclid…) shares the page's cache entry. */
const NO_QUERY = { query: [] };
const PAGED = { query: ['before'] };
/** Where an old WordPress `?p=123` / `?page_id=2` address may land: those parameters key the cache too. */
const OLD_NUMBERS = { query: [...REDIRECT_QUERY_PARAMS] };
const PAGED_OR_OLD_NUMBERS = { query: ['before', ...REDIRECT_QUERY_PARAMS] };

function beforeParam(query: unknown): string | undefined {
  const v = (query as Record<string, unknown> | undefined)?.before;
  return typeof v === 'string' ? v : v === undefined ? undefined : '!';
}

/** What the rest of the app may ask of the public site without importing its views. */
export interface SitePages {
  /** The 404 page; given the request (the app's not-found handler), an old imported address answers 301 instead. */
  notFound: (reply: FastifyReply, req?: FastifyRequest) => Promise<FastifyReply>;
  chrome: (view?: EditionView) => Promise<SiteChrome>;
  /** An error page in the site's shell; drawn without the database when that is what failed. */
  errorPage: (e: Pick<PublicError, 'status' | 'message'>) => Promise<SafeHtml>;
  /** The public article page for a read model: the newsroom's preview is this, byte for byte. */
  articlePage: (page: ArticlePage, req: FastifyRequest) => Promise<SafeHtml>;
  /** The home front (`sectionSlug` null) or a section front under `preview` instead of the arrangement in force, of the edition listing `language` (none: the default). */
  frontPreview: (sectionSlug: string | null, preview: ArrangementPreview, language?: string) => Promise<SafeHtml | null>;
}

/** Public, anonymous, cacheable pages, served through the public cache. */
export function registerSiteRoutes(app: FastifyInstance, deps: Deps, cache: PublicCache, editions: EditionRouting): SitePages {
  const chrome = createChromeLoader(deps);
  const logo: PublisherLogo = { path: versionedAsset(PUBLISHER_LOGO.file), width: PUBLISHER_LOGO.width, height: PUBLISHER_LOGO.height };
  const notFoundPage = async (view?: EditionView) => notFoundResponse(notFoundView(await chrome(view)));
  // Old addresses of imported stories (domain/redirects) are looked up only here, on the way
  // to a 404, so a page that exists never pays for them.
  const notFoundOrMoved = async (req: FastifyRequest) => {
    const moved = await findMovedStory(deps, req.url);
    // In the edition the address was under: its language, its navigation.
    return moved ? redirectResponse(moved.location, moved.articleId) : notFoundPage(await editions.view(req));
  };
  const notFound = async (reply: FastifyReply, req?: FastifyRequest) => {
    if (req && (req.method === 'GET' || req.method === 'HEAD')) return cache.serve(req, reply, () => notFoundOrMoved(req), OLD_NUMBERS);
    const r = await notFoundPage(req && (await editions.view(req)));
    return reply.code(r.status).headers(r.headers).send(r.body);
  };

  registerSearchRoutes(app, deps, cache, chrome, editions);

  app.get('/', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        if (namesOldPostNumber(req.url)) return notFoundOrMoved(req);
        const view = await editions.view(req);
        const [c, front] = await Promise.all([chrome(view), getHomeFront(deps, view.scope)]);
        const local = localHome(view, front);
        return htmlResponse(homeView(c, local, logo, view.alternates('/')), homeTags(front));
      },
      OLD_NUMBERS,
    ),
  );

  app.get<{ Params: { slug: string } }>('/authors/:slug', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        const view = await editions.view(req);
        const [c, found] = await Promise.all([chrome(view), getAuthorFront(deps, req.params.slug, beforeParam(req.query), view.scope)]);
        if (!found) return notFoundPage(view);
        return htmlResponse(
          authorView(c, logo, { ...found, page: localPage(view, found.page) }),
          listTags({ kind: 'author', id: found.author.id }, found.page),
        );
      },
      PAGED,
    ),
  );

  app.get<{ Params: { slug: string } }>('/tags/:slug', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        const view = await editions.view(req);
        const [c, found] = await Promise.all([chrome(view), getTagFront(deps, req.params.slug, beforeParam(req.query), view.scope)]);
        if (!found) return notFoundPage(view);
        const [tag] = await tagsInEdition(deps.db, view.edition, [found.tag]);
        return htmlResponse(
          tagView(c, logo, { tag: tag!, page: localPage(view, found.page) }),
          listTags({ kind: 'tag', id: found.tag.id }, found.page),
        );
      },
      PAGED,
    ),
  );

  app.get<{ Params: { section: string } }>('/:section', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        const view = await editions.view(req);
        const base = view.baseSectionSlug(req.params.section);
        const [c, found] = await Promise.all([
          chrome(view),
          base === undefined ? null : getSectionFront(deps, base, beforeParam(req.query), view.scope),
        ]);
        if (!found) return notFoundOrMoved(req);
        return htmlResponse(
          sectionView(c, logo, localSection(view, found), view.alternates(`/${found.section.slug}`)),
          listTags({ kind: 'section', id: found.section.id, frontKey: found.frontKey }, found.page, found.arranged),
        );
      },
      PAGED_OR_OLD_NUMBERS,
    ),
  );

  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        const view = await editions.view(req);
        const base = view.baseSectionSlug(req.params.section);
        const [c, result] = await Promise.all([
          chrome(view),
          base === undefined
            ? ({ kind: 'not_found' } as const)
            : getArticlePage(deps, base, req.params.slug, {
                commentsCloseAfterDays: deps.config.comments.closeAfterDays,
                redirectStory: true,
              }),
        ]);
        if (result.kind === 'redirect') return redirectResponse(view.path(result.location), result.articleId);
        if (result.kind === 'not_found') return notFoundOrMoved(req);
        // A story lives in the edition of its language: another edition's address of it leads there.
        const own = view.forLanguage(result.page.article.language);
        if (own.edition.id !== view.edition.id) {
          const location = own.edition.host ? own.url(result.page.path) : own.path(result.page.path);
          return redirectResponse(location, result.page.article.id);
        }
        // A live blog shows its entries (page, order or permalink from the query; see live-routes.ts).
        const live = result.page.article.live
          ? {
              entries: await getLiveEntriesPage(deps.db, result.page.article.id, deps.clock().toISOString(), liveEntriesRequest(req.query)),
              nowIso: deps.clock().toISOString(),
            }
          : undefined;
        return htmlResponse(await storyPage(view, c, result.page, live), articleTags(result.page));
      },
      { query: LIVE_PAGE_QUERY },
    ),
  );

  /** A story's page as its edition shows it: its addresses, hreflang alternates and interface language. */
  async function storyPage(view: EditionView, c: SiteChrome, found: ArticlePage, live?: LiveBlogView): Promise<SafeHtml> {
    const translations =
      view.editions.length > 1
        ? translationAlternates(
            view,
            (await listPublishedTranslations(deps.db, [found.article.translationGroupId], deps.clock().toISOString())).get(
              found.article.translationGroupId,
            ) ?? [],
          )
        : [];
    const tags = await tagsInEdition(deps.db, view.edition, found.tags);
    const page = { ...found, path: view.path(found.path), section: view.section(found.section), tags };
    return articleView(chromeIn(c, readerLocale({ story: found.article })), page, logo, live, translations);
  }

  const errorChrome = chromeForErrors(() => chrome(), deps.config);
  const errorPage = async (e: Pick<PublicError, 'status' | 'message'>) => {
    const c = await errorChrome();
    return e.status === 404 ? notFoundView(c) : errorView(c, e);
  };
  // The front of the edition listing `language` (none: the default edition) under `preview`.
  const frontPreview = async (sectionSlug: string | null, preview: ArrangementPreview, language?: string) => {
    const snap = await editionDirectory(deps.db).current();
    const view = language
      ? editionViewForLanguage(snap, language, deps.config.siteUrl)
      : editionView(snap, snap.default, deps.config.siteUrl);
    if (sectionSlug === null) return homeView(await chrome(view), localHome(view, await getHomeFront(deps, view.scope, preview)), logo);
    const found = await getSectionFront(deps, sectionSlug, undefined, view.scope, preview);
    return found ? sectionView(await chrome(view), logo, localSection(view, found)) : null;
  };
  return {
    notFound,
    chrome,
    errorPage,
    // The newsroom's preview: the story as its own edition will show it.
    articlePage: async (page, req) => {
      const view = (await editions.view(req)).forLanguage(page.article.language);
      return storyPage(view, await chrome(view), page);
    },
    frontPreview,
  };
}

/** A list's teasers as the edition links and names them. */
function localPage(view: EditionView, page: TeaserPage): TeaserPage {
  return { ...page, items: page.items.map(view.teaser) };
}

/** An arrangement's teasers as the edition links and names them. */
function localArranged<A extends { blocks: ArrangedBlock[] }>(view: EditionView, a: A): A {
  return { ...a, blocks: a.blocks.map((b) => ({ ...b, items: b.items.map(view.teaser) })) };
}

/** The home front as the edition links and names it (its arrangement, when one is in force, included). */
function localHome(view: EditionView, front: HomeFront): HomeFront {
  return {
    frontKey: front.frontKey,
    lead: front.lead && view.teaser(front.lead),
    latest: front.latest.map(view.teaser),
    sections: front.sections.map((b) => ({ section: { ...b.section, ...view.section(b.section) }, items: b.items.map(view.teaser) })),
    ...(front.arranged ? { arranged: localArranged(view, front.arranged) } : {}),
  };
}

/** A section front as the edition links and names it. */
function localSection(view: EditionView, found: SectionFront): SectionFront {
  const arranged = found.arranged && {
    ...localArranged(view, found.arranged),
    lead: found.arranged.lead && view.teaser(found.arranged.lead),
    top: found.arranged.top.map(view.teaser),
  };
  return {
    frontKey: found.frontKey,
    section: { ...found.section, ...view.section(found.section) },
    page: localPage(view, found.page),
    ...(arranged ? { arranged } : {}),
  };
}
