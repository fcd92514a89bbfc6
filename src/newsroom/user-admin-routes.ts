import type { FastifyInstance } from 'fastify';
import { isId } from '../domain/ids.ts';
import { NotFoundError } from '../domain/errors.ts';
import { listUsers, setUserDisabled } from '../domain/accounts/user-service.ts';
import { setFlash } from './flash.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { usersView } from './views/users-view.ts';

export function registerUserAdminRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get('/users', { config: { access: 'admin' } }, async (req, reply) => {
    const actor = actorOf(req);
    const users = await listUsers(deps, actor);
    return ctx.send(reply, usersView(ctx.chrome(req, reply), { users, currentUserId: actor.userId, csrfToken: req.newsroomSession!.csrfToken }));
  });

  app.post<{ Params: { id: string; action: string } }>('/users/:id/:action', { config: { access: 'admin' } }, async (req, reply) => {
    const { id, action } = req.params;
    if ((action !== 'disable' && action !== 'enable') || !isId(id)) throw new NotFoundError('There is no such user.');
    await setUserDisabled(deps, actorOf(req), id, action === 'disable');
    setFlash(reply, deps.config, action === 'disable' ? 'user-disabled' : 'user-enabled');
    return reply.redirect('/newsroom/users', 303);
  });
}
