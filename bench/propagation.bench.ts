/*
 * Propagation benchmark (issue 12): a change made on node A (a save, a correction, an
 * unpublish, a republish), how long until readers get it from node B — or from a Varnish in
 * front of node B — on its article page, the home front and /feed.xml, with every cache warm.
 *
 *   npm run bench:propagation                          # Redis and LISTEN/NOTIFY, without and with Varnish; 100 rounds each
 *   npm run bench:propagation -- --fanout redis --edge varnish --saves 50 --no-record
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
import { freePort, startVarnish, varnishUnavailable } from '../test/support/varnish.ts';
import { createBenchToken, seedSite } from './lib/bench-site.ts';
import { buildServers, createPostgresDatabase, forkTs, type Child } from './lib/processes.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';
const SURFACES = { article: SEED_PATH, home: '/', feed: '/feed.xml' } as const;
type Surface = keyof typeof SURFACES;
/** The changes timed, each made through node A's Admin API. */
const OPERATIONS = ['save', 'correction', 'unpublish', 'republish'] as const;
type Operation = (typeof OPERATIONS)[number];
/** What is timed per change: node A's answer, then each page where readers get it. */
type Timed = 'ack' | Surface;

const { values: opts } = parseArgs({
  options: {
    fanout: { type: 'string', default: 'redis,notify' },
    edge: { type: 'string', default: 'none,varnish' },
    saves: { type: 'string', default: '100' },
    'poll-gap': { type: 'string', default: '2' },
    redis: { type: 'string', default: process.env.MASTHEAD_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'no-record': { type: 'boolean', default: false },
    results: { type: 'string', default: path.join(HERE, 'RESULTS.md') },
  },
});
const MODES = opts.fanout!.split(',').map((m) => m.trim());
for (const m of MODES) if (m !== 'redis' && m !== 'notify') throw new Error(`--fanout: unknown "${m}" (redis, notify)`);
const EDGES = opts.edge!.split(',').map((m) => m.trim());
for (const e of EDGES) if (e !== 'none' && e !== 'varnish') throw new Error(`--edge: unknown "${e}" (none, varnish)`);
if (EDGES.includes('varnish') && varnishUnavailable()) throw new Error(`--edge varnish: ${varnishUnavailable()}`);
const SAVES = Math.max(1, Number(opts.saves));
/** Pause between one reader's polls, in ms (the timing resolution of the readers' side). */
const POLL_GAP_MS = Math.max(0, Number(opts['poll-gap']));

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

/**
 * Polls `url` on `port` until `done` holds for its answer; milliseconds from `start`. Readers do
 * not wait for the journalist's answer: polling starts with the change, a request every
 * `POLL_GAP_MS` so the readers' side does not take the CPU the write needs.
 */
async function waitFor(
  port: number,
  url: string,
  done: (res: { status: number; body: string }) => boolean,
  start: number,
  deadlineMs = 10_000,
): Promise<number> {
  for (;;) {
    const res = await request(port, 'GET', url);
    const at = performance.now() - start;
    if (done(res)) return at;
    if (at > deadlineMs) throw new Error(`readers never got the change at ${url} (last ${res.status})`);
    await new Promise((r) => setTimeout(r, POLL_GAP_MS));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface ModeResult {
  mode: string;
  edge: string;
  ms: Record<Operation, Record<Timed, number[]>>;
}

/** What each surface must show once an operation has reached readers. */
function expectation(op: Operation, marker: string, slug: string): Record<Surface, (res: { status: number; body: string }) => boolean> {
  const shows = (res: { status: number; body: string }) => res.status === 200 && res.body.includes(marker);
  if (op === 'unpublish') {
    const gone = (res: { status: number; body: string }) => res.status === 200 && !res.body.includes(slug);
    return { article: (res) => res.status === 404, home: gone, feed: gone };
  }
  if (op === 'correction') return { article: shows, home: () => true, feed: () => true };
  return { article: shows, home: shows, feed: shows };
}

async function runMode(
  mode: string,
  edge: string,
  env: NodeJS.ProcessEnv,
  token: string,
  articleId: string,
  children: Child[],
): Promise<ModeResult> {
  // Varnish is started for a port node B is then told to listen on.
  const varnishBackend = edge === 'varnish' ? await freePort() : 0;
  const front = edge === 'varnish' ? await startVarnish(varnishBackend) : null;
  const nodeEnv = {
    ...env,
    ...(mode === 'redis' ? { MASTHEAD_REDIS_URL: opts.redis } : {}),
    ...(front ? { MASTHEAD_CDN_PURGE_URL: `${front.url}/` } : {}),
  };
  const a = forkTs(`node A (${mode})`, 'masthead-server.ts', [], nodeEnv);
  const b = forkTs(`node B (${mode})`, 'masthead-server.ts', [], { ...nodeEnv, ...(front ? { BENCH_PORT: String(varnishBackend) } : {}) });
  children.push(a, b);
  const portA = (await a.next('ready')).port;
  const portB = (await b.next('ready')).port;
  // Readers come in at the edge when there is one, else straight to node B.
  const readerPort = front ? front.port : portB;
  const ms = Object.fromEntries(OPERATIONS.map((op) => [op, { ack: [], article: [], home: [], feed: [] }])) as unknown as ModeResult['ms'];
  const admin = (method: string, url: string, body: object) =>
    request(portA, method, `/api/v1/admin/articles/${articleId}${url}`, JSON.stringify(body), {
      ...auth(token),
      'content-type': 'application/json',
    });
  const slug = SEED_PATH.split('/').at(-1)!;
  let revision = (
    JSON.parse((await request(portA, 'GET', `/api/v1/admin/articles/${articleId}`, undefined, auth(token))).body) as {
      data: { revision: number };
    }
  ).data.revision;
  try {
    for (let i = 0; i < SAVES + 5; i++) {
      for (const op of OPERATIONS) {
        // The readers' caches are warm before each change: every surface served once from memory.
        for (const url of Object.values(SURFACES)) await request(readerPort, 'GET', url);
        const marker = `${op} ${mode} ${edge} ${i} ${Math.random().toString(36).slice(2, 8)}`;
        const wanted = expectation(op, op === 'republish' ? 'Russia executing soldiers' : marker, slug);
        const start = performance.now();
        const seen = Promise.all((Object.keys(SURFACES) as Surface[]).map((s) => waitFor(readerPort, SURFACES[s], wanted[s], start)));
        const res =
          op === 'save'
            ? await admin('PATCH', '', { headline: `Russia executing soldiers: ${marker}`, expectedRevision: revision })
            : op === 'correction'
              ? await admin('POST', '/notes', { kind: 'correction', text: `Correction: ${marker}.` })
              : await admin('POST', `/${op}`, {});
        const ackMs = performance.now() - start;
        if (res.status !== 200 && res.status !== 201) throw new Error(`${op} on node A answered ${res.status}: ${res.body}`);
        revision = (JSON.parse(res.body) as { data: { revision: number } }).data.revision;
        const times = await seen;
        // The first five rounds warm both nodes (JIT, connections) and are not counted.
        if (i >= 5) {
          ms[op].ack.push(ackMs);
          (Object.keys(SURFACES) as Surface[]).forEach((s, k) => ms[op][s].push(times[k]!));
        }
      }
    }
  } finally {
    await a.exit();
    await b.exit();
    await front?.stop();
  }
  return { mode, edge, ms };
}

function auth(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

function report(results: ModeResult[], dbLabel: string): string {
  const cpu = os.cpus();
  const lines = [
    `## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} — propagation: a change on node A → readers get it from node B (or the edge)`,
    '',
    `- Machine: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
    `- Command: \`npm run bench:propagation -- --fanout ${MODES.join(',')} --edge ${EDGES.join(',')} --saves ${SAVES}\``,
    `- Database: ${dbLabel}; two Masthead processes (compiled), page cache on; with \`varnish\`, the shipped VCL in a real varnishd in front of node B, both nodes purging it. Through node A's Admin API the driver, in turn: saves the seed article's headline, adds a correction note, unpublishes it, republishes it; from the moment the change is sent (readers do not wait for node A's answer) it polls the readers' side (node B, or Varnish; one reader per page, a request every ${POLL_GAP_MS} ms) until the article (the new text, or 404), the home front and /feed.xml show the change (a correction: the article only). Time from sending the change, so it includes the write, the fan-out, the purges and the re-render. ${SAVES} rounds per mode after 5 unmeasured ones.`,
    '',
    '| fan-out | edge | change | timed until | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    for (const op of OPERATIONS) {
      for (const s of ['ack', ...Object.keys(SURFACES)] as Timed[]) {
        if (op === 'correction' && (s === 'home' || s === 'feed')) continue;
        const sorted = [...r.ms[op][s]].sort((x, y) => x - y);
        const f = (p: number) => percentile(sorted, p).toFixed(1);
        lines.push(
          `| ${r.mode === 'redis' ? 'Redis pub/sub' : 'PostgreSQL LISTEN/NOTIFY'} | ${r.edge === 'varnish' ? 'Varnish' : 'none'} | ${op} | ${s === 'ack' ? 'node A answers' : `${s} (${SURFACES[s]})`} | ${f(50)} | ${f(95)} | ${f(99)} | ${sorted.at(-1)!.toFixed(1)} |`,
        );
      }
    }
  }
  lines.push('', 'Targets (issue 12): p99 ≤ 100 ms with Redis (also through Varnish), ≤ 250 ms with LISTEN/NOTIFY.', '');
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
    // The driver is one Admin API client making hundreds of changes a minute on purpose.
    MASTHEAD_API_RATE_LIMIT_ADMIN: '0',
  };
  delete env.MASTHEAD_REDIS_URL;
  delete env.MASTHEAD_PAGE_CACHE_MB;
  const children: Child[] = [];
  try {
    console.error('propagation: compiling the servers …');
    buildServers();
    await seedSite(env, children);
    const deps = await createDeps(loadConfig(env));
    const secret = await createBenchToken(deps, 'propagation bench');
    const seed = await deps.db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', SEED_PATH.split('/').at(-1)!)
      .executeTakeFirstOrThrow();
    await deps.close();

    const results: ModeResult[] = [];
    for (const edge of EDGES) {
      for (const mode of MODES) {
        console.error(`propagation: ${mode}, edge ${edge}, ${SAVES} rounds …`);
        results.push(await runMode(mode, edge, env, secret, seed.id, children));
      }
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
