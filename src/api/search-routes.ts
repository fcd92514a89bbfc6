import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { SITE_LISTS_TAG, storyTag } from '../domain/changes/cache-tags.ts';
import { searchInputSchema, searchPublished, type SearchAnswer } from '../domain/search/search-service.ts';
import { escapeHtml } from '../http/html.ts';
import { sendCacheable, type ContentReads } from './api-cache.ts';
import type { ApiRouter } from './api-route.ts';
import { absoluteMediaUrl } from '../domain/media/media-url.ts';
import type { EditionView } from '../domain/editions/edition-view.ts';
import { editionQuerySchema, editionViews, requestedEditionScope } from './api-editions.ts';

/*
 * The Content API's search: the site's search (same parser, engine, visibility rule and
 * snippets) as JSON. Answers are tagged `lists:site` like the API's lists, so every change to
 * a story readers can or could see drops them.
 */

export const searchApiQuery = z.strictObject({
  ...searchInputSchema.shape,
  edition: editionQuerySchema.optional(),
  q: z.string().trim().min(1, 'say what to search for').max(2000, 'is far too long').meta({
    description: 'Words (all required), "a phrase", -excluded, a OR b; at most 200 characters and 12 words',
  }),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(50, 'must be at most 50')
    .default(10)
    .meta({ description: 'Results per page (1–50, default 10); pages stop after 1,000 results' }),
});

const searchHitJsonSchema = z.strictObject({
  id: z.string(),
  url: z.string().meta({ description: 'Canonical public URL' }),
  headline: z.string(),
  standfirst: z.string(),
  language: z.string(),
  edition: z.string().meta({ description: 'The code of the language edition the story belongs to' }),
  section: z.strictObject({ slug: z.string(), name: z.string(), url: z.string() }),
  authors: z.array(z.strictObject({ id: z.string(), slug: z.string(), name: z.string(), url: z.string() })),
  publishedAt: z.string(),
  thumbnail: z
    .strictObject({ url: z.string(), width: z.number().int(), height: z.number().int(), altText: z.string() })
    .nullable()
    .meta({ description: 'The hero picture, a JPEG about 320 px wide' }),
  score: z.number().meta({ description: 'Relevance; higher is better, comparable only within one answer' }),
  snippet: z.string().meta({ description: 'The best-matching stretch of the text, plain' }),
  snippetHtml: z.string().meta({ description: 'The same, HTML-escaped, with matching words in <mark>' }),
});

const searchAnswerJsonSchema = z.strictObject({
  data: z.array(searchHitJsonSchema),
  query: z.string(),
  total: z.number().int().meta({ description: 'Matches counted, at most 1,000' }),
  totalCapped: z.boolean().meta({ description: 'There may be more matches than `total` (the search stopped counting there)' }),
  page: z.number().int(),
  nextPage: z.number().int().nullable(),
  suggestion: z.string().nullable().meta({
    description:
      'When little or nothing matched: the query with misspelt words replaced by the closest words of published stories, offered only if it finds more (search it as `q`); otherwise null',
  }),
});

type SearchAnswerJson = z.infer<typeof searchAnswerJsonSchema>;

function present(siteUrl: string, a: SearchAnswer, viewOf: (language: string) => EditionView): SearchAnswerJson {
  return {
    data: a.results.map((r) => {
      const t = r.teaser;
      // Each story at its own edition's addresses, as the site links it.
      const view = viewOf(t.language);
      const thumbWidth = t.hero
        ? ([...t.hero.renditionWidths].sort((x, y) => x - y).find((w) => w >= 320) ?? t.hero.renditionWidths[0])
        : undefined;
      return {
        id: t.id,
        url: view.url(t.path),
        headline: t.headline,
        standfirst: t.standfirst,
        language: t.language,
        edition: view.edition.code,
        section: { slug: t.sectionSlug, name: t.sectionName, url: view.url(`/${t.sectionSlug}`) },
        authors: r.bylines.map((b) => ({ id: b.id, slug: b.slug, name: b.name, url: view.url(`/authors/${b.slug}`) })),
        publishedAt: t.publishedAt,
        thumbnail:
          t.hero && thumbWidth
            ? {
                url: absoluteMediaUrl(siteUrl, t.hero.storageKey, `w${thumbWidth}.jpg`),
                width: thumbWidth,
                height: Math.round((t.hero.height * thumbWidth) / t.hero.width),
                altText: t.hero.altText,
              }
            : null,
        score: r.score,
        snippet: r.snippet.map((p) => p.text).join(''),
        snippetHtml: r.snippet.map((p) => (p.mark ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text))).join(''),
      };
    }),
    query: a.query?.text ?? '',
    total: a.total,
    totalCapped: a.totalCapped,
    page: a.page,
    nextPage: a.hasNextPage ? a.page + 1 : null,
    suggestion: a.suggestion,
  };
}

export function registerSearchRoutes(router: ApiRouter, deps: Deps, reads: ContentReads): void {
  const siteUrl = deps.config.siteUrl;
  router.route({
    method: 'GET',
    url: '/v1/search',
    operationId: 'searchArticles',
    summary: 'Full-text search of published articles',
    description:
      'Ranked by relevance (headline, standfirst, body with quotes, captions and credits, then bylines, tags and section) or by date. Each story is matched in its own language (stems, accents folded). Drafts, scheduled, embargoed and unpublished stories never appear. Too long or too complex queries are refused with 400. `edition` searches one language edition’s stories (an unknown edition is refused with 400).',
    tags: ['content'],
    auth: 'content',
    query: searchApiQuery,
    responses: {
      200: { description: 'One page of results', schema: searchAnswerJsonSchema },
      304: { description: 'The copy named by If-None-Match is current' },
    },
    async handler({ req, reply, query }) {
      const { limit, edition, ...input } = query;
      const scope = await requestedEditionScope(deps, edition);
      return sendCacheable(req, reply, reads, async () => {
        // A refused query throws a ValidationError: the API's error handler answers 400, never cached.
        const answer = await searchPublished(deps, input, limit, scope);
        return {
          data: present(siteUrl, answer, await editionViews(deps)),
          tags: [SITE_LISTS_TAG, ...answer.results.map((r) => storyTag(r.teaser.id))],
        };
      });
    },
  });
}
