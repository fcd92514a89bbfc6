import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { encodeCursor } from '../domain/articles/cursor.ts';
import { getCatalogArticle, listCatalogArticles } from '../domain/published/catalog-articles.ts';
import { getCatalogImage, listCatalogAuthors, listCatalogSections, listCatalogTags } from '../domain/published/catalog-taxonomy.ts';
import { imageTag, SITE_LISTS_TAG, storyTag, TAXONOMY_TAG, translationsTag } from '../domain/changes/cache-tags.ts';
import { NotFoundError } from '../domain/errors.ts';
import { sendCacheable, type ContentReads } from './api-cache.ts';
import { authorJsonSchema, imageJsonSchema, one, page, partialArticleJsonSchema, sectionJsonSchema, tagJsonSchema } from './api-json.ts';
import { presentArticle, presentAuthor, presentImage, presentSection, presentTag } from './api-presenters.ts';
import { getArticleQuery, idParams, listArticlesQuery, listTagsQuery } from './api-query.ts';
import { articleLinks, requestedEditionScope } from './api-editions.ts';
import type { ApiRouter } from './api-route.ts';

const CACHED = {
  etag: 'Validator; send it back as If-None-Match',
  'cache-control': 'Shared-cacheable (`public`, with `s-maxage`) or `private` when the Content API needs a token',
};
const NOT_MODIFIED = { description: 'The copy named by If-None-Match is current' };

/**
 * The read-only Content API: published stories and what they reference. Lists are tagged
 * `lists:site` whatever their filter (every change to a visible story names it, so a filtered
 * list is never stale), plus each story they show.
 */
export function registerContentRoutes(router: ApiRouter, deps: Deps, reads: ContentReads): void {
  const siteUrl = deps.config.siteUrl;

  router.route({
    method: 'GET',
    url: '/v1/articles',
    operationId: 'listArticles',
    summary: 'Published articles, newest first',
    description:
      'Keyset-paginated: follow `nextCursor`. Drafts, scheduled and embargoed stories never appear. `edition` lists one language edition’s stories (an unknown edition is refused with 400).',
    tags: ['content'],
    auth: 'content',
    query: listArticlesQuery,
    responses: { 200: { description: 'One page of articles', schema: page(partialArticleJsonSchema), headers: CACHED }, 304: NOT_MODIFIED },
    async handler({ req, reply, query }) {
      const { cursor, limit, fields, edition, ...filter } = query;
      // Refused before the cache: a 400 is never cached.
      const scope = await requestedEditionScope(deps, edition);
      return sendCacheable(req, reply, reads, async () => {
        const result = await listCatalogArticles(
          deps,
          { ...filter, ...(scope ? { edition: scope } : {}) },
          { before: cursor ?? null, limit },
        );
        const links = await articleLinks(deps, result.items);
        return {
          data: {
            data: result.items.map((a) => presentArticle(siteUrl, a, links(a), fields)),
            nextCursor: result.next ? encodeCursor(result.next) : null,
          },
          tags: [SITE_LISTS_TAG, ...result.items.map((a) => storyTag(a.id))],
        };
      });
    },
  });

  router.route({
    method: 'GET',
    url: '/v1/articles/:id',
    operationId: 'getArticle',
    summary: 'One published article',
    tags: ['content'],
    auth: 'content',
    params: idParams,
    query: getArticleQuery,
    responses: {
      200: { description: 'The article', schema: one(partialArticleJsonSchema), headers: CACHED },
      304: NOT_MODIFIED,
      404: { description: 'No published article has this id' },
    },
    async handler({ req, reply, params, query }) {
      return sendCacheable(req, reply, reads, async () => {
        const article = await getCatalogArticle(deps, params.id);
        // Thrown, so never cached: the API's error handler answers.
        if (!article) throw new NotFoundError('There is no published article with this id.');
        const links = await articleLinks(deps, [article]);
        // Its translations are listed: publishing or withdrawing one (a change naming the group) drops this answer.
        return {
          data: { data: presentArticle(siteUrl, article, links(article), query.fields) },
          tags: [storyTag(article.id), translationsTag(article.translationGroupId)],
        };
      });
    },
  });

  router.route({
    method: 'GET',
    url: '/v1/sections',
    operationId: 'listSections',
    summary: 'All sections, in site order',
    tags: ['content'],
    auth: 'content',
    responses: {
      200: { description: 'Every section', schema: z.strictObject({ data: z.array(sectionJsonSchema) }), headers: CACHED },
      304: NOT_MODIFIED,
    },
    async handler({ req, reply }) {
      return sendCacheable(req, reply, reads, async () => ({
        data: { data: (await listCatalogSections(deps)).map((s) => presentSection(siteUrl, s)) },
        tags: [TAXONOMY_TAG],
      }));
    },
  });

  router.route({
    method: 'GET',
    url: '/v1/tags',
    operationId: 'listTags',
    summary: 'Tags by slug',
    tags: ['content'],
    auth: 'content',
    query: listTagsQuery,
    responses: { 200: { description: 'One page of tags', schema: page(tagJsonSchema), headers: CACHED }, 304: NOT_MODIFIED },
    async handler({ req, reply, query }) {
      return sendCacheable(req, reply, reads, async () => {
        const result = await listCatalogTags(deps, { after: query.cursor ?? null, limit: query.limit });
        return { data: { data: result.items.map((t) => presentTag(siteUrl, t)), nextCursor: result.next }, tags: [TAXONOMY_TAG] };
      });
    },
  });

  router.route({
    method: 'GET',
    url: '/v1/authors',
    operationId: 'listAuthors',
    summary: 'All authors, by name',
    tags: ['content'],
    auth: 'content',
    responses: {
      200: { description: 'Every author', schema: z.strictObject({ data: z.array(authorJsonSchema) }), headers: CACHED },
      304: NOT_MODIFIED,
    },
    async handler({ req, reply }) {
      return sendCacheable(req, reply, reads, async () => ({
        data: { data: (await listCatalogAuthors(deps)).map((a) => presentAuthor(siteUrl, a)) },
        tags: [TAXONOMY_TAG],
      }));
    },
  });

  router.route({
    method: 'GET',
    url: '/v1/images/:id',
    operationId: 'getImage',
    summary: 'One image with its renditions and credits',
    tags: ['content'],
    auth: 'content',
    params: idParams,
    responses: {
      200: { description: 'The image', schema: one(imageJsonSchema), headers: CACHED },
      304: NOT_MODIFIED,
      404: { description: 'No image has this id' },
    },
    async handler({ req, reply, params }) {
      return sendCacheable(req, reply, reads, async () => {
        const image = await getCatalogImage(deps, params.id);
        if (!image) throw new NotFoundError('There is no image with this id.');
        return { data: { data: presentImage(siteUrl, image) }, tags: [imageTag(image.id)] };
      });
    },
  });
}
