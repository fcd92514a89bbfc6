import type { FastifyInstance, FastifyRequest } from 'fastify';
import { compareConflictCopy, resolveConflictCopy } from '../domain/desk/article-conflict-copies.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { baseRevisionFrom } from './story-form.ts';
import { storyConflictView } from './views/story-conflict-view.ts';

type Params = { Params: { id: string; copyId: string } };

function ids(req: FastifyRequest<Params>): { id: string; copyId: string } {
  if (!isId(req.params.id) || !isId(req.params.copyId)) throw new NotFoundError('There is no such kept version.');
  return req.params;
}

/** A refused save, kept: compare it with the latest, then take it over the latest or let it go. */
export function registerStoryConflictRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get<Params>('/stories/:id/conflicts/:copyId', { config: { access: 'contributor' } }, async (req, reply) => {
    const { id, copyId } = ids(req);
    const cmp = await compareConflictCopy(deps, actorOf(req), id, copyId);
    return ctx.send(reply, storyConflictView(ctx.chrome(req, reply), { cmp, csrfToken: req.newsroomSession!.csrfToken }));
  });

  app.post<Params>('/stories/:id/conflicts/:copyId', { config: { access: 'contributor' } }, async (req, reply) => {
    const { id, copyId } = ids(req);
    const actor = actorOf(req);
    const fields = formFields(req);
    const resolution = fields.resolution === 'applied' ? 'applied' : fields.resolution === 'discarded' ? 'discarded' : null;
    if (!resolution)
      throw new ValidationError('resolution: choose to save your version or to discard it.', [
        { path: 'resolution', message: 'applied or discarded' },
      ]);
    try {
      await resolveConflictCopy(deps, actor, id, copyId, resolution, baseRevisionFrom(fields.baseRevision));
    } catch (err) {
      // Someone saved yet again while this page was open: show the new latest.
      const { status, message } = formRefusalOrThrow(err, ['conflict']);
      const cmp = await compareConflictCopy(deps, actor, id, copyId);
      return ctx.send(
        reply,
        storyConflictView(ctx.chrome(req, reply), { cmp, csrfToken: req.newsroomSession!.csrfToken, error: message }),
        status,
      );
    }
    return reply.redirect(`/newsroom/stories/${id}${resolution === 'applied' ? '?saved=1' : ''}`, 303);
  });
}
