import type { FastifyInstance } from 'fastify';
import { browseAudit } from '../domain/audit/audit-browser.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { auditView } from './views/audit-view.ts';

/** The audit log: who did what, when, to what; filters travel in the query string. */
export function registerAuditRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  app.get<{ Querystring: Record<string, unknown> }>('/audit', { config: { access: 'editor' } }, async (req, reply) => {
    const page = await browseAudit(ctx.deps, actorOf(req), req.query ?? {});
    return ctx.send(reply, auditView(ctx.chrome(req, reply), page));
  });
}
