import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { checkDatabase } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import type { Deps } from '../deps.ts';
import { toPublicError } from './errors.ts';

/*
 * Probes for orchestrators. `/health/live`: the process answers (restart it when it does not).
 * `/health/ready`: this node can do its work (take it out of the load balancer when it cannot):
 * the database answers, its migrations are current, the media store can be written (the
 * bucket answers), Redis answers when configured, and the
 * background loops named by the app (the scheduler, the webhook worker) are running. Each
 * failure is named with a reason in words safe to show anyone (never a driver's text).
 */

/** A background loop as readiness sees it (jobs/background-loop.ts fits). */
export interface WatchedLoop {
  isRunning(): boolean;
}

export interface ReadinessOptions {
  /** Loops that must be running, by the name a failure reports (`scheduler`, `webhookWorker`). */
  loops?: Readonly<Record<string, WatchedLoop>>;
}

type Check = { ok: true } | { ok: false; reason: string };

/** A Redis round trip bounded in time; the connection is opened on the first check. */
function redisProbe(url: string): { ping(): Promise<void>; close(): Promise<void> } {
  // No offline queue and no retries per command: a ping while Redis is away fails at once
  // instead of waiting for a reconnection that may never come.
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  redis.on('error', () => {});
  return {
    async ping() {
      if (redis.status === 'wait') await redis.connect();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        redis.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer in time')), 2000))),
      ]).finally(() => clearTimeout(timer));
    },
    close: async () => void (await redis.quit().catch(() => redis.disconnect())),
  };
}

const LOOP_WORDS: Record<string, string> = { scheduler: 'The publishing scheduler', webhookWorker: 'The webhook delivery worker' };

export function registerReadinessRoutes(
  app: FastifyInstance,
  deps: Pick<Deps, 'db' | 'config' | 'mediaStore'>,
  options: ReadinessOptions = {},
): void {
  const redis = deps.config.redisUrl ? redisProbe(deps.config.redisUrl) : undefined;
  if (redis) app.addHook('onClose', async () => redis.close());

  app.get('/health/live', async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/health/ready', async (_req, reply) => {
    const checks: Record<string, Check> = {};
    let database: Check;
    try {
      await checkDatabase(deps.db);
      database = { ok: true };
    } catch (err) {
      database = { ok: false, reason: toPublicError(err).message };
    }
    checks.database = database;
    if (database.ok) {
      try {
        const pending = await pendingMigrations(deps.db);
        checks.migrations = pending.length
          ? {
              ok: false,
              reason: `${pending.length} migration(s) not yet run, the first ${pending[0]}; start the server once to apply them.`,
            }
          : { ok: true };
      } catch (err) {
        checks.migrations = { ok: false, reason: toPublicError(err).message };
      }
    } else {
      checks.migrations = { ok: false, reason: 'Not checked: the database is unavailable.' };
    }
    if (redis) {
      try {
        await redis.ping();
        checks.redis = { ok: true };
      } catch {
        checks.redis = { ok: false, reason: 'Redis (MASTHEAD_REDIS_URL) does not answer.' };
      }
    }
    try {
      await deps.mediaStore.probe();
      checks.media = { ok: true };
    } catch (err) {
      checks.media = { ok: false, reason: toPublicError(err).message };
    }
    for (const [name, loop] of Object.entries(options.loops ?? {})) {
      checks[name] = loop.isRunning() ? { ok: true } : { ok: false, reason: `${LOOP_WORDS[name] ?? `The ${name} loop`} is not running.` };
    }
    const failed = Object.entries(checks).filter((c): c is [string, Check & { ok: false }] => !c[1].ok);
    const body = {
      status: failed.length ? 'unavailable' : 'ready',
      ...(failed.length ? { reason: failed.map(([name, c]) => `${name}: ${c.reason}`).join(' ') } : {}),
      checks,
    };
    return reply
      .code(failed.length ? 503 : 200)
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(body);
  });
}
