import type { ServiceDeps } from '../domain/deps.ts';
import { sweepOrphanMedia } from '../domain/media/media-sweep.ts';
import { createBackgroundLoop, type BackgroundLoop, type JobLogger } from './background-loop.ts';

/**
 * Removes what interrupted uploads left in the media folder (see domain/media/media-sweep.ts):
 * once at start, in the background (a big folder must not hold up start-up), then hourly.
 * Several nodes sweeping one folder is harmless: removals are idempotent.
 */
export function createMediaSweeper(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'mediaStore'>,
  options: { intervalMs?: number; logger?: JobLogger } = {},
): BackgroundLoop {
  const intervalMs = options.intervalMs ?? 3600_000;
  return createBackgroundLoop({
    tick: async () => {
      const result = await sweepOrphanMedia(deps);
      if (result.removedFolders.length || result.removedTempFiles)
        options.logger?.info(
          { folders: result.removedFolders.length, tempFiles: result.removedTempFiles },
          'removed media files left by interrupted uploads',
        );
      return intervalMs;
    },
    retryAfterMs: intervalMs,
    failureMessage: 'media sweep failed; will try again',
    logger: options.logger,
    awaitCatchUp: false,
    keepsProcessAlive: false,
  });
}
