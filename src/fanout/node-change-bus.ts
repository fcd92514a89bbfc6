import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { ChangeBus } from './change-bus.ts';
import { createLocalChangeBus } from './change-bus.ts';
import { createFanoutChangeBus, type FanoutLog } from './change-fanout.ts';
import { createPostgresChangeTransport } from './postgres-change-transport.ts';
import { createRedisChangeTransport } from './redis-change-transport.ts';

/** The channel the nodes of one site share (a Redis channel, or a PostgreSQL NOTIFY channel). */
export const DEFAULT_CHANGE_CHANNEL = 'masthead_changes';

/**
 * This process's change bus. Several nodes stay coherent through Redis pub/sub when
 * MASTHEAD_REDIS_URL is set, else through the PostgreSQL database they share (LISTEN/NOTIFY);
 * on SQLite there is one node and the in-process bus is all there is.
 */
export function createNodeChangeBus(
  config: Pick<Config, 'redisUrl' | 'database'>,
  handle: DatabaseHandle,
  options: {
    channel?: string;
    /** Tests name their nodes; a process is otherwise a node of its own. */ nodeId?: string;
    log: () => FanoutLog;
  },
): ChangeBus {
  const channel = options.channel ?? DEFAULT_CHANGE_CHANNEL;
  // Each process is a node of its own, even several on one host.
  const nodeId = options.nodeId ?? crypto.randomUUID();
  const onError = (err: Error) => options.log().warn({ err }, 'change channel error');
  if (config.redisUrl) {
    return createFanoutChangeBus(createRedisChangeTransport({ url: config.redisUrl, channel, nodeId, onError }), options.log);
  }
  if (config.database.kind === 'postgres') {
    const transport = createPostgresChangeTransport({
      url: config.database.url,
      channel,
      nodeId,
      notify: async (ch, payload) => {
        await sql`select pg_notify(${ch}, ${payload})`.execute(handle.db);
      },
      onError,
    });
    return createFanoutChangeBus(transport, options.log);
  }
  return createLocalChangeBus((err, change) => options.log().error({ err, cause: change.cause }, 'a change listener failed'));
}
