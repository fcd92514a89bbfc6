import { Redis } from 'ioredis';
import type { ChangeTransport, TransportEvents } from './change-fanout.ts';
import { answersInTime, HEARTBEAT_MS, reconnectDelayMs } from './change-fanout.ts';
import { decodeChange, encodeChange } from './change-message.ts';

export interface RedisChangeTransportOptions {
  url: string;
  /** Pub/sub channel shared by the nodes of one site (tests use a private one). */
  channel: string;
  /** This node's id: messages carrying it are our own and ignored. */
  nodeId: string;
  onError: (err: Error) => void;
}

/**
 * Changes over Redis pub/sub (MASTHEAD_REDIS_URL). Two connections, because a subscribed
 * connection can only listen: one publishes (opened on first use; while Redis is down its
 * messages queue and go out on reconnect), one listens. The listener subscribes itself on
 * every connect (not ioredis' automatic resubscribe), so "restored" is told only once the
 * subscription is in place and nothing published after it can be missed.
 */
export function createRedisChangeTransport(options: RedisChangeTransportOptions): ChangeTransport {
  const { url, channel, nodeId } = options;
  const retryStrategy = (attempt: number) => reconnectDelayMs(attempt);
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy });
  publisher.on('error', options.onError);
  let subscriber: Redis | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let closing = false;

  return {
    name: 'redis',
    async send(change) {
      await publisher.publish(channel, encodeChange(nodeId, change));
    },
    listen(events: TransportEvents) {
      // A name other processes (and tests) can find it by in CLIENT LIST.
      const sub = new Redis(url, {
        autoResubscribe: false,
        maxRetriesPerRequest: null,
        retryStrategy,
        connectionName: `masthead-changes-${nodeId}`,
      });
      subscriber = sub;
      let down = false;
      let first = true;
      // A silent connection is dropped and reconnected, which reports the loss ('close' below).
      heartbeat = setInterval(() => {
        if (sub.status === 'ready') void answersInTime(() => sub.ping()).then((ok) => ok || sub.disconnect(true));
      }, HEARTBEAT_MS);
      heartbeat.unref();
      return new Promise<void>((resolve) => {
        sub.on('error', options.onError);
        sub.on('message', (_channel: string, text: string) => {
          const message = decodeChange(text);
          if (message && message.nodeId !== nodeId) events.remote(message.change);
        });
        sub.on('ready', () => {
          sub.subscribe(channel).then(
            () => {
              if (down) events.restored();
              down = false;
              first = false;
              resolve();
            },
            // The connection dropped again before the subscription; 'close' reports it.
            (err: Error) => options.onError(err),
          );
        });
        sub.on('close', () => {
          if (closing) return;
          // A failed first attempt also counts: the node starts with its channel down.
          down = true;
          events.lost(first ? 'could not connect to Redis' : 'Redis connection closed');
          resolve();
        });
      });
    },
    async close() {
      closing = true;
      clearInterval(heartbeat);
      subscriber?.disconnect();
      // QUIT lets messages already queued go out; with Redis down there is nothing to wait for.
      if (publisher.status === 'ready') await publisher.quit().catch(() => {});
      publisher.disconnect();
    },
  };
}
