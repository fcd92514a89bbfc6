import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../deps.ts';
import { previewPageFor } from '../domain/desk/article-preview.ts';
import { resolvePreviewLink } from '../domain/desk/preview-links.ts';
import type { RateLimiter } from '../domain/rate-limits/rate-limiter.ts';
import { html } from '../http/html.ts';
import type { SitePages } from './routes.ts';

/** Wrong secrets allowed per address: plenty for a mistyped link, far too few to guess 256 bits. */
const MISSES = { max: 20, windowMs: 15 * 60_000 };

/** Never cached anywhere, never indexed, and the secret URL is never sent on as a referrer. */
const PRIVATE_HEADERS = {
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
  'referrer-policy': 'no-referrer',
  'content-type': 'text/html; charset=utf-8',
};

const NOTICE = html`<div class="preview-notice" role="note">Preview — not published. This page is private; please do not share the link.</div>`;

/**
 * `GET /preview/:secret`: a sharable preview link, opened without an account. The page is the
 * public article page itself (what the newsroom's preview shows), with a notice on top. It is
 * answered here and never through the public cache (nothing calls `cache.serve`), so no reader
 * can be served it. Unknown, expired and revoked secrets get the same 404.
 */
export function registerPreviewLinkRoute(app: FastifyInstance, deps: Deps, site: SitePages, limiter: RateLimiter): void {
  // A route's onSend runs after the app's, which sets the site-wide referrer policy.
  const onSend = async (_req: unknown, reply: FastifyReply, payload: unknown) => {
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  };
  app.get<{ Params: { secret: string } }>('/preview/:secret', { onSend }, async (req, reply) => {
    const bucket = `preview-miss:${req.ip}`;
    const send = (status: number, body: string) => reply.code(status).headers(PRIVATE_HEADERS).send(body);
    const notFound = async (): Promise<FastifyReply> =>
      send(404, (await site.errorPage({ status: 404, message: 'This preview link does not exist, has expired or was revoked.' })).value);
    if (!(await limiter.peek(bucket, MISSES)).ok) {
      return send(429, (await site.errorPage({ status: 429, message: 'Too many wrong preview links; try again later.' })).value);
    }
    const article = await resolvePreviewLink(deps, req.params.secret);
    if (!article) {
      await limiter.consume(bucket, MISSES);
      return notFound();
    }
    let page;
    try {
      page = await previewPageFor(deps, article, { commentsCloseAfterDays: deps.config.comments.closeAfterDays });
    } catch {
      return notFound(); // the story's section is gone: nothing to show, and nothing to tell
    }
    const body = (await site.articlePage(page, req)).value.replace(/<body[^>]*>/, (tag) => `${tag}${NOTICE.value}`);
    return send(200, body);
  });
}
