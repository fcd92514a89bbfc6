/*
 * Live-coverage benchmark (issue 15): an entry posted in the newsroom, how long until every
 * reader holding the live blog's Server-Sent Events stream has it; what each open stream costs
 * the server; and the live page itself under load while entries keep arriving.
 *
 *   npm run bench:live                                   # 5,000 readers: one node (SQLite), then two nodes (PostgreSQL + Redis)
 *   npm run bench:live -- --readers 1000 --entries 10 --nodes 1 --no-record
 *
 * Layout: Masthead server processes (compiled, as `npm start`); the readers in a process of
 * their own (bench/lib/sse-readers.ts), one socket each; the driver (this process) signs in
 * to the newsroom of node A like a journalist and posts entries through the live desk's form.
 * One node: readers on it. Two nodes (PostgreSQL, Redis): the entry is posted on node A, every
 * reader is on node B, so each delivery crosses the bus. Time is from sending the post to the
 * moment a reader's stream carried the entry (both clocks are this machine's). Page load: wrk
 * on the live page (in its own process) while an entry is posted every 2 s; the page cache's
 * hits and misses and the server's CPU per request. Appended to bench/RESULTS.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';
import { createUser } from '../src/domain/accounts/user-service.ts';
import { runLoad, seedSite } from './lib/bench-site.ts';
import { buildServers, createPostgresDatabase, forkTs, type Child } from './lib/processes.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');

const { values: opts } = parseArgs({
  options: {
    readers: { type: 'string', default: '5000' },
    entries: { type: 'string', default: '20' },
    nodes: { type: 'string', default: '1,2' },
    'page-seconds': { type: 'string', default: '30' },
    connections: { type: 'string', default: '32' },
    redis: { type: 'string', default: process.env.MASTHEAD_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'no-record': { type: 'boolean', default: false },
    results: { type: 'string', default: path.join(HERE, 'RESULTS.md') },
  },
});
const READERS = Math.max(1, Number(opts.readers));
const ENTRIES = Math.max(1, Number(opts.entries));
const NODES = opts.nodes!.split(',').map((n) => Number(n.trim()));
for (const n of NODES) if (n !== 1 && n !== 2) throw new Error(`--nodes: ${n} (1, 2)`);
const PAGE_SECONDS = Math.max(0, Number(opts['page-seconds']));
const CONNECTIONS = Math.max(1, Number(opts.connections));
const PASSWORD = 'live bench password 1234';
const now = () => performance.timeOrigin + performance.now();

/** A journalist's browser: cookies kept, the CSRF field read from each form page. */
class Desk {
  private cookies = new Map<string, string>();
  constructor(private readonly port: number) {}
  request(method: string, url: string, form?: Record<string, string>): Promise<{ status: number; body: string; location?: string }> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const origin = `http://127.0.0.1:${this.port}`;
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path: url,
          headers: {
            cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(body ? { 'content-type': 'application/x-www-form-urlencoded', origin } : {}),
          },
        },
        (res) => {
          for (const c of res.headers['set-cookie'] ?? []) {
            const [pair] = c.split(';');
            const at = pair!.indexOf('=');
            this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ...(res.headers.location ? { location: res.headers.location } : {}),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  private static csrf(page: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!m) throw new Error('no CSRF field on the page');
    return m[1]!;
  }
  async signIn(email: string): Promise<void> {
    const page = await this.request('GET', '/newsroom/login');
    const res = await this.request('POST', '/newsroom/login', { email, password: PASSWORD, _csrf: Desk.csrf(page.body) });
    if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  }
  /** Posts and publishes an entry from the live desk, as the form does. */
  async post(storyId: string, text: string): Promise<void> {
    const page = await this.request('GET', `/newsroom/stories/${storyId}/live`);
    if (page.status !== 200) throw new Error(`live desk answered ${page.status}`);
    const res = await this.request('POST', `/newsroom/stories/${storyId}/live/entries`, {
      _csrf: Desk.csrf(page.body),
      body: text,
      action: 'publish',
    });
    if (res.status !== 303) throw new Error(`posting an entry answered ${res.status}: ${res.body.slice(0, 300)}`);
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Readers {
  proc: ChildProcess;
  next<T>(type: string): Promise<T>;
}

function startReaders(ports: number[], livePath: string): Readers {
  const proc = fork(
    path.join(ROOT, 'dist', 'bench', 'lib', 'sse-readers.js'),
    [JSON.stringify({ ports, path: livePath, readers: READERS })],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const queue: Array<{ type: string }> = [];
  const waiters: Array<(m: { type: string }) => void> = [];
  proc.on('message', (m: { type: string }) => {
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  });
  return {
    proc,
    async next<T>(type: string) {
      const m = queue.shift() ?? (await new Promise<{ type: string }>((resolve) => waiters.push(resolve)));
      if (m.type !== type) throw new Error(`readers: expected ${type}, got ${JSON.stringify(m)}`);
      return m as T;
    },
  };
}

interface FanoutResult {
  nodes: number;
  open: number;
  failed: number;
  /** Per entry: ms from the post to each reader's arrival. */
  latencies: number[];
  missing: number;
  postMs: number[];
  rssBefore: number;
  rssAfter: number;
  /** Server CPU (on the readers' node) per entry's fan-out, ms. */
  cpuPerEntryMs: number[];
}

interface PageResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  entries: number;
  hits: number;
  misses: number;
  cpuPerRequestMs: number;
}

async function runFanout(
  nodes: number,
  env: NodeJS.ProcessEnv,
  storyId: string,
  livePath: string,
  children: Child[],
): Promise<FanoutResult> {
  const nodeEnv = { ...env, ...(nodes === 2 ? { MASTHEAD_REDIS_URL: opts.redis } : {}) };
  const a = forkTs('node A', 'masthead-server.ts', [], nodeEnv);
  children.push(a);
  const readyA = await a.next('ready');
  let readerNode = readyA;
  if (nodes === 2) {
    const b = forkTs('node B', 'masthead-server.ts', [], nodeEnv);
    children.push(b);
    readerNode = await b.next('ready');
  }
  const desk = new Desk(readyA.port);
  await desk.signIn('live-bench@example.test');
  // Warm: the desk page and the post path once, before anything is measured.
  await desk.post(storyId, `Warm-up entry ${Date.now()}`);
  const rssBefore = rssBytes(readerNode.pid);
  const readers = startReaders([readerNode.port], `${livePath}/live`);
  const connected = await readers.next<{ open: number; failed: number }>('connected');
  console.error(`live-fanout: ${nodes} node(s), ${connected.open} streams open (${connected.failed} failed)`);
  await new Promise((r) => setTimeout(r, 1000));
  const rssAfter = rssBytes(readerNode.pid);
  const latencies: number[] = [];
  const postMs: number[] = [];
  const cpuPerEntryMs: number[] = [];
  let missing = 0;
  try {
    for (let i = 0; i < ENTRIES + 2; i++) {
      const marker = `fanout-${nodes}-${i}-${Math.random().toString(36).slice(2, 10)}`;
      readers.proc.send({ type: 'watch', marker });
      const cpu0 = cpuSeconds(readerNode.pid);
      const start = now();
      await desk.post(storyId, `Update ${i}: ${marker}.`);
      const posted = now();
      const got = await readers.next<{ at: number[]; missing: number }>('arrivals');
      const cpu1 = cpuSeconds(readerNode.pid);
      // The first two entries warm the JIT on every path and are not counted.
      if (i >= 2) {
        for (const t of got.at) latencies.push(t - start);
        missing += got.missing;
        postMs.push(posted - start);
        cpuPerEntryMs.push((cpu1 - cpu0) * 1000);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    readers.proc.send({ type: 'exit' });
  }
  return { nodes, open: connected.open, failed: connected.failed, latencies, missing, postMs, rssBefore, rssAfter, cpuPerEntryMs };
}

async function runPageLoad(env: NodeJS.ProcessEnv, storyId: string, livePath: string, children: Child[]): Promise<PageResult> {
  const node = forkTs('node', 'masthead-server.ts', [], env);
  children.push(node);
  const ready = await node.next('ready');
  const desk = new Desk(ready.port);
  await desk.signIn('live-bench@example.test');
  node.send({ type: 'start' });
  await node.next('started');
  let entries = 0;
  let stop = false;
  const poster = (async () => {
    while (!stop) {
      await desk.post(storyId, `Page-load entry ${entries++} ${Date.now()}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  })();
  const load = await runLoad({
    tool: 'wrk',
    url: `http://127.0.0.1:${ready.port}${livePath}`,
    connections: CONNECTIONS,
    durationS: PAGE_SECONDS,
  });
  stop = true;
  await poster;
  node.send({ type: 'stop' });
  const stats = await node.next('stopped');
  await node.exit();
  const requests = load.total;
  return {
    reqPerSec: load.reqPerSec,
    p50: load.p50,
    p99: load.p99,
    non2xx: load.non2xx,
    errors: load.errors,
    entries,
    hits: stats.pageCache?.hits ?? 0,
    misses: stats.pageCache?.misses ?? 0,
    cpuPerRequestMs: requests ? (stats.cpuUserUs + stats.cpuSystemUs) / 1000 / requests : 0,
  };
}

function report(fanouts: FanoutResult[], page: PageResult | null, labels: Record<number, string>): string {
  const cpu = os.cpus();
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  const lines = [
    `## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} — live coverage: an entry reaches every reader's stream`,
    '',
    `- Machine: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; machine load just before: ${os.loadavg()[0]!.toFixed(2)}`,
    `- Command: \`npm run bench:live -- --readers ${READERS} --entries ${ENTRIES} --nodes ${NODES.join(',')} --page-seconds ${PAGE_SECONDS}\``,
    `- Layout: Masthead processes compiled as \`npm start\` runs them; ${READERS} readers, each its own socket holding the demo live blog's Server-Sent Events stream, in a separate process; the driver signs in to node A's newsroom and posts each entry through the live desk's form (publish), one every ~0.5 s after the previous one reached everyone. Time: from sending the post to the entry arriving on a reader's stream. The first 2 entries are not counted.`,
    '',
    '| Nodes | Database, bus | Streams open | Entries | Deliveries | Missed | p50 ms | p95 ms | p99 ms | max ms | Post answered p50 ms | Target (p99) | |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|',
  ];
  for (const f of fanouts) {
    const s = [...f.latencies].sort((x, y) => x - y);
    const posts = [...f.postMs].sort((x, y) => x - y);
    const p99 = s.length ? percentile(s, 99) : Infinity;
    lines.push(
      `| ${f.nodes === 1 ? 'one' : 'two (post on A, readers on B)'} | ${labels[f.nodes]} | ${f.open}${f.failed ? ` (${f.failed} refused)` : ''} | ${f.postMs.length} | ${s.length} | ${f.missing} | ${percentile(s, 50).toFixed(1)} | ${percentile(s, 95).toFixed(1)} | ${p99.toFixed(1)} | ${s.at(-1)!.toFixed(1)} | ${percentile(posts, 50).toFixed(1)} | ≤ 1000 ms | ${p99 <= 1000 && f.missing === 0 ? '✅ met' : '❌ missed'} |`,
    );
  }
  lines.push(
    '',
    '| Nodes | Server RSS before the streams | with them open | per stream | Server CPU per entry fanned out (ms, p50 / max) |',
    '|---|--:|--:|--:|--:|',
  );
  for (const f of fanouts) {
    const c = [...f.cpuPerEntryMs].sort((x, y) => x - y);
    lines.push(
      `| ${f.nodes} | ${mb(f.rssBefore)} MB | ${mb(f.rssAfter)} MB | ${((f.rssAfter - f.rssBefore) / Math.max(1, f.open) / 1024).toFixed(1)} KB | ${percentile(c, 50).toFixed(0)} / ${c.at(-1)!.toFixed(0)} |`,
    );
  }
  if (page) {
    const hitRate = page.hits + page.misses ? (100 * page.hits) / (page.hits + page.misses) : 0;
    lines.push(
      '',
      `Live page under load (one node, SQLite, page cache on): wrk ${CONNECTIONS} connections for ${PAGE_SECONDS} s on the live blog's page while the driver posted an entry every 2 s (${page.entries} entries, each purging the page).`,
      '',
      '| Requests/s | p50 ms | p99 ms | non-2xx / errors | Page cache hits / misses | Hit rate | Server CPU per request |',
      '|--:|--:|--:|--:|--:|--:|--:|',
      `| ${page.reqPerSec.toFixed(0)} | ${page.p50.toFixed(2)} | ${page.p99.toFixed(2)} | ${page.non2xx} / ${page.errors} | ${page.hits} / ${page.misses} | ${hitRate.toFixed(2)}% | ${page.cpuPerRequestMs.toFixed(3)} ms |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-live-bench-'));
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    MASTHEAD_MEDIA_DIR: path.join(tmp, 'media'),
    MASTHEAD_SITE_URL: 'http://127.0.0.1:3000',
    MASTHEAD_DEMO_CONTENT: 'true',
    LOG_LEVEL: 'warn',
    MASTHEAD_LIVE_MAX_STREAMS: String(READERS + 100),
  };
  delete base.MASTHEAD_REDIS_URL;
  delete base.MASTHEAD_PAGE_CACHE_MB;
  const children: Child[] = [];
  const fanouts: FanoutResult[] = [];
  const labels: Record<number, string> = { 1: 'SQLite, in-process bus', 2: 'PostgreSQL, Redis pub/sub' };
  let page: PageResult | null = null;
  const pg = NODES.includes(2) ? await createPostgresDatabase() : null;
  try {
    console.error('live-fanout: compiling the servers …');
    buildServers();
    for (const nodes of NODES) {
      const env: NodeJS.ProcessEnv = {
        ...base,
        MASTHEAD_DATABASE_URL: nodes === 1 ? `sqlite:${path.join(tmp, 'masthead.sqlite')}` : pg!.url,
        ...(nodes === 1 ? { MASTHEAD_DATABASE_CREATE: 'true' } : {}),
      };
      await seedSite(env, children);
      const deps = await createDeps(loadConfig(env));
      if (!(await deps.db.selectFrom('users').select('id').where('email', '=', 'live-bench@example.test').executeTakeFirst())) {
        await createUser(deps, { email: 'live-bench@example.test', name: 'Live Bench', role: 'editor', password: PASSWORD }, null);
      }
      const story = await deps.db
        .selectFrom('articles')
        .innerJoin('sections', 'sections.id', 'articles.section_id')
        .select(['articles.id', 'articles.slug', 'sections.slug as section'])
        .where('articles.live_blog', '=', 1)
        .executeTakeFirstOrThrow();
      await deps.close();
      const livePath = `/${story.section}/${story.slug}`;
      fanouts.push(await runFanout(nodes, env, story.id, livePath, children));
      for (const c of children.splice(0)) await c.exit().catch(() => {});
      if (nodes === 1 && PAGE_SECONDS > 0) page = await runPageLoad(env, story.id, livePath, children);
    }
    const text = report(fanouts, page, labels);
    console.log(text);
    if (!opts['no-record']) fs.appendFileSync(opts.results!, `\n${text}`);
  } finally {
    for (const c of children) await c.exit().catch(() => {});
    await pg?.drop().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
