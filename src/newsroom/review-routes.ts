import type { FastifyInstance } from 'fastify';
import { listReviewQueue, listScheduled } from '../domain/desk/article-desk.ts';
import { listPendingChanges } from '../domain/desk/article-pending-review.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { reviewQueueView, scheduledView } from './views/review-view.ts';

/** The editors' desk lists: stories waiting for review, and stories scheduled to go out. */
export function registerReviewRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get('/review', { config: { access: 'editor' } }, async (req, reply) => {
    const [items, changes] = await Promise.all([listReviewQueue(deps, actorOf(req)), listPendingChanges(deps, actorOf(req))]);
    return ctx.send(reply, reviewQueueView(ctx.chrome(req, reply), { items, changes }));
  });

  app.get('/scheduled', { config: { access: 'editor' } }, async (req, reply) => {
    const items = await listScheduled(deps, actorOf(req));
    return ctx.send(reply, scheduledView(ctx.chrome(req, reply), { items, now: deps.clock() }));
  });
}
