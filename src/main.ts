import pino from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DatabaseUnavailableError } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createDeps } from './deps.ts';
import { startCdnPurger } from './fanout/cdn-purge.ts';
import { loadDemoContentIfEmpty } from './demo/demo-content.ts';
import { createScheduler } from './jobs/scheduler.ts';
import { createMediaSweeper } from './jobs/media-sweeper.ts';
import { createSessionSweeper } from './jobs/session-sweeper.ts';
import { createWebhookWorker } from './jobs/webhook-worker.ts';
import { createDemoAdminIfNoUsers, demoAdminNotice } from './domain/accounts/demo-admin.ts';

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
  const app = await buildApp(deps, { logger });
  // Tag purges at the CDN after this node's changes (MASTHEAD_CDN_PURGE_URL; none when unset).
  const cdnPurger = startCdnPurger(deps.changes, config.cdnPurge, logger);
  // Hear the other nodes' changes before serving (Redis or PostgreSQL; nothing on SQLite). A
  // channel that is down does not stop the start: the bus keeps retrying and clears meanwhile.
  await deps.changes.start();
  // Scheduled publishing: state lives in the database, so starting catches up on anything overdue.
  const scheduler = createScheduler(deps, { logger });
  // Webhook deliveries: a durable queue in the database, so pending ones are sent after a restart.
  const webhookWorker = createWebhookWorker(deps, { logger, allowPrivate: config.webhooksAllowPrivate });
  // Expired newsroom and reader sessions nobody comes back to: deleted hourly.
  const sessionSweeper = createSessionSweeper(deps, { logger });
  // Media folders and temporary files interrupted uploads left: at start, then hourly.
  const mediaSweeper = createMediaSweeper(deps, { logger });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await scheduler.stop();
    await webhookWorker.stop();
    await sessionSweeper.stop();
    await mediaSweeper.stop();
    await app.close();
    await cdnPurger.stop();
    await deps.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  await scheduler.start();
  await webhookWorker.start();
  await sessionSweeper.start();
  await mediaSweeper.start();
  logger.info(`Masthead is serving ${config.siteUrl} (listening on http://${config.host}:${config.port}, database: ${deps.dialect})`);
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
