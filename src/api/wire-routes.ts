import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { auditedApiWrite, type ApiPrincipal } from '../domain/api-tokens/api-token-service.ts';
import { getCatalogArticle, getEditorialArticle } from '../domain/published/catalog-articles.ts';
import { storyTag } from '../domain/changes/cache-tags.ts';
import { NotFoundError } from '../domain/errors.ts';
import { SLUG_RE } from '../domain/slug.ts';
import { importHtmlPage } from '../domain/wire/html-import.ts';
import { articleToNinjs } from '../domain/wire/ninjs-export.ts';
import { importNinjsDocument } from '../domain/wire/ninjs-import.ts';
import { NINJS_VERSIONS } from '../domain/wire/ninjs-schemas.ts';
import { sendCacheable, type ContentReads } from './api-cache.ts';
import { editorialArticleJsonSchema } from './api-json.ts';
import { presentEditorialArticle } from './api-presenters.ts';
import { articleLinks } from './api-editions.ts';
import { idParams } from './api-query.ts';
import type { ApiRouter } from './api-route.ts';

/* Wire copy in (ninjs documents, web pages) and out (ninjs), over the domain's wire services. */

const importTarget = {
  section: z.string().regex(SLUG_RE, 'must be a section slug such as "world"').optional().meta({
    description:
      'Section (slug) for new stories; default: news, then world, then the first. A site with no section yet gets this one (default "news") created, and the import notes say so; an unknown section otherwise is refused with 400',
  }),
  force: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Overwrite even when the stored copy is as new or was edited by the desk' }),
};

const ninjsImportQuery = z.strictObject({
  ...importTarget,
  version: z.enum(NINJS_VERSIONS).optional().meta({ description: 'Validate as this exact ninjs version instead of detecting it' }),
});
const htmlImportQuery = z.strictObject({
  ...importTarget,
  url: z
    .string()
    .max(2048)
    .optional()
    .meta({ description: 'The page’s address: resolves relative links and identifies the page for re-imports' }),
});
const ninjsDocument = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A ninjs 1.x, 2.x or 3.x document, validated against the official IPTC schema of its version' });
const exportQuery = z.strictObject({
  version: z.enum(['2', '3']).default('3').meta({ description: 'ninjs 2.2 (`2`) or 3.1 (`3`, default)' }),
});

const importResult = (extra: z.ZodRawShape) =>
  z.strictObject({
    data: editorialArticleJsonSchema,
    import: z.strictObject({ status: z.enum(['created', 'updated']), changed: z.boolean(), notes: z.array(z.string()), ...extra }),
  });

export function registerWireRoutes(router: ApiRouter, deps: Deps, reads: ContentReads): void {
  const siteUrl = deps.config.siteUrl;
  const present = async (p: ApiPrincipal, id: string) => {
    const article = await getEditorialArticle(deps, p.actor, id);
    return presentEditorialArticle(siteUrl, article, (await articleLinks(deps, [article]))(article));
  };

  router.route({
    method: 'POST',
    url: '/v1/admin/import/ninjs',
    operationId: 'adminImportNinjs',
    summary: 'Import a ninjs document as a draft (or update the draft an earlier import of its uri made)',
    description:
      'Needs an author token or higher. Never publishes. Pictures are imported only when their bytes are available (remote renditions are never fetched).',
    tags: ['admin'],
    auth: 'admin',
    query: ninjsImportQuery,
    body: { contentTypes: ['application/json'], schema: ninjsDocument },
    responses: {
      201: {
        description: 'A new draft',
        schema: importResult({
          ninjsVersion: z.string(),
          missingPictures: z.array(z.object({ name: z.string(), href: z.string().nullable(), caption: z.string(), credit: z.string() })),
        }),
      },
      200: { description: 'The earlier import was updated (or kept: `changed` false)' },
    },
    async handler({ reply, query, body, principal }) {
      const p = principal!;
      const result = await auditedApiWrite(
        deps,
        p,
        (tx) =>
          importNinjsDocument(tx, p.actor, body, {
            schemaVersion: query.version,
            sectionSlug: query.section,
            force: query.force === 'true',
          }),
        (r) => ({
          action: 'article.imported',
          subjectType: 'article',
          subjectId: r.article.id,
          details: { kind: 'ninjs', status: r.status, changed: r.changed },
        }),
      );
      reply.code(result.status === 'created' ? 201 : 200).header('cache-control', 'no-store');
      return {
        data: await present(p, result.article.id),
        import: {
          status: result.status,
          changed: result.changed,
          notes: result.notes,
          ninjsVersion: result.ninjsVersion,
          missingPictures: result.missingPictures,
        },
      };
    },
  });

  router.route({
    method: 'POST',
    url: '/v1/admin/import/html',
    operationId: 'adminImportHtml',
    summary: 'Import a web page (its article text, cleaned) as a draft',
    description: 'Needs an author token or higher. Send the page itself as text/html.',
    tags: ['admin'],
    auth: 'admin',
    query: htmlImportQuery,
    body: { contentTypes: ['text/html'], binaryDescription: 'The whole HTML page' },
    responses: {
      201: { description: 'A new draft', schema: importResult({ metadata: z.record(z.string(), z.unknown()) }) },
      200: { description: 'The earlier import of this URL was updated' },
    },
    async handler({ req, reply, query, principal }) {
      const p = principal!;
      const result = await auditedApiWrite(
        deps,
        p,
        (tx) =>
          importHtmlPage(tx, p.actor, String(req.body ?? ''), {
            url: query.url,
            sectionSlug: query.section,
            force: query.force === 'true',
          }),
        (r) => ({
          action: 'article.imported',
          subjectType: 'article',
          subjectId: r.article.id,
          details: { kind: 'html', status: r.status, changed: r.changed },
        }),
      );
      reply.code(result.status === 'created' ? 201 : 200).header('cache-control', 'no-store');
      return {
        data: await present(p, result.article.id),
        import: { status: result.status, changed: result.changed, notes: result.notes, metadata: { ...result.metadata } },
      };
    },
  });

  router.route({
    method: 'GET',
    url: '/v1/articles/:id/ninjs',
    operationId: 'getArticleNinjs',
    summary: 'One published article as a ninjs 2.2 or 3.1 document',
    tags: ['content'],
    auth: 'content',
    params: idParams,
    query: exportQuery,
    responses: {
      200: { description: 'The ninjs document', schema: z.record(z.string(), z.unknown()) },
      404: { description: 'No published article has this id' },
    },
    async handler({ req, reply, params, query }) {
      return sendCacheable(req, reply, reads, async () => {
        // The exporter works on any story; the Content API shows only published ones.
        if (!(await getCatalogArticle(deps, params.id))) throw new NotFoundError('There is no published article with this id.');
        return { data: await articleToNinjs(deps, params.id, query.version), tags: [storyTag(params.id)] };
      });
    },
  });
}
