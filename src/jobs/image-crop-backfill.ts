import type { ServiceDeps } from '../domain/deps.ts';
import { backfillImageCrops } from '../domain/media/image-crops.ts';
import { createBackgroundLoop, type BackgroundLoop, type JobLogger } from './background-loop.ts';

/**
 * Gives images stored before crops existed their 1:1, 4:3 and 16:9 crops (image-crops.ts),
 * a batch at a time in the background after start: a full batch means more may wait, so the
 * next follows shortly; otherwise it looks again hourly (nothing new needs it: uploads make
 * their crops). Several nodes doing it at once only repeat the same idempotent writes.
 */
export function createImageCropBackfill(
  deps: Pick<ServiceDeps, 'db' | 'mediaStore' | 'clock' | 'changes' | 'logger'>,
  options: { batch?: number; logger?: JobLogger } = {},
): BackgroundLoop {
  const batch = options.batch ?? 20;
  return createBackgroundLoop({
    tick: async () => ((await backfillImageCrops(deps, batch)).looked === batch ? 1000 : 3600_000),
    retryAfterMs: 600_000,
    failureMessage: 'image crop back-fill failed; will try again',
    logger: options.logger,
    awaitCatchUp: false,
    keepsProcessAlive: false,
  });
}
