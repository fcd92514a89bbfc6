import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { DomainError, NotFoundError } from '../domain/errors.ts';
import { toPublicError } from '../http/errors.ts';
import { createPublicCache, type PublicCache } from '../http/public-cache.ts';
import { apiAuthenticator } from './api-auth.ts';
import { apiRateCheck } from './api-rate-limit.ts';
import type { RateLimiter } from '../domain/rate-limits/rate-limiter.ts';
import { sendApiError } from './api-errors.ts';
import { createApiRouter, type ApiRouter } from './api-route.ts';
import { registerAdminArticleRoutes } from './admin-article-routes.ts';
import { registerAdminFrontRoutes } from './admin-front-routes.ts';
import { IMAGE_TYPES, registerAdminImageRoutes } from './admin-image-routes.ts';
import { registerContentRoutes } from './content-routes.ts';
import { registerContentLiveRoutes } from './content-live-routes.ts';
import { registerSearchRoutes } from './search-routes.ts';
import { registerWireRoutes } from './wire-routes.ts';
import { MAX_HTML_BYTES } from '../domain/wire/html-import.ts';
import { buildOpenApiDocument } from './openapi.ts';

export const API_PREFIX = '/api';
/** JSON request bodies (articles) may be this large. */
const JSON_BODY_LIMIT = 4 * 1024 * 1024;

/**
 * The JSON APIs under `/api`: the Content API, the Admin API and the OpenAPI document.
 * Register with `app.register(apiRoutes(deps), { prefix: '/api' })`. Everything in here,
 * errors included, answers JSON in one shape; the route groups only declare routes.
 */
export function apiRoutes(
  deps: Deps,
  options: { onRouter?: (router: ApiRouter) => void; publicCache?: PublicCache; limiter?: RateLimiter } = {},
): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const maxUploadBytes = Math.floor(deps.config.maxUploadMb * 1024 * 1024);
    // Only the body types the routes declare; the router answers 415 for anything else.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT },
      app.getDefaultJsonParser('error', 'error'),
    );
    app.addContentTypeParser(IMAGE_TYPES, { parseAs: 'buffer', bodyLimit: maxUploadBytes }, (_req, body, done) => done(null, body));
    app.addContentTypeParser('text/html', { parseAs: 'string', bodyLimit: MAX_HTML_BYTES }, (_req, body, done) => done(null, body));
    await app.register(fastifyMultipart, { limits: { fileSize: maxUploadBytes, files: 1, fields: 10, fieldSize: 4096 } });

    // Without the app's limiter (a bare API in tests), no rate limit.
    const rateCheck = options.limiter ? apiRateCheck(options.limiter, deps.config.apiRateLimits) : undefined;
    const router = createApiRouter(app, API_PREFIX, apiAuthenticator(deps), rateCheck);
    // Without the app's cache (a bare API in tests), reads are still compressed and tagged, never kept.
    const reads = { config: deps.config, publicCache: options.publicCache ?? createPublicCache(0) };
    registerContentRoutes(router, deps, reads);
    registerContentLiveRoutes(router, deps, reads);
    registerSearchRoutes(router, deps, reads);
    registerAdminArticleRoutes(router, deps);
    registerAdminImageRoutes(router, deps);
    registerAdminFrontRoutes(router, deps);
    registerWireRoutes(router, deps, reads);
    options.onRouter?.(router);

    let document: string | undefined;
    app.get('/openapi.json', async (_req, reply) => {
      document ??= JSON.stringify(buildOpenApiDocument(router.operations, { title: deps.config.siteName, serverUrl: deps.config.siteUrl }));
      return reply.header('cache-control', 'public, max-age=300').type('application/json; charset=utf-8').send(document);
    });

    // Unknown /api addresses must not fall through to the site's `/:section/:slug` pages.
    const notFound = () => new NotFoundError('There is no API endpoint at this address. The list is at /api/openapi.json.');
    app.all('/*', async () => {
      throw notFound();
    });
    app.all('/', async () => {
      throw notFound();
    });
    app.setNotFoundHandler(async (req, reply) => sendApiError(req, reply, notFound()));
    // Fastify's "body too large" does not name the limit; ours does.
    const tooLarge = `The request body is too large: images can be at most ${deps.config.maxUploadMb} MB, JSON bodies ${JSON_BODY_LIMIT / 1024 / 1024} MB.`;
    app.setErrorHandler(async (err, req, reply) =>
      sendApiError(
        req,
        reply,
        !(err instanceof DomainError) && toPublicError(err).status === 413 ? Object.assign(new Error(tooLarge), { statusCode: 413 }) : err,
      ),
    );
  };
}

/** Fastify refuses malformed URLs before routing; under /api they still get the JSON error shape. */
export function sendMalformedApiUrl(req: FastifyRequest, reply: FastifyReply): void {
  sendApiError(req, reply, Object.assign(new Error('This address is malformed (bad percent-encoding).'), { statusCode: 400 }));
}
