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

/** What every link that does not open a story says. */
export const PREVIEW_GONE_MESSAGE =
  'This preview link no longer works: it has expired, was revoked, or never existed. Ask whoever shared it for a new one.';

const NOTICE = html`<div class="preview-notice" role="note">Preview — not published. This page is private; please do not share the link.</div>`;

const NOINDEX_META = '<meta name="robots" content="noindex, nofollow">';

/**
 * The public article page made a private preview: the notice first in the body, and the
 * page's own robots meta (an article's asks for large image previews) replaced by noindex, so
 * the page says what its X-Robots-Tag header says even when saved or shown without headers.
 */
function asPrivatePreview(page: string): string {
  const robots = /<meta name="robots" content="[^"]*">/;
  const head = robots.test(page) ? page.replace(robots, NOINDEX_META) : page.replace('</head>', `${NOINDEX_META}</head>`);
  return head.replace(/<body[^>]*>/, (tag) => `${tag}${NOTICE.value}`);
}

/**
 * `GET /preview/:secret`: a sharable preview link, opened without an account. The page is the
 * public article page itself (what the newsroom's preview shows), with a notice on top. It is
 * answered here and never through the public cache (nothing calls `cache.serve`), so no reader
 * can be served it. Unknown, expired and revoked secrets get the same 410 page saying so.
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
    // 410 Gone with the reason (the site's 404 page would only say "page not found"), the same
    // for a secret that never existed: a wrong guess learns nothing a right one would not.
    const gone = async (): Promise<FastifyReply> => send(410, (await site.errorPage({ status: 410, message: PREVIEW_GONE_MESSAGE })).value);
    if (!(await limiter.peek(bucket, MISSES)).ok) {
      return send(429, (await site.errorPage({ status: 429, message: 'Too many wrong preview links; try again later.' })).value);
    }
    const article = await resolvePreviewLink(deps, req.params.secret);
    if (!article) {
      await limiter.consume(bucket, MISSES);
      return gone();
    }
    let page;
    try {
      page = await previewPageFor(deps, article, { commentsCloseAfterDays: deps.config.comments.closeAfterDays });
    } catch {
      return gone(); // the story's section is gone: nothing to show, and nothing to tell
    }
    return send(200, asPrivatePreview((await site.articlePage(page, req)).value));
  });
}
