import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { databaseObserver } from '../db/database-observer.ts';
import type { Deps } from '../deps.ts';
import { schedulerBacklog, webhookOutbox } from '../domain/operations/backlog.ts';
import type { PageCacheStats } from './page-cache.ts';

/*
 * Prometheus metrics (`/metrics`, text format, prom-client). Every name below is charted by
 * deploy/grafana/masthead-dashboard.json (a test keeps the two in step). Label values are
 * bounded: a route's pattern (`/:section/:slug`), never its URL; a status class; a limit name.
 * Values that live elsewhere (the queues in the database, the page cache's counters, the
 * database pool) are read at scrape time, so serving requests pays only for the request
 * histogram and query timing.
 */

export interface AppMetrics {
  /** Counts one refusal of the named rate limit (domain/rate-limits/rate-limit-refusals.ts). */
  rateLimitRefused(limit: string): void;
  /** The exposition text of this process and app. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Process-wide metrics (memory, CPU, event-loop lag, GC): one set per process, however many apps it builds. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Creates the app's metrics and adds the request hook to `app`: call before any route or
 * plugin is registered, so every route inherits the hook.
 */
export function instrumentApp(
  app: FastifyInstance,
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  pageCacheStats: () => PageCacheStats | null,
): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  // Started now rather than at the first scrape, so event-loop delay is sampled from the start.
  const processRegistryNow = processMetrics();

  const requestDuration = new Histogram({
    name: 'masthead_http_request_duration_seconds',
    help: 'Time to answer a routed request (page-cache hits answered before routing are counted by masthead_page_cache_hits_total).',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  app.addHook('onResponse', (req, reply, done) => {
    requestDuration.observe(
      {
        method: req.method,
        // The route's pattern; requests no route matched (404s) share one value.
        route: req.routeOptions.url ?? '(unmatched)',
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
    done();
  });

  const queryDuration = new Histogram({
    name: 'masthead_db_query_duration_seconds',
    help: 'Database query time, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: QUERY_BUCKETS,
    registers,
  });
  const observer = databaseObserver(deps.db);
  const unsubscribe = observer?.onQuery((ms, failed) => queryDuration.observe({ outcome: failed ? 'error' : 'ok' }, ms / 1000));
  app.addHook('onClose', async () => unsubscribe?.());
  if (observer?.pool()) {
    new Gauge({
      name: 'masthead_db_pool_connections',
      help: 'PostgreSQL pool connections, by state (busy: running a query or transaction).',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const p = observer.pool()!;
        this.set({ state: 'busy' }, p.total - p.idle);
        this.set({ state: 'idle' }, p.idle);
      },
    });
    new Gauge({
      name: 'masthead_db_pool_max_connections',
      help: 'Size limit of the PostgreSQL pool.',
      registers,
      collect() {
        this.set(observer.pool()!.max);
      },
    });
    new Gauge({
      name: 'masthead_db_pool_waiting_requests',
      help: 'Queries waiting for a free PostgreSQL connection.',
      registers,
      collect() {
        this.set(observer.pool()!.waiting);
      },
    });
  }

  // Queue backlogs come from the database; a scrape during an outage still answers (NaN here).
  const fromDatabase = <T>(read: () => Promise<T>, apply: (v: T | undefined) => void) =>
    async function collect() {
      try {
        apply(await read());
      } catch (err) {
        deps.logger?.warn({ err }, 'metrics: could not read a queue backlog');
        apply(undefined);
      }
    };
  const lagGauge = new Gauge({
    name: 'masthead_scheduler_lag_seconds',
    help: 'Age of the oldest scheduled publication that is due and not yet published (0: none is late).',
    registers,
  });
  const overdueGauge = new Gauge({
    name: 'masthead_scheduler_overdue_jobs',
    help: 'Scheduled publications due and not yet published.',
    registers,
  });
  const outboxDepth = new Gauge({ name: 'masthead_webhook_outbox_depth', help: 'Webhook deliveries waiting or in flight.', registers });
  const outboxAge = new Gauge({
    name: 'masthead_webhook_outbox_oldest_age_seconds',
    help: 'Age of the oldest undelivered webhook delivery (0: none).',
    registers,
  });
  // Read once per scrape (render), before the registry is written out.
  const readBacklogs = fromDatabase(
    async () => ({ s: await schedulerBacklog(deps.db, deps.clock()), o: await webhookOutbox(deps.db, deps.clock()) }),
    (v) => {
      lagGauge.set(v?.s.lagSeconds ?? NaN);
      overdueGauge.set(v?.s.overdue ?? NaN);
      outboxDepth.set(v?.o.depth ?? NaN);
      outboxAge.set(v?.o.oldestAgeSeconds ?? NaN);
    },
  );

  const refusals = new Counter({
    name: 'masthead_rate_limit_refusals_total',
    help: 'Rate-limit checks that refused, by limit (login, reader-login, comment, report, signup, api-content, api-admin).',
    labelNames: ['limit'] as const,
    registers,
  });

  // The cache keeps its own counters (hits answered on the raw fast path included): copied at scrape.
  const cacheCounter = (name: string, help: string, pick: (s: PageCacheStats) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        const s = pageCacheStats();
        if (s) this.inc(pick(s));
      },
    });
  cacheCounter('masthead_page_cache_hits_total', 'Public responses answered from this node’s page cache.', (s) => s.hits);
  cacheCounter('masthead_page_cache_misses_total', 'Cacheable public requests that had to render.', (s) => s.misses);
  cacheCounter('masthead_page_cache_purges_total', 'Purges applied to the page cache (tag purges and full clears).', (s) => s.purges);
  cacheCounter('masthead_page_cache_evictions_total', 'Entries dropped to stay within the memory bound.', (s) => s.evictions);
  new Gauge({
    name: 'masthead_page_cache_bytes',
    help: 'Memory held by the page cache (all stored variants).',
    registers,
    collect() {
      this.set(pageCacheStats()?.bytes ?? 0);
    },
  });
  new Gauge({
    name: 'masthead_page_cache_entries',
    help: 'Responses held by the page cache.',
    registers,
    collect() {
      this.set(pageCacheStats()?.entries ?? 0);
    },
  });

  return {
    rateLimitRefused: (limit) => refusals.inc({ limit }),
    async render() {
      await readBacklogs();
      const body = (await processRegistryNow.metrics()) + (await registry.metrics());
      return { contentType: registry.contentType, body };
    },
  };
}

/** Compares a presented bearer token with the configured one in constant time (hashes have equal lengths). */
export function metricsTokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(m?.[1] ?? ''), digest(token)) && m !== null;
}

/** `GET /metrics` on the main port, for `Authorization: Bearer <MASTHEAD_METRICS_TOKEN>` only. */
export function registerMetricsRoute(app: FastifyInstance, metrics: AppMetrics, token: string): void {
  app.get('/metrics', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!metricsTokenMatches(req.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .type('text/plain; charset=utf-8')
        .send('Send the metrics token as "Authorization: Bearer <MASTHEAD_METRICS_TOKEN>".\n');
    }
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });
}
