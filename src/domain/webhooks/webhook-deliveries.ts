import { withTransaction } from '../../db/transaction.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { PING_EVENT, rowToDelivery, type WebhookDelivery } from './webhook.ts';
import { insertDeliveries } from './webhook-outbox.ts';

/* The delivery log of a hook, the "retry now" button and the test ping (administrators only). */

const ONLY_ADMINS = 'Only administrators manage webhooks.';

async function assertHookExists(deps: ServiceDeps, webhookId: string): Promise<{ url: string; enabled: 0 | 1 }> {
  const hook = await deps.db.selectFrom('webhooks').select(['url', 'enabled']).where('id', '=', webhookId).executeTakeFirst();
  if (!hook) throw new NotFoundError('There is no such webhook.');
  return hook;
}

/** A hook's deliveries, newest first. */
export async function listDeliveries(deps: ServiceDeps, actor: Actor, webhookId: string, limit = 50): Promise<WebhookDelivery[]> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  await assertHookExists(deps, webhookId);
  const rows = await deps.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToDelivery);
}

export async function getDelivery(deps: ServiceDeps, actor: Actor, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const row = await deps.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .where('webhook_id', '=', webhookId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('There is no such delivery.');
  return rowToDelivery(row);
}

/**
 * Makes a failed (or waiting) delivery due now; the worker sends it within a second or so.
 * One more attempt is allowed after a delivery gave up.
 */
export async function retryDeliveryNow(deps: ServiceDeps, actor: Actor, webhookId: string, deliveryId: string): Promise<void> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const now = deps.clock();
  await withTransaction(deps.db, async (trx) => {
    const hook = await assertHookExists({ ...deps, db: trx }, webhookId);
    if (hook.enabled !== 1) throw new ConflictError('Enable the webhook before retrying its deliveries.');
    const result = await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: now.toISOString() })
      .where('id', '=', deliveryId)
      .where('webhook_id', '=', webhookId)
      .where('status', 'in', ['pending', 'failed'])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const exists = await trx
        .selectFrom('webhook_deliveries')
        .select('status')
        .where('id', '=', deliveryId)
        .where('webhook_id', '=', webhookId)
        .executeTakeFirst();
      if (!exists) throw new NotFoundError('There is no such delivery.');
      throw new ConflictError(
        exists.status === 'succeeded' ? 'This delivery already succeeded.' : 'This delivery is being sent right now.',
      );
    }
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'webhook.delivery_retried',
      subjectType: 'webhook',
      subjectId: webhookId,
      details: { delivery: deliveryId },
    });
  });
}

/** Queues a `webhook.ping` to this hook alone (whatever it subscribes to); returns the delivery id. */
export async function sendTestPing(deps: ServiceDeps, actor: Actor, webhookId: string): Promise<string> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    const hook = await assertHookExists({ ...deps, db: trx }, webhookId);
    if (hook.enabled !== 1) throw new ConflictError('Enable the webhook before sending it a test ping.');
    const eventId = await insertDeliveries(trx, [webhookId], PING_EVENT, nowIso, {
      ping: { message: 'Test ping from the Masthead newsroom.', webhookId },
    });
    const row = await trx.selectFrom('webhook_deliveries').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'webhook.ping_sent',
      subjectType: 'webhook',
      subjectId: webhookId,
      details: { delivery: row.id },
    });
    return row.id;
  });
}
