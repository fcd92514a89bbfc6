import type { ServiceDeps } from '../domain/deps.ts';
import { USER_SESSIONS } from '../domain/accounts/user-sessions.ts';
import { READER_SESSIONS } from '../domain/readers/reader-sessions.ts';
import { sweepExpiredSessions } from '../domain/sessions/session-service.ts';
import { createBackgroundLoop, type BackgroundLoop, type JobLogger } from './background-loop.ts';

export interface SessionSweeper extends BackgroundLoop {
  /** One sweep of every kind of session; returns how many rows were deleted. */
  sweep(): Promise<number>;
}

/**
 * Deletes expired newsroom and reader sessions. A session is refused once expired whether or
 * not its row is still there, so this only keeps the tables small: once an hour is plenty,
 * and several app nodes sweeping at once is harmless (the DELETE is idempotent).
 */
export function createSessionSweeper(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  options: { intervalMs?: number; logger?: JobLogger } = {},
): SessionSweeper {
  const intervalMs = options.intervalMs ?? 3600_000;

  async function sweep(): Promise<number> {
    let deleted = 0;
    for (const audience of [USER_SESSIONS, READER_SESSIONS]) deleted += await sweepExpiredSessions(deps, audience);
    return deleted;
  }

  const loop = createBackgroundLoop({
    tick: async () => (await sweep(), intervalMs),
    retryAfterMs: intervalMs,
    failureMessage: 'session sweep failed; will try again',
    logger: options.logger,
    awaitCatchUp: true,
    keepsProcessAlive: false,
  });
  return { ...loop, sweep };
}
