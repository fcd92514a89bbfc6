import type { ServiceDeps } from '../domain/deps.ts';
import { ensureYearIndexes } from '../domain/search/search-year-index.ts';
import { createBackgroundLoop, type BackgroundLoop, type JobLogger } from './background-loop.ts';

/**
 * Keeps PostgreSQL's per-year search indexes (domain/search/search-year-index.ts): at start, in
 * the background (building one for an archive that has none takes seconds to a minute, and
 * search uses the full index meanwhile), then every six hours, so next year's is made early in
 * December. Nothing on SQLite.
 */
export function createSearchYearIndexes(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
  options: { intervalMs?: number; logger?: JobLogger } = {},
): BackgroundLoop {
  const intervalMs = options.intervalMs ?? 6 * 3600_000;
  return createBackgroundLoop({
    tick: async () => {
      if (deps.dialect !== 'postgres') return intervalMs;
      const { created, dropped } = await ensureYearIndexes(deps.db, deps.clock());
      if (created.length || dropped.length) options.logger?.info({ created, dropped }, 'search: per-year indexes updated');
      return intervalMs;
    },
    retryAfterMs: intervalMs,
    failureMessage: 'updating the per-year search indexes failed; will try again',
    logger: options.logger,
    awaitCatchUp: false,
    keepsProcessAlive: false,
  });
}
