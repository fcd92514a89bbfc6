import type { FastifyInstance } from 'fastify';
import { isCommentSort } from '../../domain/comments/comment.ts';
import { getCommentThread } from '../../domain/comments/comment-thread.ts';
import { commentThreadView, POSTED_MESSAGES, type PostedCode } from '../views/comments-thread-view.ts';
import { notFoundView } from '../views/front-view.ts';
import type { CommentsContext } from './comments-context.ts';

// Shared caches may keep a thread briefly; a reader's own post lands on a fresh `?posted=` URL.
const THREAD_CACHE_CONTROL = 'public, max-age=15, stale-while-revalidate=30';

/** The public discussion page of a story: the same bytes for everyone, no cookies read. */
export function registerThreadRoutes(app: FastifyInstance, ctx: CommentsContext): void {
  const { deps } = ctx;
  app.get<{ Params: { section: string; slug: string }; Querystring: Record<string, unknown> }>(
    '/:section/:slug/comments',
    async (req, reply) => {
      const q = req.query ?? {};
      const sort = q.sort === undefined ? 'newest' : q.sort;
      const page = q.page === undefined ? 1 : typeof q.page === 'string' && /^\d{1,4}$/.test(q.page) ? Number(q.page) : NaN;
      const posted = typeof q.posted === 'string' && Object.hasOwn(POSTED_MESSAGES, q.posted) ? (q.posted as PostedCode) : undefined;
      const [chrome, result] = await Promise.all([
        ctx.chrome(),
        isCommentSort(sort)
          ? getCommentThread(deps, req.params.section, req.params.slug, { sort, page, closeAfterDays: deps.config.comments.closeAfterDays })
          : Promise.resolve({ kind: 'not_found' as const }),
      ]);
      if (result.kind === 'redirect') return reply.code(301).header('cache-control', 'public, max-age=300').redirect(result.location, 301);
      if (result.kind === 'not_found') return ctx.send(reply.header('cache-control', 'no-store'), notFoundView(chrome), 404);
      return ctx.send(
        reply.header('cache-control', posted ? 'no-store' : THREAD_CACHE_CONTROL),
        commentThreadView(chrome, result.thread, { posted, scriptSrc: ctx.scriptSrc }),
      );
    },
  );
}
