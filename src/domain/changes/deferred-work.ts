/*
 * Work a committed change leaves that readers do not need at once (today: recomputing the
 * "You might also like" lists a story change moved). It runs after the request that made the
 * change has been answered, so a save is acknowledged as soon as its own page, fronts and feeds
 * are purged. Held in ServiceDeps (one per process, built in src/deps.ts); the server's shutdown,
 * the CLI, the demo loader and deps.close() drain it, so nothing is cut mid-transaction and a
 * command ends with its lists refreshed.
 */

/** Where failures go (pino's Logger fits). */
export interface DeferredWorkLogger {
  error(obj: object, msg: string): void;
}

export interface DeferredWork {
  /**
   * Queues `fn` to run once the current request has been answered (started on a later turn of
   * the event loop, never inline). A failure is logged with `label` and `context`, never thrown:
   * the change that queued it has committed.
   */
  run(label: string, fn: () => Promise<void>, context?: object): void;
  /** Resolves once nothing is queued or running, including work queued by work that was running. */
  drain(): Promise<void>;
  /** Jobs queued or running. */
  pending(): number;
}

export interface DeferredWorkOptions {
  /** Read on each failure, so a logger assigned after start-up (main.ts) is the one used. */
  log: () => DeferredWorkLogger;
  /**
   * Jobs running at once. Each holds at most one database connection, so a burst of saves or an
   * import committing hundreds of stories never takes the pool (10 on PostgreSQL) from readers.
   */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 2;

export function createDeferredWork(options: DeferredWorkOptions): DeferredWork {
  const limit = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const queue: Array<{ label: string; fn: () => Promise<void>; context?: object }> = [];
  let running = 0;
  let idle: Array<() => void> = [];

  const settle = () => {
    if (running > 0 || queue.length > 0) return;
    const waiting = idle;
    idle = [];
    for (const resolve of waiting) resolve();
  };

  const next = () => {
    while (running < limit && queue.length > 0) {
      const job = queue.shift()!;
      running++;
      void (async () => {
        try {
          await job.fn();
        } catch (err) {
          options.log().error({ err, job: job.label, ...job.context }, 'deferred work after a committed change failed');
        } finally {
          running--;
          next();
          settle();
        }
      })();
    }
  };

  return {
    run(label, fn, context) {
      queue.push({ label, fn, ...(context ? { context } : {}) });
      // setImmediate, not a microtask: the request's own continuation (rendering and writing
      // the response) runs first, and on SQLite a synchronous query would otherwise delay it.
      setImmediate(next);
    },
    drain() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    pending: () => running + queue.length,
  };
}
