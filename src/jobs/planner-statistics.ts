import { refreshPlannerStatistics } from '../db/planner-statistics.ts';
import type { ServiceDeps } from '../domain/deps.ts';
import { createBackgroundLoop, type BackgroundLoop, type JobLogger } from './background-loop.ts';

/**
 * Keeps SQLite's query-planner statistics current (db/planner-statistics.ts): at start, after
 * the demo content or an import has filled the tables, then hourly as the archive grows.
 */
export function createPlannerStatistics(
  deps: Pick<ServiceDeps, 'db' | 'dialect'>,
  options: { intervalMs?: number; logger?: JobLogger } = {},
): BackgroundLoop {
  const intervalMs = options.intervalMs ?? 3600_000;
  return createBackgroundLoop({
    tick: async () => (await refreshPlannerStatistics(deps.db, deps.dialect), intervalMs),
    retryAfterMs: intervalMs,
    failureMessage: 'refreshing the query planner statistics failed; will try again',
    logger: options.logger,
    awaitCatchUp: false,
    keepsProcessAlive: false,
  });
}
