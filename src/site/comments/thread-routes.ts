import type { FastifyInstance } from 'fastify';
import { CHROME_TAG, storyTag } from '../../domain/changes/cache-tags.ts';
import { isCommentSort } from '../../domain/comments/comment.ts';
import { getCommentThread } from '../../domain/comments/comment-thread.ts';
import { NO_STORE } from '../../http/cache-policy.ts';
import { htmlResponse, notFoundResponse, redirectResponse } from '../page-responses.ts';
import { commentThreadView, POSTED_MESSAGES, type PostedCode } from '../views/comments-thread-view.ts';
import { notFoundView } from '../views/front-view.ts';
import type { CommentsContext } from './comments-context.ts';
import { chromeIn } from '../site-chrome.ts';
import { readerLocale } from '../reader-locale.ts';

/**
 * The public discussion page of a story: the same bytes for everyone, no cookies read, so it
 * is served through the public cache, tagged with its story (a comment approved or removed
 * names the story). A reader's own post lands on a fresh `?posted=` URL, never stored.
 */
export function registerThreadRoutes(app: FastifyInstance, ctx: CommentsContext): void {
  const { deps } = ctx;
  app.get<{ Params: { section: string; slug: string }; Querystring: Record<string, unknown> }>(
    '/:section/:slug/comments',
    async (req, reply) =>
      ctx.publicCache.serve(
        req,
        reply,
        async () => {
          const q = req.query ?? {};
          const sort = q.sort === undefined ? 'newest' : q.sort;
          const page = q.page === undefined ? 1 : typeof q.page === 'string' && /^\d{1,4}$/.test(q.page) ? Number(q.page) : NaN;
          const posted = typeof q.posted === 'string' && Object.hasOwn(POSTED_MESSAGES, q.posted) ? (q.posted as PostedCode) : undefined;
          const view = ctx.editions ? await ctx.editions.view(req) : undefined;
          // A language edition names its sections its own way: the thread is found by the section's own slug.
          const section = view ? view.baseSectionSlug(req.params.section) : req.params.section;
          const [siteChrome, result] = await Promise.all([
            ctx.chrome(view),
            isCommentSort(sort) && section !== undefined
              ? getCommentThread(deps, section, req.params.slug, {
                  sort,
                  page,
                  closeAfterDays: deps.config.comments.closeAfterDays,
                })
              : Promise.resolve({ kind: 'not_found' as const }),
          ]);
          if (result.kind === 'redirect') return redirectResponse(result.location, result.articleId);
          if (result.kind === 'not_found') return notFoundResponse(notFoundView(siteChrome));
          const chrome = chromeIn(siteChrome, readerLocale({ story: result.thread.article }));
          const rendered = htmlResponse(
            commentThreadView(chrome, result.thread, { posted, scriptSrc: ctx.scriptSrc }),
            [CHROME_TAG, storyTag(result.thread.article.id)],
            'thread',
          );
          return posted ? { ...rendered, headers: { ...rendered.headers, 'cache-control': NO_STORE } } : rendered;
        },
        { query: ['sort', 'page', 'posted'] },
      ),
  );
}
