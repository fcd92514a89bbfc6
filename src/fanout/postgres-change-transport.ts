import pg from 'pg';
import type { ChangeTransport, TransportEvents } from './change-fanout.ts';
import { answersInTime, HEARTBEAT_MS, reconnectDelayMs } from './change-fanout.ts';
import { decodeChange, encodeChangeInParts } from './change-message.ts';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; keep a margin. */
const MAX_PAYLOAD_BYTES = 7900;
/** More parts than this and the change is sent as a clear (see encodeChangeInParts). */
const MAX_PARTS = 16;

export interface PostgresChangeTransportOptions {
  /** The site's database: the nodes share it, so its NOTIFY channel reaches all of them. */
  url: string;
  /** Channel name: letters, digits and underscores (tests use a private one). */
  channel: string;
  nodeId: string;
  /** Sends one NOTIFY through the app's own pool: a write that committed can always announce itself. */
  notify(channel: string, payload: string): Promise<void>;
  onError: (err: Error) => void;
}

/**
 * Changes over PostgreSQL LISTEN/NOTIFY, used when there is no Redis. Listening needs a
 * connection of its own for as long as the node runs (a pooled one would drop the LISTEN), so
 * the transport keeps one pg.Client and replaces it on error with backoff; sending goes
 * through the pool. A change too long for one payload is split, or sent as a clear.
 */
export function createPostgresChangeTransport(options: PostgresChangeTransportOptions): ChangeTransport {
  const { channel, nodeId } = options;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`change channel "${channel}" must be a lower-case SQL identifier`);
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let closing = false;

  async function connect(events: TransportEvents, attempt: number, wasDown: boolean): Promise<void> {
    const c = new pg.Client({
      connectionString: options.url,
      // A name other sessions (and tests) can find it by in pg_stat_activity.
      application_name: `masthead-changes-${nodeId}`.slice(0, 63),
      keepAlive: true,
    });
    client = c;
    let failed = false;
    const fail = (reason: string, err?: Error) => {
      if (failed || closing) return;
      failed = true;
      clearInterval(heartbeat);
      if (err) options.onError(err);
      c.removeAllListeners('notification');
      c.end().catch(() => {});
      events.lost(reason);
      const next = attempt + 1;
      retry = setTimeout(() => void connect(events, next, true), reconnectDelayMs(next));
    };
    c.on('error', (err: Error) => fail('PostgreSQL listening connection failed', err));
    c.on('end', () => fail('PostgreSQL listening connection ended'));
    c.on('notification', (msg: pg.Notification) => {
      if (msg.channel !== channel || !msg.payload) return;
      const message = decodeChange(msg.payload);
      if (message && message.nodeId !== nodeId) events.remote(message.change);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (err) {
      fail(wasDown ? 'PostgreSQL still unreachable' : 'could not listen on PostgreSQL', err as Error);
      return;
    }
    if (closing) {
      await c.end().catch(() => {});
      return;
    }
    heartbeat = setInterval(() => {
      void answersInTime(() => c.query('select 1')).then((ok) => ok || fail('PostgreSQL listening connection stopped answering'));
    }, HEARTBEAT_MS);
    heartbeat.unref();
    if (wasDown) events.restored();
  }

  return {
    name: 'postgres',
    async send(change) {
      for (const payload of encodeChangeInParts(nodeId, change, MAX_PAYLOAD_BYTES, MAX_PARTS)) await options.notify(channel, payload);
    },
    listen: (events) => connect(events, 0, false),
    async close() {
      closing = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      await client?.end().catch(() => {});
    },
  };
}
