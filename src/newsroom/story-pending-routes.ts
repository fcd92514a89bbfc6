import type { FastifyInstance } from 'fastify';
import { discardPendingChange, publishPendingChange } from '../domain/articles/article-pending-change.ts';
import { getPendingReview } from '../domain/desk/article-pending-review.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { baseRevisionFrom } from './story-form.ts';
import { pendingReviewView } from './views/pending-review-view.ts';
import { expectedRevisionField, handleStoryForm, storyIdParam } from './workflow-forms.ts';

/** Staged changes to live stories: the review page, publish (editors) and discard. */
export function registerStoryPendingRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get<{ Params: { id: string } }>('/stories/:id/change', { config: { access: 'contributor' } }, async (req, reply) => {
    const review = await getPendingReview(deps, actorOf(req), storyIdParam(req));
    return ctx.send(reply, pendingReviewView(ctx.chrome(req, reply), review, req.newsroomSession!.csrfToken));
  });

  app.post<{ Params: { id: string } }>('/stories/:id/change/publish', { config: { access: 'editor' } }, async (req, reply) =>
    handleStoryForm(ctx, req, reply, async (id, f) => {
      await publishPendingChange(deps, actorOf(req), id, {
        liveRevision: expectedRevisionField(f),
        pendingRevision: baseRevisionFrom(f.pendingRevision),
      });
      return 'change-published';
    }),
  );

  app.post<{ Params: { id: string } }>('/stories/:id/change/discard', { config: { access: 'contributor' } }, async (req, reply) =>
    handleStoryForm(ctx, req, reply, async (id, f) => {
      await discardPendingChange(deps, actorOf(req), id, baseRevisionFrom(f.pendingRevision));
      return 'change-discarded';
    }),
  );
}
