import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { createLoginThrottle } from '../domain/accounts/login-throttle.ts';
import type { RateLimiter } from '../domain/rate-limits/rate-limiter.ts';
import { resolveSession } from '../domain/accounts/user-sessions.ts';
import { versionedAsset } from '../http/assets.ts';
import { htmlErrorHandler } from '../http/errors.ts';
import { readSessionCookie } from '../http/session-cookie.ts';
import { registerAccountRoutes } from './account-routes.ts';
import { registerCommentModerationRoutes } from './comments-routes.ts';
import { takeFlash } from './flash.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { registerLoginRoutes } from './login-routes.ts';
import { registerCacheStatusRoutes } from './cache-status-routes.ts';
import { registerFrontRoutes } from './front-routes.ts';
import { checkAccess, isTrustedFormPost, mayDeferCsrfToMultipartField, NEWSROOM_COOKIE } from './newsroom-auth.ts';
import { registerUserAdminRoutes } from './user-admin-routes.ts';
import { registerTokenRoutes } from './tokens-routes.ts';
import { registerAlertRoutes } from './alerts-routes.ts';
import { registerStoryRoutes } from './story-routes.ts';
import { registerLiveDeskRoutes } from './live-desk-routes.ts';
import { registerWorkflowScreens } from './workflow-routes.ts';
import { registerWebhookRoutes } from './webhooks-routes.ts';
import { registerTaxonomyRoutes } from './taxonomy-routes.ts';
import { registerEditionRoutes } from './edition-routes.ts';
import { registerTranslationRoutes } from './translation-routes.ts';
import { mediaRoutes } from './media-routes.ts';
import { newsroomErrorView } from './views/error-view.ts';
import { registerPlanningRoutes } from './planning-routes.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';

const FORBIDDEN_MESSAGE = 'Your account does not have access to this page. Ask an administrator if you need it.';
const UNTRUSTED_FORM_MESSAGE = 'This form has expired or did not come from this site. Go back, reload the page and try again.';
/** All a user holding an administrator-issued temporary password may reach until they change it. */
const PASSWORD_CHANGE_PATHS = new Set(['/newsroom/account/password', '/newsroom/logout']);

/**
 * The newsroom under `/newsroom`: sign-in, the dashboard, the user's password and user
 * administration. Register with `app.register(newsroomRoutes(deps, { publicArticlePage, limiter }), { prefix: '/newsroom' })`.
 */
export function newsroomRoutes(
  deps: Deps,
  options: {
    publicArticlePage: NewsroomContext['publicArticlePage'];
    publicFrontPreview?: NewsroomContext['publicFrontPreview'];
    pageCacheStats?: NewsroomContext['pageCacheStats'];
    limiter: RateLimiter;
  },
): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const config = deps.config;
    const throttle = createLoginThrottle(options.limiter);

    await app.register(fastifyCookie);
    await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
    const cssHref = versionedAsset('newsroom.css');

    const ctx: NewsroomContext = {
      deps,
      throttle,
      chrome(req, reply) {
        const s = req.newsroomSession;
        return {
          siteName: config.siteName,
          cssHref,
          ...(s ? { user: { name: s.user.name, role: s.user.role, csrfToken: s.csrfToken } } : {}),
          flash: takeFlash(req, reply, config),
        };
      },
      send(reply, page, status = 200) {
        return reply.code(status).header('content-type', 'text/html; charset=utf-8').send(page.value);
      },
      publicArticlePage: options.publicArticlePage,
      publicFrontPreview: options.publicFrontPreview ?? (async () => null),
      pageCacheStats: options.pageCacheStats ?? (() => null),
    };

    // A guard nobody remembered to write is a start-up error, not an open page.
    app.addHook('onRoute', (route) => {
      if (!route.config?.access) throw new Error(`Newsroom route ${route.method} ${route.url} must declare config.access`);
    });

    app.decorateRequest('newsroomSession', null);
    app.addHook('onRequest', async (req, reply) => {
      req.newsroomSession = await readSessionCookie(req, reply, config, NEWSROOM_COOKIE, (token) => resolveSession(deps, token));
    });

    app.addHook('preHandler', async (req, reply) => {
      const outcome = checkAccess(req, req.routeOptions.config.access ?? 'admin');
      if (outcome.kind === 'login') return reply.redirect(outcome.location, 303);
      // Before the role check too: every page, allowed or not, leads to the password form.
      if (
        req.newsroomSession?.user.mustChangePassword &&
        req.routeOptions.config.access !== 'public' &&
        !PASSWORD_CHANGE_PATHS.has(req.routeOptions.url ?? '')
      ) {
        return reply.redirect('/newsroom/account/password', 303);
      }
      if (outcome.kind === 'forbidden') return ctx.send(reply, newsroomErrorView(ctx.chrome(req, reply), 403, FORBIDDEN_MESSAGE), 403);
      if (req.method !== 'GET' && req.method !== 'HEAD' && !isTrustedFormPost(req, config) && !mayDeferCsrfToMultipartField(req, config)) {
        return ctx.send(reply, newsroomErrorView(ctx.chrome(req, reply), 403, UNTRUSTED_FORM_MESSAGE), 403);
      }
    });

    app.addHook('onSend', async (_req, reply, payload) => {
      // Personal pages: never stored by browsers, proxies or a CDN, never indexed.
      reply.header('cache-control', 'no-store');
      reply.header('x-robots-tag', 'noindex, nofollow');
      return payload;
    });

    registerLoginRoutes(app, ctx);
    registerAccountRoutes(app, ctx);
    registerUserAdminRoutes(app, ctx);
    registerCommentModerationRoutes(app, ctx);
    registerTokenRoutes(app, ctx);
    registerStoryRoutes(app, ctx);
    registerLiveDeskRoutes(app, ctx);
    registerAlertRoutes(app, ctx);
    registerWorkflowScreens(app, ctx);
    registerWebhookRoutes(app, ctx);
    registerTaxonomyRoutes(app, ctx);
    registerEditionRoutes(app, ctx);
    registerTranslationRoutes(app, ctx);
    registerCacheStatusRoutes(app, ctx);
    registerPlanningRoutes(app, ctx);
    registerDashboardRoutes(app, ctx);
    registerFrontRoutes(app, ctx);
    // Not awaited: awaiting here would finish the routes above before the error handler below is set.
    app.register(mediaRoutes(ctx));

    const notFound = (req: FastifyRequest, reply: FastifyReply) =>
      ctx.send(reply, newsroomErrorView(ctx.chrome(req, reply), 404, 'There is no newsroom page at this address.'), 404);
    app.get('/*', { config: { access: 'public' } }, async (req, reply) => notFound(req, reply));
    app.setNotFoundHandler(async (req, reply) => notFound(req, reply));
    app.setErrorHandler(htmlErrorHandler((req, reply, e) => newsroomErrorView(ctx.chrome(req, reply), e.status, e.message).value));
  };
}
