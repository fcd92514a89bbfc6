import type { FastifyInstance } from 'fastify';
import { findActiveAlert } from '../domain/alerts/breaking-alert.ts';
import { clearBreakingAlert, listAlertCandidates, listRecentAlerts, raiseBreakingAlert } from '../domain/alerts/breaking-alert-service.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { formFields } from '../http/form-security.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { alertsView, type AlertsPageProps } from './views/alerts-view.ts';

/** `/newsroom/alerts`: editors raise and clear the site-wide breaking-news banner. */
export function registerAlertRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  const page = async (req: Parameters<typeof actorOf>[0], extra: Partial<AlertsPageProps> = {}): Promise<AlertsPageProps> => {
    const [active, candidates, recent] = await Promise.all([
      findActiveAlert(deps.db, deps.clock().toISOString()),
      listAlertCandidates(deps),
      listRecentAlerts(deps),
    ]);
    return { csrfToken: req.newsroomSession!.csrfToken, active, candidates, recent, ...extra };
  };

  app.get<{ Querystring: { done?: string } }>('/alerts', { config: { access: 'editor' } }, async (req, reply) => {
    const notice =
      req.query.done === 'raised' ? 'The alert is up on every page.' : req.query.done === 'cleared' ? 'The alert is cleared.' : undefined;
    return ctx.send(reply, alertsView(ctx.chrome(req, reply), await page(req, { notice })));
  });

  app.post('/alerts', { config: { access: 'editor' } }, async (req, reply) => {
    const f = formFields(req);
    const minutes = (f.minutes ?? '').trim();
    try {
      if (minutes && !/^\d{1,5}$/.test(minutes)) throw new ValidationError('Clear after: a whole number of minutes, or empty.');
      await raiseBreakingAlert(deps, actorOf(req), {
        articleId: f.articleId ?? '',
        text: f.text ?? '',
        ...(minutes ? { expiresInMinutes: Number(minutes) } : {}),
      });
      return reply.redirect('/newsroom/alerts?done=raised', 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, ['validation_failed']);
      const form = { articleId: f.articleId, text: f.text, minutes };
      return ctx.send(reply, alertsView(ctx.chrome(req, reply), await page(req, { error: message, form })), status);
    }
  });

  app.post<{ Params: { id: string } }>('/alerts/:id/clear', { config: { access: 'editor' } }, async (req, reply) => {
    if (!isId(req.params.id)) throw new NotFoundError('There is no such alert.');
    await clearBreakingAlert(deps, actorOf(req), req.params.id);
    return reply.redirect('/newsroom/alerts?done=cleared', 303);
  });
}
