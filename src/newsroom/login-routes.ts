import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tooManyAttemptsMessage } from '../domain/rate-limits/rate-limiter.ts';
import { createSession, endSession } from '../domain/accounts/user-sessions.ts';
import { authenticate } from '../domain/accounts/user-service.ts';
import { setFlash } from './flash.ts';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie.ts';
import { loginCsrfToken, NEWSROOM_COOKIE, safeNext } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { loginView } from './views/login-view.ts';

const BAD_CREDENTIALS = 'The email or password is incorrect.';
const DISABLED = 'This account has been disabled. Ask an administrator to enable it.';

export function registerLoginRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps, throttle } = ctx;
  const config = deps.config;

  const renderLogin = (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    props: { email?: string; next?: string; error?: string },
  ) => ctx.send(reply, loginView(ctx.chrome(req, reply), { csrfToken: loginCsrfToken(req, reply, config), ...props }), status);

  app.get('/login', { config: { access: 'public' } }, async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (req.newsroomSession) return reply.redirect(next ?? '/newsroom', 303);
    return renderLogin(req, reply, 200, { next });
  });

  app.post('/login', { config: { access: 'public', csrf: 'login' } }, async (req, reply) => {
    const form = formFields(req);
    const email = (form.email ?? '').trim();
    const next = safeNext(form.next);
    const key = { email, ip: req.ip };
    const tooMany = (ms: number) => {
      reply.header('retry-after', String(Math.ceil(ms / 1000)));
      return renderLogin(req, reply, 429, { email, next, error: tooManyAttemptsMessage(ms) });
    };

    const waitMs = await throttle.retryAfterMs(key);
    if (waitMs > 0) return tooMany(waitMs);
    const result = await authenticate(deps, { email, password: form.password ?? '' }, { ip: req.ip, userAgent: req.headers['user-agent'] });
    if (!result.ok) {
      if (result.reason === 'disabled') return renderLogin(req, reply, 403, { email, next, error: DISABLED });
      const waitNow = await throttle.recordFailure(key);
      if (waitNow > 0) return tooMany(waitNow);
      return renderLogin(req, reply, 401, { email, next, error: BAD_CREDENTIALS });
    }
    await throttle.recordSuccess(key);
    const session = await createSession(deps, { userId: result.user.id, userAgent: req.headers['user-agent'], ip: req.ip });
    setSessionCookie(reply, config, NEWSROOM_COOKIE, session.token);
    return reply.redirect(next ?? '/newsroom', 303);
  });

  app.post('/logout', { config: { access: 'contributor' } }, async (req, reply) => {
    await endSession(deps, req.cookies[NEWSROOM_COOKIE.name] ?? '', { ip: req.ip });
    clearSessionCookie(reply, config, NEWSROOM_COOKIE);
    setFlash(reply, config, 'logged-out');
    return reply.redirect('/newsroom/login', 303);
  });
}
