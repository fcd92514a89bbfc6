import { clearEverything, type ContentChange } from '../domain/changes/content-change.ts';
import { createLocalChangeBus, type ChangeBus } from './change-bus.ts';

/** What the fan-out tells a transport's owner while it listens. */
export interface TransportEvents {
  /** A change another node made. */
  remote(change: ContentChange): void;
  /** The channel is down (on the loss, and on every failed reconnect attempt). */
  lost(reason: string): void;
  /** The channel is back and listening again after a loss. */
  restored(): void;
}

/** A way to reach the other nodes (Redis pub/sub, PostgreSQL LISTEN/NOTIFY). */
export interface ChangeTransport {
  /** Human name for logs: `redis`, `postgres`. */
  readonly name: string;
  /** Sends a change this node made to the other nodes. */
  send(change: ContentChange): Promise<void>;
  /** Starts listening; resolves once listening or once the first attempt failed (it keeps retrying with backoff). */
  listen(events: TransportEvents): Promise<void>;
  close(): Promise<void>;
}

export interface FanoutLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** How long close() waits for sends under way before closing the transport. */
const CLOSE_WAIT_MS = 2000;

/**
 * A listening connection can die without a word (a half-open TCP connection after a network
 * partition): every HEARTBEAT_MS it must answer a ping within HEARTBEAT_TIMEOUT_MS, or it
 * counts as lost.
 */
export const HEARTBEAT_MS = 10_000;
export const HEARTBEAT_TIMEOUT_MS = 5_000;

/** Whether `probe` answers in time; never throws. */
export async function answersInTime(probe: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), HEARTBEAT_TIMEOUT_MS)));
  try {
    return await Promise.race([
      probe().then(
        () => true as const,
        () => false as const,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Delays between reconnect attempts: doubling from 100 ms, capped at 2 s so an outage's end is noticed soon. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), 2000);
}

/**
 * A bus whose local changes also go to the other nodes, and whose listeners also hear theirs
 * (origin 'remote'). Sending never holds up the write that published: it runs beside this
 * node's own delivery, and close() waits for sends still under way. A node that loses its
 * channel delivers a clear (origin 'remote', see ContentChange): on the loss, on every failed
 * attempt while it lasts (so a cache refilled during the outage is dropped again) and once the
 * channel is back, because changes made meanwhile were never heard.
 */
export function createFanoutChangeBus(transport: ChangeTransport, log: () => FanoutLog): ChangeBus {
  const local = createLocalChangeBus((err, change) => log().error({ err, cause: change.cause }, 'a change listener failed'));
  const sending = new Set<Promise<void>>();
  let started = false;

  function send(change: ContentChange): void {
    const sent = transport
      .send(change)
      .catch((err: unknown) =>
        log().error({ err, cause: change.cause, transport: transport.name }, 'a change was not sent to the other nodes'),
      )
      .finally(() => sending.delete(sent));
    sending.add(sent);
  }

  return {
    async publish(change) {
      send(change);
      await local.deliver(change, 'local');
    },
    subscribe: (listener) => local.subscribe(listener),
    async start() {
      if (started) return;
      started = true;
      await transport.listen({
        remote: (change) => void local.deliver(change, 'remote'),
        lost(reason) {
          log().warn({ transport: transport.name, reason }, 'lost the change channel to the other nodes: clearing the page cache');
          void local.deliver(clearEverything('fanout.lost'), 'remote');
        },
        restored() {
          log().warn({ transport: transport.name }, 'change channel restored: clearing the page cache');
          void local.deliver(clearEverything('fanout.restored'), 'remote');
        },
      });
    },
    async close() {
      // Sends still waiting for a channel that is down give up with the transport below.
      await Promise.race([Promise.allSettled([...sending]), new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
      await transport.close();
      await local.close();
    },
  };
}
