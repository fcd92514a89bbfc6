import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import { getDelivery, listDeliveries, retryDeliveryNow, sendTestPing } from '../domain/webhooks/webhook-deliveries.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookInput,
} from '../domain/webhooks/webhook-service.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { webhookDeliveryView, webhookDetailView, type WebhookPageProps } from './views/webhooks-detail-view.ts';
import { webhooksListView, type WebhooksPageProps } from './views/webhooks-list-view.ts';

/* Notices after a redirect: the query carries a code, the words are ours. */
const NOTICES: Record<string, string> = {
  saved: 'The webhook has been saved.',
  deleted: 'The webhook and its delivery log have been deleted.',
  pinged: 'A test ping is queued; it appears below within a few seconds (reload).',
  retried: 'The delivery is queued to be sent again now (reload in a few seconds).',
};

interface WebhookForm {
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
}

/** The posted webhook form: checkboxes arrive as one string or an array of them. */
function webhookForm(req: FastifyRequest, withEnabled: boolean): WebhookForm {
  const f = formFields(req);
  const raw = (req.body as Record<string, unknown> | undefined)?.events;
  const events = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((e): e is string => typeof e === 'string');
  return { url: f.url ?? '', description: f.description ?? '', events, enabled: withEnabled ? f.enabled === '1' : true };
}

/** Event names are checked by the domain's schema (unknown ones are a 400 naming the field). */
const asInput = (form: WebhookForm) => form as WebhookInput;

const checkId = (id: string, what = 'webhook') => {
  if (!isId(id)) throw new NotFoundError(`There is no such ${what}.`);
};

/** `/newsroom/webhooks`: administrators register receivers, see deliveries and retry them. */
export function registerWebhookRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;
  const policy = { allowPrivate: deps.config.webhooksAllowPrivate };
  const access = { access: 'admin' as const };

  const listPage = async (req: FastifyRequest, extra: Partial<WebhooksPageProps> = {}): Promise<WebhooksPageProps> => ({
    webhooks: await listWebhooks(deps, actorOf(req)),
    csrfToken: req.newsroomSession!.csrfToken,
    ...extra,
  });
  const detailPage = async (req: FastifyRequest, id: string, extra: Partial<WebhookPageProps> = {}): Promise<WebhookPageProps> => {
    const actor = actorOf(req);
    return {
      webhook: await getWebhook(deps, actor, id),
      deliveries: await listDeliveries(deps, actor, id),
      csrfToken: req.newsroomSession!.csrfToken,
      ...extra,
    };
  };
  const notice = (code: string | undefined) => (code !== undefined && Object.hasOwn(NOTICES, code) ? NOTICES[code] : undefined);

  app.get<{ Querystring: { done?: string } }>('/webhooks', { config: access }, async (req, reply) =>
    ctx.send(reply, webhooksListView(ctx.chrome(req, reply), await listPage(req, { notice: notice(req.query.done) }))),
  );

  app.post('/webhooks', { config: access }, async (req, reply) => {
    const form = webhookForm(req, false);
    try {
      const created = await createWebhook(deps, actorOf(req), asInput(form), policy);
      // The secret is rendered in this response only (no redirect: it must not travel in a cookie or URL).
      return ctx.send(reply, webhooksListView(ctx.chrome(req, reply), await listPage(req, { created })), 201);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, ['validation_failed']);
      return ctx.send(reply, webhooksListView(ctx.chrome(req, reply), await listPage(req, { error: message, form })), status);
    }
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/webhooks/:id', { config: access }, async (req, reply) => {
    checkId(req.params.id);
    return ctx.send(
      reply,
      webhookDetailView(ctx.chrome(req, reply), await detailPage(req, req.params.id, { notice: notice(req.query.done) })),
    );
  });

  app.post<{ Params: { id: string } }>('/webhooks/:id', { config: access }, async (req, reply) => {
    checkId(req.params.id);
    const form = webhookForm(req, true);
    try {
      await updateWebhook(deps, actorOf(req), req.params.id, asInput(form), policy);
      return reply.redirect(`/newsroom/webhooks/${req.params.id}?done=saved`, 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, ['validation_failed']);
      return ctx.send(
        reply,
        webhookDetailView(ctx.chrome(req, reply), await detailPage(req, req.params.id, { error: message, form })),
        status,
      );
    }
  });

  app.post<{ Params: { id: string } }>('/webhooks/:id/rotate', { config: access }, async (req, reply) => {
    checkId(req.params.id);
    const { secret } = await rotateWebhookSecret(deps, actorOf(req), req.params.id);
    return ctx.send(reply, webhookDetailView(ctx.chrome(req, reply), await detailPage(req, req.params.id, { secret })));
  });

  app.post<{ Params: { id: string } }>('/webhooks/:id/delete', { config: access }, async (req, reply) => {
    checkId(req.params.id);
    if (formFields(req).confirm !== '1') {
      const error = 'confirm: tick the box to confirm the deletion (it cannot be undone).';
      return ctx.send(reply, webhookDetailView(ctx.chrome(req, reply), await detailPage(req, req.params.id, { error })), 400);
    }
    await deleteWebhook(deps, actorOf(req), req.params.id);
    return reply.redirect('/newsroom/webhooks?done=deleted', 303);
  });

  app.post<{ Params: { id: string } }>('/webhooks/:id/ping', { config: access }, async (req, reply) => {
    checkId(req.params.id);
    await sendTestPing(deps, actorOf(req), req.params.id);
    return reply.redirect(`/newsroom/webhooks/${req.params.id}?done=pinged`, 303);
  });

  app.get<{ Params: { id: string; deliveryId: string } }>(
    '/webhooks/:id/deliveries/:deliveryId',
    { config: access },
    async (req, reply) => {
      checkId(req.params.id);
      checkId(req.params.deliveryId, 'delivery');
      const actor = actorOf(req);
      const [webhook, delivery] = await Promise.all([
        getWebhook(deps, actor, req.params.id),
        getDelivery(deps, actor, req.params.id, req.params.deliveryId),
      ]);
      return ctx.send(reply, webhookDeliveryView(ctx.chrome(req, reply), { webhook, delivery, csrfToken: req.newsroomSession!.csrfToken }));
    },
  );

  app.post<{ Params: { id: string; deliveryId: string } }>(
    '/webhooks/:id/deliveries/:deliveryId/retry',
    { config: access },
    async (req, reply) => {
      checkId(req.params.id);
      checkId(req.params.deliveryId, 'delivery');
      await retryDeliveryNow(deps, actorOf(req), req.params.id, req.params.deliveryId);
      return reply.redirect(`/newsroom/webhooks/${req.params.id}?done=retried`, 303);
    },
  );
}
