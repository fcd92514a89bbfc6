import http from 'node:http';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Deps } from './deps.ts';
import { PUBLIC_DIR } from './http/assets.ts';
import { htmlErrorHandler, sendHtmlError } from './http/errors.ts';
import { createPublicCache } from './http/public-cache.ts';
import type { PageCacheStats } from './http/page-cache.ts';
import { compressStaticAssets } from './http/static-compression.ts';
import { applySecurityHeaders, registerSecurityHeaders } from './http/security-headers.ts';
import { createFallbackRateLimiter, createMemoryRateLimiter, type RateLimiter } from './domain/rate-limits/rate-limiter.ts';
import { createRedisRateLimiter } from './domain/rate-limits/rate-limiter-redis.ts';
import { commentsRoutes } from './site/comments/comments-routes.ts';
import { registerFeedRoutes } from './site/feeds/feed-routes.ts';
import { apiRoutes, sendMalformedApiUrl } from './api/api-routes.ts';
import { newsroomRoutes } from './newsroom/newsroom-routes.ts';
import { registerSiteRoutes, type SitePages } from './site/routes.ts';
import { registerHealthRoute } from './http/health.ts';
import { registerStoreMediaRoute } from './http/media-route.ts';
import { registerReadinessRoutes, type WatchedLoop } from './http/readiness.ts';
import { REQUEST_ID_HEADER, registerRequestIdHeader, requestIdFor } from './http/request-id.ts';
import { instrumentApp, registerMetricsRoute, type AppMetrics } from './http/metrics.ts';
import { countingRefusals } from './domain/rate-limits/rate-limit-refusals.ts';
import { createStreamHub } from './http/event-stream.ts';
import { registerLiveRoutes } from './site/live-routes.ts';
import { createEditionRouting } from './site/reader-edition.ts';
import { registerAlertRoutes } from './site/alert-routes.ts';
import { registerPreviewLinkRoute } from './site/preview-link-route.ts';

const YEAR = 365 * 24 * 3600;

declare module 'fastify' {
  interface FastifyInstance {
    /** This node's page cache counters and memory use (null when it is off), for operators and benchmarks. */
    pageCacheStats(): PageCacheStats | null;
    /** Prometheus metrics, when MASTHEAD_METRICS_TOKEN or MASTHEAD_METRICS_PORT is set (main.ts serves the port). */
    metrics: AppMetrics | null;
  }
}

/** Builds the HTTP application without listening, so tests can inject requests. */
export async function buildApp(
  deps: Deps,
  options: {
    logger?: FastifyBaseLogger;
    /** Background loops `/health/ready` requires running, by name (main.ts: the scheduler and the webhook worker). */
    loops?: Readonly<Record<string, WatchedLoop>>;
  } = {},
): Promise<FastifyInstance> {
  // This node's cache of anonymous public responses. Every committed change, made here or heard
  // from another node, drops exactly the entries carrying its tags. It starts empty: a cold
  // start renders on demand. Stories that become visible by time alone are announced as
  // changes by the scheduler's tick (domain/changes/story-visibility-start.ts).
  // Language editions: a request's edition is chosen (and its path prefix dropped) before
  // routing, so the editions are read first; the page cache keys an edition's own host apart.
  const editions = createEditionRouting(deps);
  await editions.load().catch(() => undefined);
  const publicCache = createPublicCache(deps.config.pageCacheBytes, (req) => editions.cacheScope(req));
  const app = Fastify({
    // Plain cache hits are answered before Fastify routes the request (public-cache `serveHit`);
    // the server is otherwise set up exactly as Fastify would set it up itself.
    serverFactory: (handler, opts) => {
      const server = http.createServer((req, res) => {
        // A live stream is never a cache hit; it goes straight to its route.
        if (isEventStreamRequest(req) || !publicCache.serveHit(req, res)) handler(req, res);
      });
      // Fastify has filled in its defaults by now (keep-alive 72 s, no request or idle timeout).
      server.keepAliveTimeout = Number(opts.keepAliveTimeout);
      server.requestTimeout = Number(opts.requestTimeout);
      server.setTimeout(Number(opts.connectionTimeout));
      return server;
    },
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Per-request access logs cost more than a page render; errors are still logged.
    trustProxy: deps.config.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    // A proxy's sane X-Request-Id, else a new UUID (http/request-id.ts); on every log line as reqId.
    genReqId: requestIdFor,
    requestIdHeader: false,
    // Malformed URLs (bad percent-encoding) are a reader's typo, not a server fault.
    // Fastify answers these before routing, so onSend hooks do not run: set headers here.
    frameworkErrors: (_err, req, reply) => {
      reply.header(REQUEST_ID_HEADER, req.id);
      if (req.url.startsWith('/api/')) return void sendMalformedApiUrl(req, reply as unknown as FastifyReply);
      void site.errorPage({ status: 404, message: '' }).then((page) => {
        reply.header('content-type', 'text/html; charset=utf-8');
        applySecurityHeaders(reply);
        sendHtmlError(reply, { status: 404 }, page.value);
      });
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    rewriteUrl: (req) => editions.rewriteUrl(req),
    // While shutting down, a request that still arrives on an open keep-alive connection is
    // answered normally (with Connection: close) rather than with Fastify's own JSON 503:
    // every response goes through our pages, and a rolling restart drops nothing.
    return503OnClosing: false,
  });
  registerSecurityHeaders(app);
  registerRequestIdHeader(app);
  // One structured line per routed request (info: LOG_LEVEL=warn drops them), after Fastify's
  // own per-request pair was turned off as too costly; it carries the request id as reqId.
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info(
      // The path without its query, which may carry a secret (an email verification token).
      {
        method: req.method,
        path: req.url.split('?', 1)[0],
        route: req.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    done();
  });
  // Before any route, so every route inherits the request histogram's hook. Off (no hook at
  // all) unless an operator asked for metrics.
  const metricsConfig = deps.config.metrics;
  const metrics =
    metricsConfig.token !== undefined || metricsConfig.port !== undefined ? instrumentApp(app, deps, () => publicCache.stats()) : null;
  app.decorate('metrics', metrics);
  // Before any route: Fastify gives a route the error handler in force when the route is
  // added, so one set at the end would leave /health, the feeds and the site's pages with
  // Fastify's default JSON 500 (and the driver's words). The site's page draws itself without
  // the database when that is what failed.
  let site: SitePages;
  app.setErrorHandler(htmlErrorHandler(async (_req, _reply, e) => (await site.errorPage(e)).value));
  app.setNotFoundHandler(async (req, reply) => site.notFound(reply, req));

  // In a context of its own, so the compression hook touches static assets only.
  await app.register(async (assets) => {
    compressStaticAssets(assets);
    await assets.register(fastifyStatic, {
      root: PUBLIC_DIR,
      prefix: '/static/',
      index: false,
      setHeaders: (res) => res.header('cache-control', `public, max-age=${YEAR}, immutable`),
    });
  });
  // Local media straight from disk (streamed, as fast as static assets); any other store is
  // read through, so every node serves every upload.
  if (deps.config.mediaStore.kind !== 'local') registerStoreMediaRoute(app, deps.mediaStore);
  else
    await app.register(fastifyStatic, {
      root: deps.config.mediaDir,
      prefix: '/media/',
      decorateReply: false,
      index: false,
      // Originals keep the photo's embedded metadata (GPS too): newsroom only, see media-routes.ts.
      allowedPath: (pathName) => !/\/original\.[a-z0-9]+$/i.test(pathName),
      // Rendition file names never change content: a new upload gets a new key.
      setHeaders: (res) => res.header('cache-control', `public, max-age=${YEAR}, immutable`),
    });

  registerHealthRoute(app, deps);
  registerReadinessRoutes(app, deps, { loops: options.loops });
  if (metrics && metricsConfig.token !== undefined) registerMetricsRoute(app, metrics, metricsConfig.token);

  // One limiter for every abuse defence (newsroom and reader sign-in, comments), so one Redis
  // connection and one fall-back serve them all.
  const shared = createRateLimiter(deps, app.log);
  const limiter = metrics ? countingRefusals(shared, metrics.rateLimitRefused) : shared;
  app.addHook('onClose', async () => limiter.close());

  app.decorate('pageCacheStats', () => publicCache.stats());
  // A clear (demo or bulk load, a lost or restored channel) drops everything; else exactly the tags.
  const unsubscribe = deps.changes.subscribe((change) => (change.clear ? publicCache.clear() : void publicCache.purge(change.tags)));
  app.addHook('onClose', async () => unsubscribe());
  // Live-blog streams of this node: every change naming live stories (made here or heard from
  // another node) makes their open streams read what is new; a clear makes every stream read.
  const liveStreams = createStreamHub(deps.config.liveMaxStreams);
  const unsubscribeLive = deps.changes.subscribe((change) =>
    change.clear ? liveStreams.nudgeAll() : change.liveStories?.length ? liveStreams.nudge(change.liveStories) : undefined,
  );
  // Streams end before the server drains, so a shutdown is not held up by open readers (they reconnect elsewhere).
  app.addHook('preClose', async () => liveStreams.closeAll());
  app.addHook('onClose', async () => unsubscribeLive());

  app.addHook('onClose', async () => editions.close());
  registerFeedRoutes(app, deps, publicCache, editions);
  await app.register(commentsRoutes(deps, { limiter, publicCache, editions }));
  site = registerSiteRoutes(app, deps, publicCache, editions);
  registerLiveRoutes(app, deps, publicCache, liveStreams);
  registerAlertRoutes(app, deps, liveStreams, editions);
  registerPreviewLinkRoute(app, deps, site, limiter);
  await app.register(
    newsroomRoutes(deps, {
      publicArticlePage: site.articlePage,
      publicFrontPreview: site.frontPreview,
      pageCacheStats: () => publicCache.stats(),
      limiter,
    }),
    {
      prefix: '/newsroom',
    },
  );
  await app.register(apiRoutes(deps, { publicCache, limiter }), { prefix: '/api' });
  return app;
}

/** A live blog's stream (`/<section>/<slug>/live`, text/event-stream): answered by its route, never from the cache. */
function isEventStreamRequest(req: http.IncomingMessage): boolean {
  return req.headers.accept === 'text/event-stream' || (req.url !== undefined && /^\/[^/?]+\/[^/?]+\/live(?:\?|$)/.test(req.url));
}

/** Redis shared by every node when configured (memory while it fails), memory otherwise. */
function createRateLimiter(deps: Deps, log: FastifyBaseLogger): RateLimiter {
  const url = deps.config.redisUrl;
  if (!url) return createMemoryRateLimiter();
  return createFallbackRateLimiter(
    createRedisRateLimiter({ url, onError: (err) => log.warn({ err }, 'Redis error (rate limits)') }),
    createMemoryRateLimiter(),
    (err) => log.error({ err }, 'Redis unavailable: rate limits and login throttling fall back to this node only'),
  );
}
