import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { CHROME_TAG, SITE_LISTS_TAG, storyTag } from '../domain/changes/cache-tags.ts';
import { ValidationError } from '../domain/errors.ts';
import { searchInputSchema, searchPublished, type SearchAnswer, type SearchInput } from '../domain/search/search-service.ts';
import type { EditionView } from '../domain/editions/edition-view.ts';
import type { EditionRouting } from './reader-edition.ts';
import { NO_STORE, publicCacheControl } from '../http/cache-policy.ts';
import type { SafeHtml } from '../http/html.ts';
import type { RenderedResponse } from '../http/page-cache.ts';
import type { PublicCache } from '../http/public-cache.ts';
import { htmlResponse } from './page-responses.ts';
import type { SiteChrome } from './views/layout.ts';
import { openSearchXml, SEARCH_PAGE_SIZE, searchLanguages, searchRefusedView, searchView } from './views/search-view.ts';

/** The query parameters the search page reads: everything else shares the page's cache entry. */
const SEARCH_QUERY = { query: ['q', 'section', 'author', 'tag', 'language', 'from', 'to', 'sort', 'page'] };

function refused(page: SafeHtml): RenderedResponse {
  return {
    status: 400,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_STORE },
    body: Buffer.from(page.value),
    tags: [],
  };
}

/** An answer's stories as the edition links and names them. */
function localAnswer(view: EditionView, a: SearchAnswer): SearchAnswer {
  return { ...a, results: a.results.map((r) => ({ ...r, teaser: view.teaser(r.teaser) })), recent: a.recent.map(view.teaser) };
}

/** Whatever of the query could be read, to put back in the form of a refusal page. */
function echo(query: unknown): Partial<SearchInput> {
  const q = (query ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).slice(0, 200) : undefined);
  return { q: text('q'), section: text('section'), language: text('language'), from: text('from'), to: text('to') };
}

/**
 * `/search` and `/opensearch.xml`. Result pages go through the public cache like every other
 * page, tagged `lists:site` (which every change to a story readers can or could see names,
 * including the scheduler's announcement of a story made visible by time), so a cached search
 * never shows a story readers can no longer see. Refusals are 400 pages, never cached.
 */
export function registerSearchRoutes(
  app: FastifyInstance,
  deps: Deps,
  cache: PublicCache,
  chrome: (view?: EditionView) => Promise<SiteChrome>,
  editions: EditionRouting,
): void {
  app.get('/search', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        // Under an edition's address (`/fr/search`): its stories, its words, its links.
        const view = await editions.view(req);
        const c = await chrome(view);
        const languages = searchLanguages(view.scope);
        // Blank form fields (an untouched select or date) mean "no filter"; so does a language
        // inside a one-language edition, which offers no language filter.
        const raw = Object.fromEntries(
          Object.entries((req.query ?? {}) as Record<string, unknown>).filter(
            ([k, v]) => v !== '' && !(k === 'language' && view.scope.language),
          ),
        );
        const parsed = searchInputSchema.safeParse(raw);
        if (!parsed.success) {
          return refused(
            searchRefusedView(
              c,
              echo(req.query),
              parsed.error.issues.map((i) => `${i.path.join('.') || 'search'}: ${i.message}`),
              languages,
            ),
          );
        }
        try {
          const answer = localAnswer(view, await searchPublished(deps, parsed.data, SEARCH_PAGE_SIZE, view.scope));
          const shown = [...answer.results.map((r) => r.teaser.id), ...answer.recent.map((t) => t.id)];
          return htmlResponse(searchView(c, answer, languages), [CHROME_TAG, SITE_LISTS_TAG, ...shown.map(storyTag)]);
        } catch (err) {
          if (err instanceof ValidationError) return refused(searchRefusedView(c, parsed.data, [err.message], languages));
          throw err;
        }
      },
      SEARCH_QUERY,
    ),
  );

  app.get('/opensearch.xml', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        // Each edition its own (`/fr/opensearch.xml`): its site name, language and search page.
        const view = await editions.view(req);
        return {
          status: 200,
          headers: { 'content-type': 'application/opensearchdescription+xml; charset=utf-8', 'cache-control': publicCacheControl('page') },
          body: Buffer.from(openSearchXml(await chrome(view), view.edition.language)),
          tags: [CHROME_TAG],
        };
      },
      { query: [] },
    ),
  );
}
