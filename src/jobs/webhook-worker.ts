import type { ServiceDeps } from '../domain/deps.ts';
import { deliverDue, nextDeliveryDueAt, type DeliveryOptions } from '../domain/webhooks/webhook-delivery.ts';
import { createBackgroundLoop, type BackgroundLoop, type JobLogger } from './background-loop.ts';

export interface WebhookWorkerOptions extends DeliveryOptions {
  /** Longest sleep between checks, so rows queued by other nodes are seen within it. Default 1000 ms. */
  maxSleepMs?: number;
  logger?: JobLogger;
}

export type WebhookWorker = BackgroundLoop;

/**
 * The in-process webhook delivery loop. The queue lives in `webhook_deliveries`, so any
 * number of app nodes may run it and a restart picks up where the last process stopped.
 * Logs name the delivery and hook ids and the outcome, never the secret or the payload.
 */
export function createWebhookWorker(deps: ServiceDeps, options: WebhookWorkerOptions): WebhookWorker {
  const maxSleepMs = options.maxSleepMs ?? 1000;
  const log = options.logger;

  async function tick(): Promise<number> {
    const outcomes = await deliverDue(deps, options);
    for (const o of outcomes) {
      const fields = { delivery: o.id, webhook: o.webhookId, status: o.statusCode };
      if (o.outcome === 'succeeded') log?.info(fields, 'webhook delivered');
      else if (o.outcome === 'disabled') log?.warn(fields, 'webhook receiver answered 410 Gone; the webhook was disabled');
      else
        log?.warn(
          { ...fields, error: o.error },
          o.outcome === 'retry' ? 'webhook delivery failed; will retry' : 'webhook delivery failed for good',
        );
    }
    const next = await nextDeliveryDueAt(deps.db);
    if (next === null) return maxSleepMs;
    return Math.min(maxSleepMs, Math.max(10, Date.parse(next) - deps.clock().getTime()));
  }

  return createBackgroundLoop({
    tick,
    retryAfterMs: maxSleepMs,
    failureMessage: 'webhook worker check failed',
    logger: log,
    awaitCatchUp: false,
  });
}
