import type { FastifyInstance } from 'fastify';
import { createApiToken, listApiTokens, revokeApiToken } from '../domain/api-tokens/api-token-service.ts';
import type { ApiToken } from '../domain/api-tokens/api-token.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { tokensView, type TokensPageProps } from './views/tokens-view.ts';

const DATE_RE = /^\d{4}-\d\d-\d\d$/;

/** `/newsroom/tokens`: administrators create, list and revoke API tokens. */
export function registerTokenRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  const page = async (req: Parameters<typeof actorOf>[0], extra: Partial<TokensPageProps> = {}) => {
    const actor = actorOf(req);
    const tokens: ApiToken[] = await listApiTokens(deps, actor);
    return { tokens, csrfToken: req.newsroomSession!.csrfToken, actorRole: actor.role, now: deps.clock(), ...extra };
  };

  app.get<{ Querystring: { revoked?: string } }>('/tokens', { config: { access: 'admin' } }, async (req, reply) => {
    const notice = req.query.revoked === '1' ? 'The token has been revoked; it stops working at once.' : undefined;
    return ctx.send(reply, tokensView(ctx.chrome(req, reply), await page(req, { notice })));
  });

  app.post('/tokens', { config: { access: 'admin' } }, async (req, reply) => {
    const f = formFields(req);
    const expiresOn = (f.expiresOn ?? '').trim();
    try {
      if (expiresOn && !DATE_RE.test(expiresOn)) throw new ValidationError('Expiry must be a date such as 2027-01-31.');
      const created = await createApiToken(deps, actorOf(req), {
        name: f.name ?? '',
        role: (f.role ?? '') as 'contributor',
        expiresAt: expiresOn ? `${expiresOn}T23:59:59Z` : null,
      });
      // The secret is rendered in this response only (no redirect: it must not travel in a cookie).
      return ctx.send(reply, tokensView(ctx.chrome(req, reply), await page(req, { created })), 201);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, ['validation_failed']);
      return ctx.send(
        reply,
        tokensView(ctx.chrome(req, reply), await page(req, { error: message, form: { name: f.name, role: f.role, expiresOn } })),
        status,
      );
    }
  });

  app.post<{ Params: { id: string } }>('/tokens/:id/revoke', { config: { access: 'admin' } }, async (req, reply) => {
    if (!isId(req.params.id)) throw new NotFoundError('There is no such API token.');
    await revokeApiToken(deps, actorOf(req), req.params.id);
    return reply.redirect('/newsroom/tokens?revoked=1', 303);
  });
}
