import { z } from 'zod';
import { withTransaction } from '../../db/transaction.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { parseInput } from '../articles/article-service.ts';
import { rowToWebhook, WEBHOOK_EVENT_TYPES, type Webhook } from './webhook.ts';
import { urlRefusal } from './webhook-address.ts';
import { newWebhookSecret } from './webhook-signature.ts';

/*
 * Registering and managing webhooks: administrators only (checked here, not just by the
 * newsroom route). The signing secret is returned only by create and rotate, to be shown
 * once; it is never part of `Webhook`, never logged and never in an audit entry.
 */

/** Whether hooks may target private, loopback and link-local addresses (MASTHEAD_WEBHOOKS_ALLOW_PRIVATE). */
export interface WebhookAddressPolicy {
  allowPrivate: boolean;
}

const ONLY_ADMINS = 'Only administrators manage webhooks.';

export const webhookInputSchema = z.strictObject({
  url: z.string().trim().min(1, 'enter the address that receives the events').max(2000, 'use an address of at most 2,000 characters'),
  description: z.string().trim().max(200, 'use at most 200 characters').default(''),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `choose from ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
    .min(1, 'choose at least one event')
    .transform((list) => [...new Set(list)]),
  enabled: z.boolean().default(true),
});
export type WebhookInput = z.input<typeof webhookInputSchema>;

/** Parses and checks the address; a refused one is a ValidationError naming `url`. */
function checkedUrl(raw: string, policy: WebhookAddressPolicy): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError('url: enter a full address such as https://example.com/hooks/masthead', [
      { path: 'url', message: 'not a URL' },
    ]);
  }
  const refusal = urlRefusal(url, policy.allowPrivate);
  if (refusal) throw new ValidationError(`url: ${refusal}`, [{ path: 'url', message: refusal }]);
  return url.toString();
}

async function findRow(deps: ServiceDeps, id: string) {
  const row = await deps.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('There is no such webhook.');
  return row;
}

/** All hooks, oldest first. */
export async function listWebhooks(deps: ServiceDeps, actor: Actor): Promise<Webhook[]> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const rows = await deps.db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(rowToWebhook);
}

export async function getWebhook(deps: ServiceDeps, actor: Actor, id: string): Promise<Webhook> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  return rowToWebhook(await findRow(deps, id));
}

/** Registers a hook; the returned secret is shown to the admin once. */
export async function createWebhook(
  deps: ServiceDeps,
  actor: Actor,
  input: WebhookInput,
  policy: WebhookAddressPolicy,
): Promise<{ webhook: Webhook; secret: string }> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const data = parseInput(webhookInputSchema, input);
  const url = checkedUrl(data.url, policy);
  const now = deps.clock();
  const nowIso = now.toISOString();
  const secret = newWebhookSecret();
  const row = {
    id: newId(),
    url,
    description: data.description,
    events: JSON.stringify(data.events),
    secret,
    enabled: (data.enabled ? 1 : 0) as 0 | 1,
    disabled_reason: data.enabled ? null : 'Disabled by an administrator.',
    created_by: actor.userId,
    created_at: nowIso,
    updated_at: nowIso,
    secret_rotated_at: null,
  };
  await withTransaction(deps.db, async (trx) => {
    await trx.insertInto('webhooks').values(row).execute();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'webhook.created',
      subjectType: 'webhook',
      subjectId: row.id,
      details: { url, events: data.events },
    });
  });
  return { webhook: rowToWebhook(row), secret };
}

/** Changes a hook's address, description, events or enabled state. */
export async function updateWebhook(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: WebhookInput,
  policy: WebhookAddressPolicy,
): Promise<Webhook> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const data = parseInput(webhookInputSchema, input);
  const url = checkedUrl(data.url, policy);
  const now = deps.clock();
  return withTransaction(deps.db, async (trx) => {
    const current = rowToWebhook(await findRow({ ...deps, db: trx }, id));
    const disabledReason = data.enabled ? null : current.enabled ? 'Disabled by an administrator.' : current.disabledReason;
    await trx
      .updateTable('webhooks')
      .set({
        url,
        description: data.description,
        events: JSON.stringify(data.events),
        enabled: data.enabled ? 1 : 0,
        disabled_reason: disabledReason,
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'webhook.updated',
      subjectType: 'webhook',
      subjectId: id,
      details: { url, events: data.events, enabled: data.enabled, ...(url !== current.url ? { previousUrl: current.url } : {}) },
    });
    return {
      ...current,
      url,
      description: data.description,
      events: data.events,
      enabled: data.enabled,
      disabledReason,
      updatedAt: now.toISOString(),
    };
  });
}

/** Replaces the signing secret; deliveries from now on are signed with the new one. */
export async function rotateWebhookSecret(deps: ServiceDeps, actor: Actor, id: string): Promise<{ webhook: Webhook; secret: string }> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const now = deps.clock();
  const secret = newWebhookSecret();
  return withTransaction(deps.db, async (trx) => {
    const current = rowToWebhook(await findRow({ ...deps, db: trx }, id));
    await trx
      .updateTable('webhooks')
      .set({ secret, secret_rotated_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'webhook.secret_rotated',
      subjectType: 'webhook',
      subjectId: id,
      details: { url: current.url },
    });
    return { webhook: { ...current, secretRotatedAt: now.toISOString(), updatedAt: now.toISOString() }, secret };
  });
}

/** Deletes a hook and its delivery log (pending deliveries are dropped). */
export async function deleteWebhook(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const now = deps.clock();
  await withTransaction(deps.db, async (trx) => {
    const current = rowToWebhook(await findRow({ ...deps, db: trx }, id));
    // Explicit as well as ON DELETE CASCADE: cheap, and independent of SQLite's foreign_keys pragma.
    await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    await trx.deleteFrom('webhooks').where('id', '=', id).execute();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'webhook.deleted',
      subjectType: 'webhook',
      subjectId: id,
      details: { url: current.url, events: current.events },
    });
  });
}
