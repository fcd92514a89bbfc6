import pino from 'pino';
import { buildApp } from './app.ts';
import { closeServer } from './http/server-close.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DatabaseUnavailableError } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createDeps } from './deps.ts';
import { startCdnPurger } from './fanout/cdn-purge.ts';
import { loadDemoContentIfEmpty } from './demo/demo-content.ts';
import { createScheduler } from './jobs/scheduler.ts';
import { createImageCropBackfill } from './jobs/image-crop-backfill.ts';
import { createMediaSweeper } from './jobs/media-sweeper.ts';
import { createPlannerStatistics } from './jobs/planner-statistics.ts';
import { createSearchYearIndexes } from './jobs/search-year-indexes.ts';
import { createSessionSweeper } from './jobs/session-sweeper.ts';
import { createAlertExpiry } from './jobs/alert-expiry.ts';
import { createWebhookWorker } from './jobs/webhook-worker.ts';
import { createWebhookPruner } from './jobs/webhook-pruner.ts';
import { startMetricsServer } from './http/metrics-server.ts';
import { createDemoAdminIfNoUsers, demoAdminNotice } from './domain/accounts/demo-admin.ts';

/** How long requests in flight at SIGTERM may take to finish before their connections are closed. */
const REQUEST_GRACE_MS = 6_000;
/** Deferred work (related lists the last saves moved) gets this long to finish. */
const DEFERRED_WORK_MS = 1_000;
/** Purges still queued for the CDN get this long to go out. */
const PURGE_FLUSH_MS = 2_000;
/** The whole shutdown; past it the process exits anyway (with 1, the log says why). */
const SHUTDOWN_DEADLINE_MS = 9_500;

/** Resolves when `work` does or after `ms`, whichever is first (a timer that never holds the process). */
function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms).unref()));
  return Promise.race([work.then(() => {}), timeout]).finally(() => clearTimeout(timer));
}

/** Process entry: config → database → migrations → demo content → HTTP. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const deps = await createDeps(config);
  deps.logger = logger;
  await migrateToLatest(deps.db);
  if (config.demoContent) {
    const loaded = await loadDemoContentIfEmpty(deps);
    if (loaded) logger.info({ articles: loaded.articles }, 'loaded demo content into the empty database');
    const demoAdmin = loaded ? await createDemoAdminIfNoUsers(deps) : null;
    if (demoAdmin) process.stdout.write(demoAdminNotice(demoAdmin, config.siteUrl));
  }
  // Scheduled publishing: state lives in the database, so starting catches up on anything overdue.
  const scheduler = createScheduler(deps, { logger, commentsCloseAfterDays: config.comments.closeAfterDays });
  // Webhook deliveries: a durable queue in the database, so pending ones are sent after a restart.
  const webhookWorker = createWebhookWorker(deps, { logger, allowPrivate: config.webhooksAllowPrivate });
  // /health/ready reports either loop when it is not running (before start, after a stop).
  const app = await buildApp(deps, { logger, loops: { scheduler, webhookWorker } });
  // Tag purges at the CDN after every change this node applies (MASTHEAD_CDN_PURGE_URL; none when
  // unset); subscribed after the app's page cache, so this node has dropped its copies first.
  const cdnPurger = startCdnPurger(deps.changes, config.cdnPurge, logger);
  // Hear the other nodes' changes before serving (Redis or PostgreSQL; nothing on SQLite). A
  // channel that is down does not stop the start: the bus keeps retrying and clears meanwhile.
  await deps.changes.start();
  // Expired newsroom and reader sessions nobody comes back to: deleted hourly.
  const sessionSweeper = createSessionSweeper(deps, { logger });
  // Images stored before crops existed get them in the background (structured data offers them once made).
  const cropBackfill = createImageCropBackfill(deps, { logger });
  // Media folders and temporary files interrupted uploads left: at start, then hourly.
  const mediaSweeper = createMediaSweeper(deps, { logger });
  // Finished webhook deliveries past MASTHEAD_WEBHOOK_RETENTION_DAYS: at start, then hourly.
  const webhookPruner = createWebhookPruner(deps, { logger, retentionDays: config.webhookRetentionDays });
  // SQLite's planner statistics (the demo content or an import just filled the tables): at start, then hourly.
  const plannerStatistics = createPlannerStatistics(deps, { logger });
  // PostgreSQL's per-year search indexes: made in the background at start, next year's in December.
  const searchYearIndexes = createSearchYearIndexes(deps, { logger });
  // A breaking-news alert reaching its expiry: pages on every node drop the banner.
  const alertExpiry = createAlertExpiry(deps, { logger });
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Whatever still hangs after this (a database that does not answer its close) must not
    // keep a node that was told to stop alive: orchestrators kill after 10 s or so anyway.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // In parallel: the server stops accepting and drains (bounded), the loops finish their
    // current job. A loop still busy when the grace ends (a webhook awaiting a slow receiver)
    // is left behind: its claim is a lease, so the delivery is retried after the restart.
    try {
      await Promise.all([
        closeServer(app, REQUEST_GRACE_MS),
        within(
          Promise.all([
            scheduler.stop(),
            webhookWorker.stop(),
            sessionSweeper.stop(),
            cropBackfill.stop(),
            mediaSweeper.stop(),
            webhookPruner.stop(),
            alertExpiry.stop(),
            plannerStatistics.stop(),
            searchYearIndexes.stop(),
            metricsServer?.close(),
          ]),
          REQUEST_GRACE_MS,
        ),
      ]);
      // No request or loop can queue more now. The related lists the last saves moved, then the
      // purges they published; deps.close() waits for whatever is still running past the bound
      // (a refresh is one short transaction), and the deadline above caps it all.
      await within(deps.deferredWork.drain(), DEFERRED_WORK_MS);
      await within(cdnPurger.stop(), PURGE_FLUSH_MS);
      await deps.close();
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
    logger.info('shut down');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ port: config.port, host: config.host });
  await scheduler.start();
  await webhookWorker.start();
  await sessionSweeper.start();
  await cropBackfill.start();
  await mediaSweeper.start();
  await webhookPruner.start();
  await alertExpiry.start();
  await plannerStatistics.start();
  await searchYearIndexes.start();
  // MASTHEAD_METRICS_PORT: /metrics on a port of its own, on the same interface as the site.
  if (app.metrics && config.metrics.port !== undefined) {
    metricsServer = await startMetricsServer({
      host: config.host,
      port: config.metrics.port,
      metrics: app.metrics,
      token: config.metrics.token,
    });
    logger.info({ port: metricsServer.port }, 'serving /metrics on its own port');
  }
  logger.info(`Masthead is serving ${config.siteUrl} (listening on ${address}, database: ${deps.dialect})`);
}

main().catch((err: unknown) => {
  // Expected start-up failures get one clear line, not a stack trace.
  if (err instanceof ConfigError || err instanceof DatabaseUnavailableError) {
    process.stderr.write(`masthead: ${err.message}\n`);
  } else if ((err as { code?: string }).code === 'EADDRINUSE') {
    process.stderr.write(`masthead: the port is already in use (${(err as Error).message}). Set PORT to a free port.\n`);
  } else {
    process.stderr.write(`masthead: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  process.exit(1);
});
