import type { ServiceDeps } from '../domain/deps.ts';
import { nextDueAt, publishDue } from '../domain/articles/article-scheduler.ts';

/** The few logger methods the loop uses (pino's Logger fits). */
export interface SchedulerLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SchedulerOptions {
  /** Longest sleep between checks, so jobs scheduled by other nodes are seen within it. Default 1000 ms. */
  maxSleepMs?: number;
  logger?: SchedulerLogger;
}

export interface Scheduler {
  /** Catches up on everything overdue (after downtime), then keeps running until stop(). */
  start(): Promise<void>;
  /** Stops the loop and waits for a check in progress to finish. */
  stop(): Promise<void>;
  /** One check: publishes what is due and returns how long to sleep before the next one. */
  tick(): Promise<number>;
}

/**
 * The in-process publishing loop. It keeps no state of its own (the jobs live in the
 * database), so any number of app nodes may run it, and a restart simply catches up.
 * It wakes at the next due time, and at least every `maxSleepMs`.
 */
export function createScheduler(deps: ServiceDeps, options: SchedulerOptions = {}): Scheduler {
  const maxSleepMs = options.maxSleepMs ?? 1000;
  const log = options.logger;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  async function tick(): Promise<number> {
    const result = await publishDue(deps);
    if (result.published.length) log?.info({ articles: result.published }, `published ${result.published.length} scheduled stor${result.published.length === 1 ? 'y' : 'ies'}`);
    for (const s of result.skipped) log?.info({ job: s.jobId, article: s.articleId }, `scheduled publish skipped: ${s.reason}`);
    for (const e of result.errors) log?.error({ err: e.error, job: e.jobId, article: e.articleId }, 'scheduled publish failed; will retry');
    const next = await nextDueAt(deps.db);
    if (next === null) return maxSleepMs;
    const wait = Date.parse(next) - deps.clock().getTime();
    // A job that keeps failing stays due; a small floor keeps that from spinning the CPU.
    return Math.min(maxSleepMs, Math.max(result.errors.length ? 100 : 10, wait));
  }

  function loop(): void {
    if (stopped) return;
    running = tick().catch((err: unknown) => {
      // A database hiccup must not end the loop; try again after the usual interval.
      log?.error({ err }, 'scheduler check failed');
      return maxSleepMs;
    });
    void running.then((delay) => {
      if (!stopped) timer = setTimeout(loop, delay);
    });
  }

  return {
    tick,
    async start() {
      if (!stopped) return;
      stopped = false;
      const delay = await (running = tick().catch((err: unknown) => {
        log?.error({ err }, 'scheduler catch-up failed');
        return maxSleepMs;
      }));
      if (!stopped) timer = setTimeout(loop, delay);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
