import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { EditionRouting } from '../reader-edition.ts';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { RateLimiter } from '../../domain/rate-limits/rate-limiter.ts';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors.ts';
import { resolveReaderSession } from '../../domain/readers/reader-sessions.ts';
import { versionedAsset } from '../../http/assets.ts';
import { errorReply, publicErrorFor, sendHtmlError } from '../../http/errors.ts';
import type { PublicCache } from '../../http/public-cache.ts';
import { readSessionCookie } from '../../http/session-cookie.ts';
import { chromeForErrors, createChromeLoader } from '../site-chrome.ts';
import { messageView } from '../views/comments-reader-view.ts';
import { registerCommentActionRoutes } from './comment-action-routes.ts';
import type { CommentsContext } from './comments-context.ts';
import { isTrustedReaderPost, READER_COOKIE, wantsJson } from './reader-auth.ts';
import { registerReaderRoutes } from './reader-routes.ts';
import { registerThreadRoutes } from './thread-routes.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which CSRF token a reader POST carries: the session's (default) or the pre-session form cookie's. */
    readerCsrf?: 'session' | 'form';
  }
}

const UNTRUSTED = 'This form has expired or did not come from this site. Go back, reload the page and try again.';

/**
 * Reader comments: the public thread at `/{section}/{slug}/comments` (cacheable, no cookies)
 * and the reader pages and actions under `/comments` (personal, never cached).
 * Register with `app.register(commentsRoutes(deps, { limiter, publicCache }))`.
 */
export function commentsRoutes(
  deps: Deps,
  options: { limiter: RateLimiter; publicCache: PublicCache; editions?: EditionRouting },
): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const config = deps.config;
    const { limiter } = options;
    const chrome = createChromeLoader(deps);
    // Error pages draw without the database when that is what failed.
    const errorChrome = chromeForErrors(chrome, deps.config);
    const ctx: CommentsContext = {
      deps,
      limiter,
      commentDeps: () => ({
        db: deps.db,
        clock: deps.clock,
        mailer: deps.mailer,
        limiter,
        rules: config.comments,
        siteUrl: config.siteUrl,
        changes: deps.changes,
        logger: deps.logger,
      }),
      chrome,
      scriptSrc: versionedAsset('comments.js'),
      publicCache: options.publicCache,
      ...(options.editions ? { editions: options.editions } : {}),
      send: (reply, page, status = 200) => reply.code(status).header('content-type', 'text/html; charset=utf-8').send(page.value),
    };

    // The public thread page lives outside the cookie-reading context.
    registerThreadRoutes(app, ctx);

    await app.register(async (readerApp) => {
      await readerApp.register(fastifyCookie);
      await readerApp.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
      readerApp.decorateRequest('readerSession', null);

      readerApp.addHook('onRequest', async (req, reply) => {
        req.readerSession = await readSessionCookie(req, reply, config, READER_COOKIE, (token) => resolveReaderSession(deps, token));
      });

      readerApp.addHook('preHandler', async (req, reply) => {
        if (req.method === 'GET' || req.method === 'HEAD') return;
        const mode = req.routeOptions.config.readerCsrf ?? 'session';
        if (mode === 'session' && !req.readerSession) {
          if (wantsJson(req)) throw new UnauthorizedError('Sign in to comment.');
          return reply.redirect('/comments/signin', 303);
        }
        if (!isTrustedReaderPost(req, config, mode)) {
          if (wantsJson(req)) throw new ForbiddenError(UNTRUSTED);
          const c = await chrome();
          return ctx.send(reply, messageView(c, c.m.text('error.didNotWork'), c.m.text('reader.untrusted')), 403);
        }
      });

      readerApp.addHook('onSend', async (_req, reply, payload) => {
        // Personal pages and answers: never stored by browsers, proxies or a CDN, never indexed.
        reply.header('cache-control', 'private, no-store');
        reply.header('x-robots-tag', 'noindex, nofollow');
        return payload;
      });

      readerApp.setErrorHandler(async (err, req, reply) => {
        const e = publicErrorFor(req, err);
        if (wantsJson(req)) return errorReply(reply, e).send({ error: e.message });
        const { status } = e;
        const c = await errorChrome();
        const title = c.m.text(
          status === 404
            ? 'error.notFound'
            : status === 403
              ? 'error.notAllowed'
              : status === 429
                ? 'error.slowDown'
                : status === 503
                  ? 'error.unavailable'
                  : status >= 500
                    ? 'error.serverTitle'
                    : 'error.didNotWork',
        );
        return sendHtmlError(reply, e, messageView(c, title, e.message, { href: '/', label: c.m.text('error.frontLink') }).value);
      });

      registerReaderRoutes(readerApp, ctx);
      registerCommentActionRoutes(readerApp, ctx);
    });
  };
}
