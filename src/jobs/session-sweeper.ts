import type { ServiceDeps } from '../domain/deps.ts';
import { USER_SESSIONS } from '../domain/accounts/user-sessions.ts';
import { READER_SESSIONS } from '../domain/readers/reader-sessions.ts';
import { sweepExpiredSessions } from '../domain/sessions/session-service.ts';

/** The logger method the loop uses (pino's Logger fits). */
export interface SessionSweeperLogger {
  error(obj: object, msg: string): void;
}

export interface SessionSweeper {
  /** Sweeps once now, then every `intervalMs` until stop(). */
  start(): Promise<void>;
  /** Stops the loop and waits for a sweep in progress to finish. */
  stop(): Promise<void>;
  /** One sweep of every kind of session; returns how many rows were deleted. */
  tick(): Promise<number>;
}

/**
 * Deletes expired newsroom and reader sessions. A session is refused once expired whether or
 * not its row is still there, so this only keeps the tables small: once an hour is plenty,
 * and several app nodes sweeping at once is harmless (the DELETE is idempotent).
 */
export function createSessionSweeper(deps: Pick<ServiceDeps, 'db' | 'clock'>, options: { intervalMs?: number; logger?: SessionSweeperLogger } = {}): SessionSweeper {
  const intervalMs = options.intervalMs ?? 3600_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function tick(): Promise<number> {
    let deleted = 0;
    for (const audience of [USER_SESSIONS, READER_SESSIONS]) deleted += await sweepExpiredSessions(deps, audience);
    return deleted;
  }

  const guarded = () => (running = tick().catch((err: unknown) => options.logger?.error({ err }, 'session sweep failed; will try again')));

  return {
    tick,
    async start() {
      if (timer) return;
      await guarded();
      timer = setInterval(guarded, intervalMs);
      // The sweep alone never keeps the process alive.
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
