import type { FastifyInstance } from 'fastify';
import { roleAtLeast } from '../domain/accounts/access.ts';
import { compareRevisions } from '../domain/desk/article-compare.ts';
import { getStoryHistory } from '../domain/desk/article-desk.ts';
import { restoreRevision } from '../domain/articles/article-workflow-service.ts';
import { ValidationError } from '../domain/errors.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { historyDiffView } from './views/history-diff-view.ts';
import { historyView } from './views/history-view.ts';
import { expectedRevisionField, handleStoryForm, storyIdParam } from './workflow-forms.ts';

function revisionNumber(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw new ValidationError(`${field}: choose a revision number (1 or more).`, [{ path: field, message: 'not a revision number' }]);
  }
  return n;
}

export function registerHistoryRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get<{ Params: { id: string } }>('/stories/:id/history', { config: { access: 'contributor' } }, async (req, reply) => {
    const actor = actorOf(req);
    const history = await getStoryHistory(deps, actor, storyIdParam(req));
    return ctx.send(
      reply,
      historyView(ctx.chrome(req, reply), {
        history,
        actor,
        csrfToken: req.newsroomSession!.csrfToken,
        mayRestore: roleAtLeast(actor.role, 'editor'),
        now: deps.clock(),
      }),
    );
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
    '/stories/:id/history/diff',
    { config: { access: 'contributor' } },
    async (req, reply) => {
      const id = storyIdParam(req);
      const from = revisionNumber(req.query.from, 'from');
      const to = revisionNumber(req.query.to, 'to');
      const comparison = await compareRevisions(deps, actorOf(req), id, from, to);
      return ctx.send(reply, historyDiffView(ctx.chrome(req, reply), comparison));
    },
  );

  app.post<{ Params: { id: string; revision: string } }>(
    '/stories/:id/history/:revision/restore',
    { config: { access: 'editor' } },
    async (req, reply) =>
      handleStoryForm(ctx, req, reply, async (id, f) => {
        await restoreRevision(deps, id, revisionNumber(req.params.revision, 'revision'), expectedRevisionField(f), actorOf(req));
        return 'revision-restored';
      }),
  );
}
