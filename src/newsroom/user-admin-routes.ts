import type { FastifyInstance } from 'fastify';
import { changeUserRole, createUserWithTemporaryPassword, resetUserPassword } from '../domain/accounts/user-admin.ts';
import { isId } from '../domain/ids.ts';
import { NotFoundError } from '../domain/errors.ts';
import { listUsers, setUserDisabled } from '../domain/accounts/user-service.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { setFlash } from './flash.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { usersNewView } from './views/users-new-view.ts';
import { usersPasswordIssuedView } from './views/users-password-issued-view.ts';
import { usersView } from './views/users-view.ts';

const NO_SUCH_USER = 'There is no such user.';

/*
 * Administrators manage accounts. The domain checks the role again (assertRole); a
 * temporary password goes only into the HTML of the one response that issues it.
 */
export function registerUserAdminRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get('/users', { config: { access: 'admin' } }, async (req, reply) => {
    const actor = actorOf(req);
    const users = await listUsers(deps, actor);
    return ctx.send(
      reply,
      usersView(ctx.chrome(req, reply), { users, currentUserId: actor.userId, csrfToken: req.newsroomSession!.csrfToken }),
    );
  });

  app.get('/users/new', { config: { access: 'admin' } }, async (req, reply) => {
    return ctx.send(reply, usersNewView(ctx.chrome(req, reply), { csrfToken: req.newsroomSession!.csrfToken }));
  });

  app.post('/users', { config: { access: 'admin' } }, async (req, reply) => {
    const form = formFields(req);
    const input = { email: form.email ?? '', name: form.name ?? '', role: form.role ?? '' };
    try {
      const issued = await createUserWithTemporaryPassword(deps, actorOf(req), input);
      return ctx.send(reply, usersPasswordIssuedView(ctx.chrome(req, reply), { ...issued, reason: 'created' }), 201);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, ['validation_failed', 'conflict']);
      return ctx.send(
        reply,
        usersNewView(ctx.chrome(req, reply), { csrfToken: req.newsroomSession!.csrfToken, form: input, error: message }),
        status,
      );
    }
  });

  app.post<{ Params: { id: string } }>('/users/:id/role', { config: { access: 'admin' } }, async (req, reply) => {
    if (!isId(req.params.id)) throw new NotFoundError(NO_SUCH_USER);
    await changeUserRole(deps, actorOf(req), req.params.id, formFields(req).role ?? '');
    setFlash(reply, deps.config, 'user-role-changed');
    return reply.redirect('/newsroom/users', 303);
  });

  app.post<{ Params: { id: string } }>('/users/:id/reset-password', { config: { access: 'admin' } }, async (req, reply) => {
    if (!isId(req.params.id)) throw new NotFoundError(NO_SUCH_USER);
    const issued = await resetUserPassword(deps, actorOf(req), req.params.id);
    return ctx.send(reply, usersPasswordIssuedView(ctx.chrome(req, reply), { ...issued, reason: 'reset' }));
  });

  app.post<{ Params: { id: string; action: string } }>('/users/:id/:action', { config: { access: 'admin' } }, async (req, reply) => {
    const { id, action } = req.params;
    if ((action !== 'disable' && action !== 'enable') || !isId(id)) throw new NotFoundError(NO_SUCH_USER);
    await setUserDisabled(deps, actorOf(req), id, action === 'disable');
    setFlash(reply, deps.config, action === 'disable' ? 'user-disabled' : 'user-enabled');
    return reply.redirect('/newsroom/users', 303);
  });
}
