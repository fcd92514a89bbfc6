import type { ServiceDeps } from '../domain/deps.ts';
import { deliverDue, nextDeliveryDueAt, type DeliveryOptions } from '../domain/webhooks/webhook-delivery.ts';

/** The few logger methods the loop uses (pino's Logger fits). */
export interface WebhookWorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WebhookWorkerOptions extends DeliveryOptions {
  /** Longest sleep between checks, so rows queued by other nodes are seen within it. Default 1000 ms. */
  maxSleepMs?: number;
  logger?: WebhookWorkerLogger;
}

export interface WebhookWorker {
  /** Starts the loop: sends everything already due (after downtime) in the background, then keeps running until stop(). */
  start(): Promise<void>;
  /** Stops the loop and waits for deliveries in flight to be recorded. */
  stop(): Promise<void>;
  /** One check: sends what is due and returns how long to sleep before the next one. */
  tick(): Promise<number>;
}

/**
 * The in-process webhook delivery loop. The queue lives in `webhook_deliveries`, so any
 * number of app nodes may run it and a restart picks up where the last process stopped.
 * Logs name the delivery and hook ids and the outcome, never the secret or the payload.
 */
export function createWebhookWorker(deps: ServiceDeps, options: WebhookWorkerOptions): WebhookWorker {
  const maxSleepMs = options.maxSleepMs ?? 1000;
  const log = options.logger;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  async function tick(): Promise<number> {
    const outcomes = await deliverDue(deps, options);
    for (const o of outcomes) {
      const fields = { delivery: o.id, webhook: o.webhookId, status: o.statusCode };
      if (o.outcome === 'succeeded') log?.info(fields, 'webhook delivered');
      else if (o.outcome === 'disabled') log?.warn(fields, 'webhook receiver answered 410 Gone; the webhook was disabled');
      else log?.warn({ ...fields, error: o.error }, o.outcome === 'retry' ? 'webhook delivery failed; will retry' : 'webhook delivery failed for good');
    }
    const next = await nextDeliveryDueAt(deps.db);
    if (next === null) return maxSleepMs;
    return Math.min(maxSleepMs, Math.max(10, Date.parse(next) - deps.clock().getTime()));
  }

  const guarded = (what: string) =>
    tick().catch((err: unknown) => {
      // A database hiccup must not end the loop; try again after the usual interval.
      log?.error({ err }, what);
      return maxSleepMs;
    });

  function loop(): void {
    if (stopped) return;
    running = guarded('webhook worker check failed');
    void running.then((delay) => {
      if (!stopped) timer = setTimeout(loop, delay);
    });
  }

  return {
    tick,
    async start() {
      if (!stopped) return;
      stopped = false;
      // Not awaited: catching up on a backlog may take a while and must not hold up start-up.
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
