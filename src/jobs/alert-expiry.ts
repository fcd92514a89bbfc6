import type { ServiceDeps } from '../domain/deps.ts';
import { findActiveAlert, type ActiveAlert } from '../domain/alerts/breaking-alert.ts';
import { alertChange } from '../domain/alerts/breaking-alert-service.ts';
import { publishNow } from '../domain/changes/content-change-publish.ts';
import { createBackgroundLoop, type BackgroundLoop, type JobLogger } from './background-loop.ts';

/** How often a node looks for an alert raised elsewhere (alerts last at least a minute). */
const LOOK_MS = 15_000;

/**
 * Clears an expired breaking-news alert from pages. Nothing is written when an alert expires:
 * it simply stops being active. Every node runs this loop, sleeping until the expiry of the
 * alert it knows of, then announcing the change (its page cache, the other nodes', the CDN
 * and open pages drop the banner). Several nodes announcing the same expiry is harmless.
 */
export function createAlertExpiry(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'changes' | 'logger'>,
  options: { logger?: JobLogger } = {},
): BackgroundLoop {
  let known: ActiveAlert | null = null;
  return createBackgroundLoop({
    async tick() {
      const now = deps.clock();
      const nowIso = now.toISOString();
      const current = await findActiveAlert(deps.db, nowIso);
      if (known?.expiresAt && known.expiresAt <= nowIso && current?.id !== known.id) await publishNow(deps, alertChange('alert.expire'));
      known = current;
      if (!current?.expiresAt) return LOOK_MS;
      return Math.min(LOOK_MS, Math.max(50, Date.parse(current.expiresAt) - now.getTime() + 20));
    },
    retryAfterMs: LOOK_MS,
    failureMessage: 'breaking alert expiry check failed; will try again',
    logger: options.logger,
    awaitCatchUp: false,
    keepsProcessAlive: false,
  });
}
