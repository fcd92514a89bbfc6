import type { FastifyInstance } from 'fastify';
import { getDashboard } from '../domain/desk/desk-dashboard.ts';
import { etagFor, isNotModified } from '../http/conditional-get.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { dashboardJson, dashboardView } from './views/dashboard-view.ts';

/** How often an open dashboard asks for its numbers (and at once when its tab comes back). */
export const DASHBOARD_POLL_MS = 10_000;

/**
 * The dashboard (`/newsroom`) and its numbers as JSON (`/newsroom/dashboard.json`), which the
 * page polls. Both are personal: behind the session like every newsroom page, and `no-store`
 * (the newsroom's onSend hook), so no browser, proxy or CDN keeps a copy. The JSON carries an
 * ETag the script sends back, so an unchanged day costs a 304 and no page work.
 */
export function registerDashboardRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get('/', { config: { access: 'contributor' } }, async (req, reply) => {
    const user = req.newsroomSession!.user;
    const dashboard = await getDashboard(deps, actorOf(req));
    return ctx.send(
      reply,
      dashboardView(ctx.chrome(req, reply), { name: user.name, role: user.role, dashboard, pollMs: DASHBOARD_POLL_MS }),
    );
  });

  app.get('/dashboard.json', { config: { access: 'contributor' } }, async (req, reply) => {
    const body = JSON.stringify(dashboardJson(await getDashboard(deps, actorOf(req))));
    const etag = etagFor(body);
    reply.header('etag', etag).header('vary', 'Cookie');
    if (isNotModified(req, etag, null)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
