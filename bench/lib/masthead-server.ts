/*
 * The Masthead server process used by the benchmark (started with `node --import tsx` via
 * child_process.fork, so it never shares a CPU core's event loop with the load generator).
 *
 * It mirrors src/main.ts — config from the environment → database → migrations → buildApp
 * with a pino logger (request logging is disabled by the app itself) — except that it
 * listens on an ephemeral port and talks to the benchmark over IPC:
 *
 *   argv[2] === 'seed'  → migrate + load the demo content, then exit (so the serving process
 *                         starts on an existing database, as after a production restart, and
 *                         its peak RSS does not include the image generation done by seeding).
 *   otherwise           → serve; messages: start (begin a measured window: CPU counters, RSS
 *                         peak, optional CPU profile), stop (end it and report), exit.
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createDeps } from '../../src/deps.ts';
import { loadDemoContentIfEmpty } from '../../src/demo/demo-content.ts';
import { startCdnPurger } from '../../src/fanout/cdn-purge.ts';
import { ensureYearIndexes } from '../../src/domain/search/search-year-index.ts';
import type { ChildCommand, ChildReport } from './ipc.ts';

function send(msg: ChildReport): void {
  process.send!(msg);
}

const config = loadConfig();
const deps = await createDeps(config);
await migrateToLatest(deps.db);

if (process.argv[2] === 'seed') {
  const generated = Number(process.env.BENCH_GENERATED ?? '') || undefined;
  const loaded = await loadDemoContentIfEmpty(deps, generated);
  await deps.close();
  send({ type: 'seeded', articles: loaded?.articles ?? 0 });
  process.disconnect();
} else {
  const logger = pino({ level: config.logLevel });
  deps.logger = logger;
  // As main.ts's background job, but waited for: a first build (tens of seconds on a large
  // archive) must not run inside a measured window. Nothing on SQLite.
  if (deps.dialect === 'postgres') await ensureYearIndexes(deps.db, deps.clock());
  const app = await buildApp(deps, { logger });
  // As main.ts: purge the CDN after changes (MASTHEAD_CDN_PURGE_URL; nothing when unset).
  const cdnPurger = startCdnPurger(deps.changes, config.cdnPurge, logger);
  // BENCH_PORT when the driver must know the port first (a Varnish in front of this node).
  await app.listen({ port: Number(process.env.BENCH_PORT ?? 0), host: '127.0.0.1' });
  // As main.ts: hear the other nodes' changes (Redis, else PostgreSQL LISTEN/NOTIFY).
  await deps.changes.start();

  let peakRss = 0;
  let peakCacheBytes = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakCacheBytes = Math.max(peakCacheBytes, app.pageCacheStats()?.bytes ?? 0);
  }, 100);
  sampler.unref();

  let cpuStart: NodeJS.CpuUsage | undefined;
  let wallStart = 0;
  let session: inspector.Session | undefined;

  process.on('message', (raw) => {
    const msg = raw as ChildCommand;
    void (async () => {
      if (msg.type === 'start') {
        if (msg.profile) {
          session = new inspector.Session();
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 200 });
          await session.post('Profiler.start');
        }
        peakRss = process.memoryUsage.rss();
        peakCacheBytes = app.pageCacheStats()?.bytes ?? 0;
        wallStart = performance.now();
        cpuStart = process.cpuUsage();
        send({ type: 'started' });
      } else if (msg.type === 'stop') {
        const cpu = process.cpuUsage(cpuStart);
        const wallMs = performance.now() - wallStart;
        let profileFile: string | undefined;
        if (session && msg.profileFile) {
          const { profile } = await session.post('Profiler.stop');
          fs.writeFileSync(msg.profileFile, JSON.stringify(profile));
          session.disconnect();
          session = undefined;
          profileFile = msg.profileFile;
        }
        send({
          type: 'stopped',
          cpuUserUs: cpu.user,
          cpuSystemUs: cpu.system,
          wallMs,
          peakRssWindow: Math.max(peakRss, process.memoryUsage.rss()),
          maxRssLifetime: process.resourceUsage().maxRSS * 1024,
          heapUsed: process.memoryUsage().heapUsed,
          profileFile,
          pageCache: (() => {
            const stats = app.pageCacheStats();
            return (
              stats && {
                peakBytes: peakCacheBytes,
                maxBytes: stats.maxBytes,
                evictions: stats.evictions,
                purges: stats.purges,
                hits: stats.hits,
                misses: stats.misses,
              }
            );
          })(),
        });
      } else if (msg.type === 'exit') {
        await app.close();
        await cdnPurger.stop();
        await deps.close();
        process.exit(0);
      }
    })().catch((err: unknown) => {
      process.stderr.write(`bench server: ${(err as Error).stack}\n`);
      process.exit(1);
    });
  });

  send({ type: 'ready', port: (app.server.address() as AddressInfo).port, pid: process.pid });
}
