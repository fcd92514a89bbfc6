import type { ServiceDeps } from '../domain/deps.ts';
import { pruneWebhookDeliveries } from '../domain/webhooks/webhook-retention.ts';
import { createBackgroundLoop, type BackgroundLoop, type JobLogger } from './background-loop.ts';

export interface WebhookPruner extends BackgroundLoop {
  /** One prune; returns how many deliveries were deleted. */
  prune(): Promise<number>;
}

/**
 * Deletes finished webhook deliveries older than MASTHEAD_WEBHOOK_RETENTION_DAYS, at start and
 * then hourly. Several app nodes pruning at once is harmless (the DELETE is idempotent).
 */
export function createWebhookPruner(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  options: { retentionDays: number; intervalMs?: number; logger?: JobLogger },
): WebhookPruner {
  const intervalMs = options.intervalMs ?? 3600_000;

  async function prune(): Promise<number> {
    const deleted = await pruneWebhookDeliveries(deps, options.retentionDays);
    if (deleted) options.logger?.info({ deleted, retentionDays: options.retentionDays }, 'pruned old webhook deliveries');
    return deleted;
  }

  const loop = createBackgroundLoop({
    tick: async () => (await prune(), intervalMs),
    retryAfterMs: intervalMs,
    failureMessage: 'webhook delivery prune failed; will try again',
    logger: options.logger,
    // In the background: a first prune of a long log must not hold up the start.
    awaitCatchUp: false,
    keepsProcessAlive: false,
  });
  return { ...loop, prune };
}
