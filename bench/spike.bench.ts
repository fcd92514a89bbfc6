/*
 * Spike benchmark (issue 12): a breaking story under the highest load this machine allows for
 * 60 s, while the newsroom changes it every second.
 *
 *   npm run bench:spike                                  # 60 s, 32 connections, 4 MB page cache
 *   npm run bench:spike -- --duration 20 --cache-mb 2 --no-record
 *
 * Layout: one Masthead server process (compiled, as `npm start`; SQLite, demo content) with
 * its page cache bounded by --cache-mb; wrk in its own process, nine requests in ten for the
 * seed article and the tenth for any other public page (every story, front and feed), so the
 * cache holds more than its bound and must evict; the driver (this process) saves the article's
 * headline through the Admin API once a second and, as soon as the save is answered (its purge
 * done), reads the article three times as an anonymous reader: each read showing an older
 * headline counts as stale. Reported: wrk's errors and non-2xx answers, stale reads, the
 * cache's own peak size against its bound, the server's peak RSS. Appended to bench/RESULTS.md.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';
import type { ChildReport } from './lib/ipc.ts';
import { createBenchToken, runLoad, seedSite } from './lib/bench-site.ts';
import { buildServers, forkTs, type Child } from './lib/processes.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '32' },
    'cache-mb': { type: 'string', default: '4' },
    'no-record': { type: 'boolean', default: false },
    results: { type: 'string', default: path.join(HERE, 'RESULTS.md') },
  },
});
const DURATION = Math.max(5, Number(opts.duration));
const CONNECTIONS = Math.max(1, Number(opts.connections));
const CACHE_MB = Number(opts['cache-mb']);

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function request(port: number, method: string, url: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Nine requests in ten for the breaking story, the tenth for any other public page. */
function wrkScript(paths: string[]): string {
  return `local others = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }
local n = 0
request = function()
  n = n + 1
  if n % 10 == 0 then
    return wrk.format("GET", others[math.random(#others)])
  end
  return wrk.format("GET", ${JSON.stringify(SEED_PATH)})
end
`;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-spike-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MASTHEAD_DATABASE_URL: `sqlite:${path.join(tmp, 'masthead.sqlite')}`,
    MASTHEAD_MEDIA_DIR: path.join(tmp, 'media'),
    MASTHEAD_SITE_URL: 'http://127.0.0.1:3000',
    MASTHEAD_DATABASE_CREATE: 'true',
    MASTHEAD_DEMO_CONTENT: 'true',
    MASTHEAD_PAGE_CACHE_MB: String(CACHE_MB),
    LOG_LEVEL: 'warn',
    // The driver is one Admin API client making hundreds of changes a minute on purpose.
    MASTHEAD_API_RATE_LIMIT_ADMIN: '0',
  };
  delete env.MASTHEAD_REDIS_URL;
  const children: Child[] = [];
  try {
    console.error('spike: compiling the server …');
    buildServers();
    await seedSite(env, children);
    const deps = await createDeps(loadConfig(env));
    const secret = await createBenchToken(deps, 'spike bench');
    const rows = await deps.db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.slug', 'sections.slug as section'])
      .where('articles.status', '=', 'published')
      .execute();
    const sections = [...new Set(rows.map((r) => r.section))];
    const seed = rows.find((r) => `/${r.section}/${r.slug}` === SEED_PATH)!;
    await deps.close();
    const others = [
      '/',
      '/feed.xml',
      '/sitemap.xml',
      ...sections.map((s) => `/${s}`),
      ...rows.map((r) => `/${r.section}/${r.slug}`).filter((p) => p !== SEED_PATH),
    ];
    const script = path.join(tmp, 'spike.lua');
    fs.writeFileSync(script, wrkScript(others));

    const server = forkTs('masthead', 'masthead-server.ts', [], env);
    children.push(server);
    const { port } = await server.next('ready');
    const auth = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
    let revision = (
      JSON.parse((await request(port, 'GET', `/api/v1/admin/articles/${seed.id}`, undefined, auth)).body) as { data: { revision: number } }
    ).data.revision;
    // Warm: every page once, so the spike starts from a full cache as on a busy site.
    for (const p of [SEED_PATH, ...others]) await request(port, 'GET', p);

    server.send({ type: 'start' });
    await server.next('started');
    console.error(`spike: ${DURATION} s of wrk (${CONNECTIONS} connections) with a save every second …`);
    const loading = runLoad({
      tool: 'wrk',
      url: `http://127.0.0.1:${port}${SEED_PATH}`,
      connections: CONNECTIONS,
      durationS: DURATION,
      script,
    });
    const saveMs: number[] = [];
    let reads = 0;
    let stale = 0;
    let wrong = 0;
    const until = performance.now() + (DURATION - 1) * 1000;
    for (let i = 0; performance.now() < until; i++) {
      const tick = performance.now();
      const marker = `Spike ${i} ${Math.random().toString(36).slice(2, 8)}`;
      const res = await request(
        port,
        'PATCH',
        `/api/v1/admin/articles/${seed.id}`,
        JSON.stringify({ headline: `Russia executing soldiers: ${marker}`, expectedRevision: revision }),
        auth,
      );
      saveMs.push(performance.now() - tick);
      if (res.status !== 200) throw new Error(`save answered ${res.status}: ${res.body}`);
      revision = (JSON.parse(res.body) as { data: { revision: number } }).data.revision;
      // The save is answered once its change is published and this node's cache purged.
      for (let k = 0; k < 3; k++) {
        const page = await request(port, 'GET', SEED_PATH);
        reads++;
        if (page.status !== 200) wrong++;
        else if (!page.body.includes(marker)) stale++;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - tick))));
    }
    const load = await loading;
    server.send({ type: 'stop' });
    const stopped = (await server.next('stopped')) as Extract<ChildReport, { type: 'stopped' }>;
    await server.exit();

    const sorted = [...saveMs].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(1);
    const cache = stopped.pageCache;
    const cpu = os.cpus();
    const mb = (b: number) => (b / 2 ** 20).toFixed(1);
    const text = [
      `## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} — spike: ${DURATION} s of load with a save of the story every second`,
      '',
      `- Machine: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
      `- Command: \`npm run bench:spike -- --duration ${DURATION} --connections ${CONNECTIONS} --cache-mb ${CACHE_MB}\``,
      `- Layout: one Masthead process (compiled; SQLite, demo content, page cache bound ${CACHE_MB} MB); \`wrk -t1 -c${CONNECTIONS}\` in its own process, 9 requests in 10 for the seed article and 1 in 10 for any of ${others.length} other public pages; the driver saves the article's headline through the Admin API every second and then reads the article 3 times as an anonymous reader.`,
      '',
      '| Figure | Measured | Target | |',
      '|---|--:|---|---|',
      `| Requests/s (wrk, mean) | ${Math.round(load.reqPerSec)} | highest the machine allows | |`,
      `| Requests in the run | ${load.total} | | |`,
      `| Latency p50 / p99 / max | ${load.p50.toFixed(2)} / ${load.p99.toFixed(2)} / ${load.max.toFixed(1)} ms | | |`,
      `| Errors (socket) / non-2xx answers | ${load.errors} / ${load.non2xx} | 0 / 0 | ${load.errors === 0 && load.non2xx === 0 ? '✅ met' : '❌ missed'} |`,
      `| Saves (one per second), answered in p50 / p99 | ${saveMs.length}: ${pct(50)} / ${pct(99)} ms | | |`,
      `| Reads right after each save showing an older headline | ${stale} of ${reads} (${wrong} not 200) | 0 | ${stale === 0 && wrong === 0 ? '✅ met' : '❌ missed'} |`,
      cache
        ? `| Page cache peak size (its own accounting, sampled every 100 ms) / bound | ${mb(cache.peakBytes)} / ${mb(cache.maxBytes)} MB | within the bound | ${cache.peakBytes <= cache.maxBytes ? '✅ met' : '❌ missed'} |`
        : '| Page cache | off | | ❌ |',
      cache
        ? `| Cache hits / misses / purges / evictions | ${cache.hits} / ${cache.misses} / ${cache.purges} / ${cache.evictions} | | |`
        : '',
      `| Server peak RSS during the run | ${mb(stopped.peakRssWindow)} MB | | |`,
      `| Server CPU (share of one core) | ${Math.round(((stopped.cpuUserUs + stopped.cpuSystemUs) / 1000 / stopped.wallMs) * 100)}% | | |`,
      '',
    ]
      .filter((l) => l !== '')
      .join('\n');
    console.log(text);
    if (!opts['no-record']) fs.appendFileSync(opts.results!, `\n${text}\n`);
  } finally {
    agent.destroy();
    for (const c of children) await c.exit().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
