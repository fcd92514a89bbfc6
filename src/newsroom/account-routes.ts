import type { FastifyInstance } from 'fastify';
import { changePassword } from '../domain/accounts/user-service.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { setFlash } from './flash.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { passwordView } from './views/password-view.ts';

export function registerAccountRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get('/account/password', { config: { access: 'contributor' } }, async (req, reply) => {
    const s = req.newsroomSession!;
    return ctx.send(reply, passwordView(ctx.chrome(req, reply), { csrfToken: s.csrfToken, required: s.user.mustChangePassword }));
  });

  app.post('/account/password', { config: { access: 'contributor' } }, async (req, reply) => {
    const form = formFields(req);
    const actor = actorOf(req);
    const s = req.newsroomSession!;
    const fail = (message: string) =>
      ctx.send(
        reply,
        passwordView(ctx.chrome(req, reply), { csrfToken: s.csrfToken, error: message, required: s.user.mustChangePassword }),
        400,
      );
    if ((form.newPassword ?? '') !== (form.confirmPassword ?? '')) return fail('The two new passwords do not match.');
    try {
      await changePassword(
        deps,
        actor,
        { currentPassword: form.currentPassword ?? '', newPassword: form.newPassword ?? '' },
        { keepSessionId: actor.sessionId },
      );
    } catch (err) {
      return fail(formRefusalOrThrow(err, ['validation_failed']).message);
    }
    setFlash(reply, deps.config, 'password-changed');
    // After the forced change (temporary password), on to the desk.
    return reply.redirect(s.user.mustChangePassword ? '/newsroom' : '/newsroom/account/password', 303);
  });
}
