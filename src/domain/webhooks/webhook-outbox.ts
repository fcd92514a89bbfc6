import type { Db } from '../../db/database.ts';
import { newId } from '../ids.ts';
import { parseEvents, type WebhookEventType } from './webhook.ts';

/*
 * The outbox: an event becomes one `webhook_deliveries` row per subscribed, enabled hook,
 * written with the same `db` (transaction) as the change it reports. If that transaction
 * rolls back, no delivery exists; if it commits, the delivery survives any restart until
 * the worker (src/jobs/webhook-worker.ts) has sent it.
 */

/** An event to publish to the hooks subscribed to its type. */
export interface WebhookEvent {
  type: WebhookEventType;
  /** ISO time the change happened (the caller's clock). */
  createdAt: string;
  /** The event's subject, e.g. `{ article: {...} }` or `{ comment: {...}, article: {...} }`. JSON-serialisable. */
  data: Record<string, unknown>;
}

/** The body every delivery carries (and its signature covers). */
export interface WebhookPayload {
  /** The event id: the same for every hook the event went to (x-masthead-delivery is per hook). */
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/** Enabled hooks subscribed to `type`. Hooks are few (tens), so the JSON list is filtered here. */
export async function subscribedHookIds(db: Db, type: string): Promise<string[]> {
  const rows = await db.selectFrom('webhooks').select(['id', 'events']).where('enabled', '=', 1).execute();
  return rows.filter((r) => (parseEvents(r.events) as string[]).includes(type)).map((r) => r.id);
}

/** Inserts one pending delivery of the event to each hook; returns the event id. */
export async function insertDeliveries(
  db: Db,
  hookIds: readonly string[],
  type: string,
  createdAt: string,
  data: Record<string, unknown>,
): Promise<string> {
  const eventId = newId();
  if (!hookIds.length) return eventId;
  const payload: WebhookPayload = { id: eventId, type, createdAt, data };
  const text = JSON.stringify(payload);
  await db
    .insertInto('webhook_deliveries')
    .values(
      hookIds.map((webhookId) => ({
        id: newId(),
        webhook_id: webhookId,
        event: type,
        event_id: eventId,
        status: 'pending',
        attempts: 0,
        next_attempt_at: createdAt,
        last_status_code: null,
        last_error: null,
        response_excerpt: null,
        created_at: createdAt,
        last_attempt_at: null,
        delivered_at: null,
        payload: text,
      })),
    )
    .execute();
  return eventId;
}

/**
 * Queues `event` for every enabled hook subscribed to its type. Pass the transaction of the
 * state change (`trx`) so the event exists exactly when the change does:
 *
 * ```ts
 * await withTransaction(deps.db, async (trx) => {
 *   await publishTheComment(trx, comment);
 *   await enqueueWebhookEvent(trx, { type: 'comment.posted', createdAt: nowIso, data: { comment: {...}, article: {...} } });
 * });
 * ```
 *
 * Returns the event id and how many deliveries were queued (0 when nobody subscribes).
 */
export async function enqueueWebhookEvent(db: Db, event: WebhookEvent): Promise<{ eventId: string; deliveries: number }> {
  const hooks = await subscribedHookIds(db, event.type);
  const eventId = await insertDeliveries(db, hooks, event.type, event.createdAt, event.data);
  return { eventId, deliveries: hooks.length };
}
