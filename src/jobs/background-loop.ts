/** The few logger methods the background loops use (pino's Logger fits). */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BackgroundLoop {
  /** Starts the loop (see `awaitCatchUp`), then keeps running until stop(). */
  start(): Promise<void>;
  /** Stops the loop and waits for a check in progress to finish. */
  stop(): Promise<void>;
  /** One check: does what is due and returns how long to sleep before the next one. */
  tick(): Promise<number>;
  /** Started and not stopped (readiness reports a loop that is not). */
  isRunning(): boolean;
}

export interface BackgroundLoopOptions {
  /** One check; returns the milliseconds to sleep before the next. */
  tick: () => Promise<number>;
  /** Sleep after a failed check. */
  retryAfterMs: number;
  /** Logged (with the error) when a check fails, e.g. 'scheduler check failed'. */
  failureMessage: string;
  logger?: JobLogger | undefined;
  /**
   * Whether start() waits for the first check (the scheduler's catch-up after downtime, so
   * overdue stories are out before the server says it is up) or runs it in the background
   * (a webhook backlog may take a while and must not hold up start-up).
   */
  awaitCatchUp: boolean;
  /** False for housekeeping that must never keep the process alive on its own (timers are unref'd). */
  keepsProcessAlive?: boolean;
}

/**
 * A self-rescheduling loop around one `tick`. It keeps no state of its own beyond its timer:
 * the work lives in the database, so any number of app nodes may run the same loop, and a
 * restart simply catches up. A failing check (a database hiccup) never ends the loop.
 */
export function createBackgroundLoop(options: BackgroundLoopOptions): BackgroundLoop {
  const { tick, retryAfterMs, failureMessage, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  const guarded = () =>
    tick().catch((err: unknown) => {
      logger?.error({ err }, failureMessage);
      return retryAfterMs;
    });

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(loop, delay);
    if (options.keepsProcessAlive === false) timer.unref();
  }

  function loop(): void {
    if (stopped) return;
    running = guarded();
    void running.then(schedule);
  }

  return {
    tick,
    isRunning: () => !stopped,
    async start() {
      if (!stopped) return;
      stopped = false;
      if (!options.awaitCatchUp) return loop();
      schedule(await (running = guarded()));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
