/*
 * Propagation benchmark (issue 12): a story saved on node A, how long until node B serves the
 * change — its article page, the home front and /feed.xml — with B's page cache warm.
 *
 *   npm run bench:propagation                          # Redis, then LISTEN/NOTIFY; 100 saves each
 *   npm run bench:propagation -- --fanout notify --saves 50 --no-record
 *
 * Layout: two Masthead server processes (compiled, as `npm start`) on one fresh PostgreSQL
 * database; the driver (this process) saves the seed article's headline through node A's
 * Admin API and polls node B's three pages over keep-alive connections until each shows the
 * new headline. The time is measured from sending the save, so it includes the write itself,
 * the fan-out, B's purge and B's re-render. Results are appended to bench/RESULTS.md.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';
import { createApiToken } from '../src/domain/api-tokens/api-token-service.ts';
import { createUser } from '../src/domain/accounts/user-service.ts';
import { buildServers, createPostgresDatabase, forkTs, type Child } from './lib/processes.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';
const SURFACES = { article: SEED_PATH, home: '/', feed: '/feed.xml' } as const;
type Surface = keyof typeof SURFACES;
/** What is timed per save: node A's answer to the save, then each page on node B. */
type Timed = 'save' | Surface;

const { values: opts } = parseArgs({
  options: {
    fanout: { type: 'string', default: 'redis,notify' },
    saves: { type: 'string', default: '100' },
    redis: { type: 'string', default: process.env.MASTHEAD_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'no-record': { type: 'boolean', default: false },
    results: { type: 'string', default: path.join(HERE, 'RESULTS.md') },
  },
});
const MODES = opts.fanout!.split(',').map((m) => m.trim());
for (const m of MODES) if (m !== 'redis' && m !== 'notify') throw new Error(`--fanout: unknown "${m}" (redis, notify)`);
const SAVES = Math.max(1, Number(opts.saves));

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function request(port: number, method: string, url: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: url, agent, headers: { ...headers, 'accept-encoding': 'identity' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `url` on `port` until its body contains `text`; milliseconds from `start`. */
async function waitFor(port: number, url: string, text: string, start: number, deadlineMs = 10_000): Promise<number> {
  for (;;) {
    const res = await request(port, 'GET', url);
    if (res.status === 200 && res.body.includes(text)) return performance.now() - start;
    if (performance.now() - start > deadlineMs) throw new Error(`node B never showed "${text}" at ${url}`);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface ModeResult {
  mode: string;
  ms: Record<Timed, number[]>;
}

async function runMode(mode: string, env: NodeJS.ProcessEnv, token: string, articleId: string, children: Child[]): Promise<ModeResult> {
  const nodeEnv = { ...env, ...(mode === 'redis' ? { MASTHEAD_REDIS_URL: opts.redis } : {}) };
  const a = forkTs(`node A (${mode})`, 'masthead-server.ts', [], nodeEnv);
  const b = forkTs(`node B (${mode})`, 'masthead-server.ts', [], nodeEnv);
  children.push(a, b);
  const portA = (await a.next('ready')).port;
  const portB = (await b.next('ready')).port;
  const ms: ModeResult['ms'] = { save: [], article: [], home: [], feed: [] };
  let revision = (
    JSON.parse((await request(portA, 'GET', `/api/v1/admin/articles/${articleId}`, undefined, auth(token))).body) as {
      data: { revision: number };
    }
  ).data.revision;
  for (let i = 0; i < SAVES + 5; i++) {
    // Node B's cache is warm before each save: every surface served once from memory.
    for (const url of Object.values(SURFACES)) await request(portB, 'GET', url);
    const marker = `Update ${mode} ${i} ${Math.random().toString(36).slice(2, 8)}`;
    const start = performance.now();
    const res = await request(
      portA,
      'PATCH',
      `/api/v1/admin/articles/${articleId}`,
      JSON.stringify({ headline: `Russia executing soldiers: ${marker}`, expectedRevision: revision }),
      { ...auth(token), 'content-type': 'application/json' },
    );
    const saveMs = performance.now() - start;
    if (res.status !== 200) throw new Error(`save on node A answered ${res.status}: ${res.body}`);
    revision = (JSON.parse(res.body) as { data: { revision: number } }).data.revision;
    const times = await Promise.all((Object.keys(SURFACES) as Surface[]).map((s) => waitFor(portB, SURFACES[s], marker, start)));
    // The first five saves warm both nodes (JIT, connections) and are not counted.
    if (i >= 5) {
      ms.save.push(saveMs);
      (Object.keys(SURFACES) as Surface[]).forEach((s, k) => ms[s].push(times[k]!));
    }
  }
  await a.exit();
  await b.exit();
  return { mode, ms };
}

function auth(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

function report(results: ModeResult[], dbLabel: string): string {
  const cpu = os.cpus();
  const lines = [
    `## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} — propagation: save on node A → node B serves it`,
    '',
    `- Machine: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
    `- Command: \`npm run bench:propagation -- --fanout ${MODES.join(',')} --saves ${SAVES}\``,
    `- Database: ${dbLabel}; two Masthead processes (compiled), page cache on; the driver saves the seed article's headline through node A's Admin API and polls node B until each page shows it. Time from sending the save (write + fan-out + purge + re-render). ${SAVES} saves per mode after 5 unmeasured ones.`,
    '',
    '| fan-out | timed until | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    for (const s of ['save', ...Object.keys(SURFACES)] as Timed[]) {
      const sorted = [...r.ms[s]].sort((x, y) => x - y);
      const f = (p: number) => percentile(sorted, p).toFixed(1);
      lines.push(
        `| ${r.mode === 'redis' ? 'Redis pub/sub' : 'PostgreSQL LISTEN/NOTIFY'} | ${s === 'save' ? 'node A acknowledges the save' : `${s} (${SURFACES[s]})`} | ${f(50)} | ${f(95)} | ${f(99)} | ${sorted.at(-1)!.toFixed(1)} |`,
      );
    }
  }
  lines.push('', 'Targets (issue 12): p99 ≤ 100 ms with Redis, ≤ 250 ms with LISTEN/NOTIFY.', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-propagation-'));
  const db = await createPostgresDatabase();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MASTHEAD_DATABASE_URL: db.url,
    MASTHEAD_MEDIA_DIR: path.join(tmp, 'media'),
    MASTHEAD_SITE_URL: 'http://127.0.0.1:3000',
    MASTHEAD_DEMO_CONTENT: 'true',
    LOG_LEVEL: 'warn',
  };
  delete env.MASTHEAD_REDIS_URL;
  delete env.MASTHEAD_PAGE_CACHE_MB;
  const children: Child[] = [];
  try {
    console.error('propagation: compiling the servers …');
    buildServers();
    const seeder = forkTs('seed', 'masthead-server.ts', ['seed'], env);
    children.push(seeder);
    await seeder.next('seeded');

    // An administrator and an Admin API token, written straight into the database.
    const deps = await createDeps(loadConfig(env));
    const admin = await createUser(
      deps,
      { email: 'bench@example.test', name: 'Bench', role: 'admin', password: 'bench password 1234' },
      null,
    );
    const { secret } = await createApiToken(deps, { userId: admin.id, role: 'admin' }, { name: 'propagation bench', role: 'editor' });
    const seed = await deps.db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', SEED_PATH.split('/').at(-1)!)
      .executeTakeFirstOrThrow();
    await deps.close();

    const results: ModeResult[] = [];
    for (const mode of MODES) {
      console.error(`propagation: ${mode}, ${SAVES} saves …`);
      results.push(await runMode(mode, env, secret, seed.id, children));
    }
    const text = report(results, db.label);
    console.log(text);
    if (!opts['no-record']) fs.appendFileSync(opts.results!, `\n${text}`);
  } finally {
    agent.destroy();
    for (const c of children) await c.exit().catch(() => {});
    await db.drop().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
