import type { FastifyInstance } from 'fastify';
import { WORKFLOW_ACTION_TYPES } from '../domain/articles/article-policy.ts';
import type { WorkflowAction } from '../domain/articles/article-workflow.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import { setEmbargo } from '../domain/articles/article-embargo.ts';
import { addNote, NOTE_KINDS } from '../domain/articles/article-notes.ts';
import { deleteArticle } from '../domain/articles/article-delete.ts';
import { setFlash } from './flash.ts';
import { ValidationError } from '../domain/errors.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { registerAuditRoutes } from './audit-routes.ts';
import { registerHistoryRoutes } from './history-routes.ts';
import { registerReviewRoutes } from './review-routes.ts';
import { expectedRevisionField, handleStoryForm, storyIdParam } from './workflow-forms.ts';
import { formFields } from '../http/form-security.ts';
import { workflowErrorView } from './views/workflow-error-view.ts';
import { parseZonedTime } from './workflow-time.ts';

/*
 * The editorial workflow screens: story actions (POST-redirect-GET back to the story),
 * history, the review queue, scheduled stories and the audit log. One call registers them.
 */
export function registerWorkflowScreens(app: FastifyInstance, ctx: NewsroomContext): void {
  registerWorkflowRoutes(app, ctx);
  registerHistoryRoutes(app, ctx);
  registerReviewRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
}

function parseAction(f: Record<string, string>): WorkflowAction {
  const type = f.action;
  if (!type || !(WORKFLOW_ACTION_TYPES as readonly string[]).includes(type)) {
    throw new ValidationError(`action: choose one of ${WORKFLOW_ACTION_TYPES.join(', ')}.`, [
      { path: 'action', message: 'unknown action' },
    ]);
  }
  if (type === 'schedule') return { type, at: parseZonedTime(f.at ?? '', f.tz || 'UTC', 'at') };
  return { type } as WorkflowAction;
}

function registerWorkflowRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  // Contributors submit their own drafts; the domain decides everything finer than that.
  app.post<{ Params: { id: string } }>('/stories/:id/workflow', { config: { access: 'contributor' } }, async (req, reply) =>
    handleStoryForm(ctx, req, reply, async (id, f) => {
      const action = parseAction(f);
      await runWorkflowAction(deps, id, action, actorOf(req), expectedRevisionField(f));
      return `story-${action.type}`;
    }),
  );

  app.post<{ Params: { id: string } }>('/stories/:id/embargo', { config: { access: 'author' } }, async (req, reply) =>
    handleStoryForm(ctx, req, reply, async (id, f) => {
      const lift = f.lift === '1';
      const until = lift ? null : parseZonedTime(f.at ?? '', f.tz || 'UTC', 'at');
      await setEmbargo(deps, id, until, actorOf(req), expectedRevisionField(f));
      return lift ? 'embargo-lifted' : 'embargo-set';
    }),
  );

  app.post<{ Params: { id: string } }>('/stories/:id/notes', { config: { access: 'author' } }, async (req, reply) =>
    handleStoryForm(ctx, req, reply, async (id, f) => {
      const kind = NOTE_KINDS.find((k) => k === f.kind);
      if (!kind) throw new ValidationError('kind: choose Update or Correction.', [{ path: 'kind', message: 'required' }]);
      await addNote(deps, id, { kind, text: f.text ?? '' }, actorOf(req), expectedRevisionField(f));
      return `note-${kind}`;
    }),
  );

  // Deleting is for good (history and comments go too), so the form must say so explicitly.
  app.post<{ Params: { id: string } }>('/stories/:id/delete', { config: { access: 'editor' } }, async (req, reply) => {
    const id = storyIdParam(req);
    if (formFields(req).confirm !== '1') {
      const message = 'Tick the box to confirm that the story should be deleted for good. Nothing was deleted.';
      return ctx.send(reply, workflowErrorView(ctx.chrome(req, reply), 400, message, `/newsroom/stories/${id}`), 400);
    }
    await deleteArticle(deps, actorOf(req), id);
    setFlash(reply, deps.config, 'story-deleted');
    return reply.redirect('/newsroom/stories', 303);
  });
}
