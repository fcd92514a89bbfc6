/*
 * Page benchmark: Masthead serving the seed article, the home front and /feed.xml, each
 * against a bare node:http server returning the same bytes, measured in the same run.
 *
 *   npm run bench                         # SQLite file in a temp dir (production setup), all three targets
 *   npm run bench -- --page-cache off     # uncached renders (MASTHEAD_PAGE_CACHE_MB=0)
 *   npm run bench -- --targets article    # one target only (article, home, feed)
 *   npm run bench -- --db postgres        # fresh PostgreSQL database (MASTHEAD_BENCH_POSTGRES_URL)
 *   npm run bench -- --profile            # also a CPU-profiled load run per target, hot spots in the report
 *   npm run bench -- --baseline-headers minimal  # baseline sends only content-type/length (default: Masthead's headers)
 *   npm run bench -- --duration 20 --connections 64 --no-record
 *   npm run bench -- --reference 3fd3667 --page-cache off  # also the code of an earlier commit, side by side
 *
 * --reference <git-rev> measures a third server in the same run: the Masthead code as it was at
 * that commit (`git archive` into the temp dir, this checkout's node_modules symlinked in, compiled
 * with the reference tree's own tsconfig.bench.json and built as its `npm run build` does), seeded
 * into its own database (its own SQLite file, or its own PostgreSQL database) and started from its
 * own bench/lib/masthead-server.ts, with the same environment otherwise. Each target gets a second
 * baseline serving the *reference's* bytes and header lines, and each round measures Masthead, its
 * baseline, the reference and the reference's baseline, so both codes' ratios to node:http come
 * from the same machine and run. A page the reference does not serve (not 200) is reported and
 * skipped for that target. With --profile the reference's profile is saved too (not summarised).
 *
 * Process layout (the machine may have only 2 cores): the load generator (wrk, or autocannon)
 * runs in its own child process (bench/lib/load-generator.ts); Masthead and each baseline run
 * in their own child processes (compiled JavaScript, as `npm start` runs), one loaded at a time,
 * so the load generator, the driver and the server never share an event loop.
 * CPU per request is the *server child's* process.cpuUsage() delta over the measured
 * window divided by the requests the load generator completed in it.
 */
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { summariseProfile, type CpuProfile, type HotSpot, type ProfileSummary } from './lib/cpu-profile.ts';
import type { ChildReport, LoadReport, LoadSpec } from './lib/ipc.ts';
import { runLoad } from './lib/bench-site.ts';
import { buildServers, Child, createPostgresDatabase, forkTs, type BenchDb } from './lib/processes.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';
/** The pages the issue's figures name: the seed article, the home front and the site feed. */
const PAGES = {
  article: { label: 'seed article', path: SEED_PATH },
  home: { label: 'home front', path: '/' },
  feed: { label: 'site feed (/feed.xml)', path: '/feed.xml' },
} as const;
type PageName = keyof typeof PAGES;
const TARGETS = { reqPerSec: 2600, p99Ms: 25, cpuMsPerReq: 0.5, rssMb: 150, pageWeightKb: 60 };

const { values: opts } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    generated: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    'quiet-wait': { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
    targets: { type: 'string', default: 'article,home,feed' },
    load: { type: 'string', default: hasWrk() ? 'wrk' : 'autocannon' },
    'page-cache': { type: 'string', default: 'default' },
    'baseline-headers': { type: 'string', default: 'same' },
    results: { type: 'string', default: path.join(HERE, 'RESULTS.md') },
    reference: { type: 'string' },
  },
});
if (opts.db !== 'sqlite' && opts.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
if (opts.load !== 'wrk' && opts.load !== 'autocannon') throw new Error('--load must be wrk or autocannon');
if (opts['page-cache'] !== 'default' && opts['page-cache'] !== 'off') throw new Error('--page-cache must be default or off');
if (opts['baseline-headers'] !== 'same' && opts['baseline-headers'] !== 'minimal')
  throw new Error('--baseline-headers must be same or minimal');
/** The baseline answers with Masthead's own header lines (the same bytes on the wire), or only content-type and length. */
const SAME_HEADERS = opts['baseline-headers'] === 'same';
/** Headers node:http writes itself per response (or per connection): never copied into the baseline. */
const PER_RESPONSE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const TARGET_NAMES = opts.targets!.split(',').map((t) => t.trim()) as PageName[];
for (const t of TARGET_NAMES) if (!(t in PAGES)) throw new Error(`--targets: unknown "${t}" (article, home, feed)`);
const LOAD_TOOL: LoadSpec['tool'] = opts.load;
const CONNECTIONS = Number(opts.connections);
const DURATION = Number(opts.duration);
const WARMUP = Number(opts.warmup);
const ROUNDS = Math.max(1, Number(opts.rounds));

// ---------------------------------------------------------------- reference code (--reference)

/** An earlier commit to measure beside the working tree. */
interface Reference {
  sha: string;
  short: string;
  /** `3fd3667 (2026-12-03, "Errors: …")` */
  describe: string;
}

function resolveReference(rev: string): Reference {
  let sha: string;
  try {
    sha = execFileSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`--reference: "${rev}" is not a commit in ${ROOT}`);
  }
  const short = execFileSync('git', ['rev-parse', '--short', sha], { cwd: ROOT, encoding: 'utf8' }).trim();
  const [date, subject] = execFileSync('git', ['log', '-1', '--format=%cs%n%s', sha], { cwd: ROOT, encoding: 'utf8' }).split('\n');
  const brief = (subject ?? '').length > 80 ? `${subject!.slice(0, 79)}…` : (subject ?? '');
  return { sha, short, describe: `${short} (${date}, "${brief}")` };
}

const REFERENCE = opts.reference === undefined ? undefined : resolveReference(opts.reference);
/** Symlinks made in the temp dir for the reference tree: unlinked before the temp dir is removed. */
const tmpSymlinks: string[] = [];

/**
 * The reference tree, ready to fork: `git archive` into `<tmp>/reference`, this checkout's
 * node_modules symlinked in (the reference runs on today's installed dependencies), `<tmp>/shared`
 * pointing at the fixtures beside this checkout (`../shared` from the tree, as from the checkout),
 * compiled with its own tsconfig.bench.json by this checkout's TypeScript, then its client bundle
 * built with its own scripts/build-client.mjs when it has one (as its `npm run build` does).
 */
function prepareReference(ref: Reference, tmp: string): string {
  const dir = path.join(tmp, 'reference');
  fs.mkdirSync(dir);
  const tarFile = path.join(tmp, 'reference.tar');
  execFileSync('git', ['archive', '--format=tar', '-o', tarFile, ref.sha], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('tar', ['-x', '-f', tarFile, '-C', dir], { stdio: 'inherit' });
  fs.rmSync(tarFile);
  for (const file of ['package.json', 'tsconfig.bench.json', 'bench/lib/masthead-server.ts']) {
    if (!fs.existsSync(path.join(dir, file)))
      throw new Error(`--reference ${ref.short}: the tree has no ${file}, so its server cannot be built and driven as the bench does`);
  }
  const nodeModules = path.join(dir, 'node_modules');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), nodeModules, 'dir');
  tmpSymlinks.push(nodeModules);
  const shared = path.resolve(ROOT, '..', 'shared');
  if (fs.existsSync(shared)) {
    fs.symlinkSync(shared, path.join(tmp, 'shared'), 'dir');
    tmpSymlinks.push(path.join(tmp, 'shared'));
  }
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.bench.json', '--noEmitOnError', 'false'], { cwd: dir, stdio: 'inherit' });
  } catch (err) {
    // Type errors against today's dependencies' typings still emit JavaScript; only its running matters.
    if (!fs.existsSync(path.join(dir, 'dist', 'bench', 'lib', 'masthead-server.js'))) throw err;
    console.error(`bench: warning: tsc reported errors compiling the reference ${ref.short}; its emitted JavaScript is measured anyway`);
  }
  const buildClient = path.join(dir, 'scripts', 'build-client.mjs');
  if (fs.existsSync(buildClient)) execFileSync(process.execPath, [buildClient], { cwd: dir, stdio: 'inherit' });
  return dir;
}

/** Removes the temp dir, first unlinking the symlinks in it so nothing outside it can be touched. */
function removeTmp(tmp: string): void {
  for (const link of tmpSymlinks.splice(0)) {
    try {
      if (fs.lstatSync(link).isSymbolicLink()) fs.unlinkSync(link);
    } catch {}
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** wrk is the cheaper load generator (C, one thread); autocannon (npm) is the fall-back. */
function hasWrk(): boolean {
  try {
    execSync('wrk --version', { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version prints its version and exits 1; only a missing binary throws ENOENT-ish 127.
    return (err as { status?: number }).status === 1;
  }
}

/** The run with the median requests/s (the upper median for an even count). */
function medianRun(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.load.reqPerSec - b.load.reqPerSec);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// ---------------------------------------------------------------- child processes

type Stopped = Extract<ChildReport, { type: 'stopped' }>;

// ---------------------------------------------------------------- database

async function prepareDatabase(tmp: string, fileName = 'masthead.sqlite'): Promise<BenchDb> {
  if (opts.db === 'sqlite') {
    const file = path.join(tmp, fileName);
    return { url: `sqlite:${file}`, label: 'SQLite (file in a temp dir, WAL, better-sqlite3)', drop: async () => {} };
  }
  return createPostgresDatabase();
}

// ---------------------------------------------------------------- machine load

/** Busy and total jiffies summed over all CPUs (/proc/stat), or null off Linux. */
function procStat(): { busy: number; total: number } | null {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Cores busy machine-wide between two /proc/stat readings. */
function busyCores(a: ReturnType<typeof procStat>, b: ReturnType<typeof procStat>): number {
  if (!a || !b || b.total === a.total) return NaN;
  return ((b.busy - a.busy) / (b.total - a.total)) * os.cpus().length;
}

/**
 * Other engineers, test runs or browsers on a shared box skew the numbers: wait (up to
 * --quiet-wait seconds) until the machine is mostly idle before each measured run.
 */
async function waitForQuiet(maxWaitS: number): Promise<number> {
  const deadline = Date.now() + maxWaitS * 1000;
  let cores = NaN;
  for (;;) {
    const a = procStat();
    await new Promise((r) => setTimeout(r, 1000));
    cores = busyCores(a, procStat());
    if (!(cores > 0.25) || Date.now() >= deadline) break;
    console.error(`bench: machine busy (${cores.toFixed(2)} cores used by other processes), waiting …`);
  }
  return cores;
}

// ---------------------------------------------------------------- load

type LoadResult = LoadReport;

/** One load run by the load generator in its own child process (never this driver's event loop). */
async function load(url: string, duration: number): Promise<LoadResult> {
  return runLoad({ tool: LOAD_TOOL, url, connections: CONNECTIONS, durationS: duration });
}

interface Measured {
  load: LoadResult;
  server: Stopped;
  cpuMsPerReq: number;
  /** Cores busy machine-wide in the idle second before the run (other processes). */
  idleBefore: number;
  /** Cores busy machine-wide during the run minus the load generator and the server child. */
  otherCores: number;
}

/** Warm up, then one measured run bracketed by the child's start/stop counters. */
async function measure(child: Child, url: string, profileFile?: string): Promise<Measured> {
  const idleBefore = await waitForQuiet(Number(opts['quiet-wait']));
  if (WARMUP > 0) await load(url, WARMUP);
  child.send({ type: 'start', profile: Boolean(profileFile) });
  await child.next('started');
  const s0 = procStat();
  const result = await load(url, DURATION);
  const s1 = procStat();
  child.send({ type: 'stop', profileFile });
  const server = await child.next('stopped');
  const completed = result.total;
  const serverCores = (server.cpuUserUs + server.cpuSystemUs) / 1000 / server.wallMs;
  return {
    load: result,
    server,
    cpuMsPerReq: (server.cpuUserUs + server.cpuSystemUs) / 1000 / Math.max(1, completed),
    idleBefore,
    otherCores: busyCores(s0, s1) - serverCores - result.loadGenCpuShare,
  };
}

// ---------------------------------------------------------------- page weight

interface PageWeight {
  htmlBytes: number;
  htmlGzip: number;
  css: Array<{ url: string; bytes: number; gzip: number }>;
  js: Array<{ url: string; bytes: number; gzip: number }>;
  fonts: Array<{ url: string; bytes: number }>;
  totalBytes: number;
  totalGzip: number;
}

async function pageWeight(origin: string, html: Buffer): Promise<PageWeight> {
  const text = html.toString('utf8');
  const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
  const cssUrls = [...text.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((t) => /rel="?stylesheet/.test(t))
    .map((t) => attr(t, 'href')!)
    .filter(Boolean);
  const jsUrls = [...text.matchAll(/<script\b[^>]*\bsrc="[^"]+"[^>]*>/g)].map((m) => attr(m[0], 'src')!);
  const fetchBytes = async (u: string) => {
    const res = await fetch(new URL(u, origin));
    if (!res.ok) throw new Error(`asset ${u}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
  const css = [];
  const fonts = [];
  for (const u of cssUrls) {
    const b = await fetchBytes(u);
    css.push({ url: u, bytes: b.length, gzip: zlib.gzipSync(b).length });
    for (const m of b.toString('utf8').matchAll(/url\(\s*['"]?([^'")]+\.(?:woff2?|ttf|otf))/g)) {
      const fu = new URL(m[1]!, new URL(u, origin)).toString();
      fonts.push({ url: fu.replace(origin, ''), bytes: (await fetchBytes(fu)).length });
    }
  }
  const js = [];
  for (const u of jsUrls) {
    const b = await fetchBytes(u);
    js.push({ url: u, bytes: b.length, gzip: zlib.gzipSync(b).length });
  }
  const htmlGzip = zlib.gzipSync(html).length;
  const sum = (xs: Array<{ bytes: number }>) => xs.reduce((a, x) => a + x.bytes, 0);
  const sumGz = (xs: Array<{ gzip: number }>) => xs.reduce((a, x) => a + x.gzip, 0);
  return {
    htmlBytes: html.length,
    htmlGzip,
    css,
    js,
    fonts,
    totalBytes: html.length + sum(css) + sum(js),
    totalGzip: htmlGzip + sumGz(css) + sumGz(js),
  };
}

// ---------------------------------------------------------------- report

function machine(): { cpu: string; cores: number; ramGiB: string; node: string; os: string } {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {}
  return {
    cpu,
    cores: os.cpus().length,
    ramGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

function gitState(): string {
  try {
    const sha = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain -- src public', { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).length;
    return `main @ ${sha}${dirty ? ` + ${dirty} uncommitted change(s) in src/ or public/ (the working tree is what was measured)` : ' (clean src/ and public/)'}`;
  } catch {
    return 'unknown';
  }
}

const mb = (b: number) => (b / 2 ** 20).toFixed(1);
const kb = (b: number) => (b / 1024).toFixed(1);
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 1);
const ok = (pass: boolean) => (pass ? '✅ met' : '❌ missed');

function hotSpotTable(title: string, rows: HotSpot[], n: number): string {
  return [
    `**${title}**`,
    '',
    '| # | ms | % of busy | |',
    '|--:|--:|--:|---|',
    ...rows
      .slice(0, n)
      .map((r, i) => `| ${i + 1} | ${r.selfMs.toFixed(0)} | ${(r.share * 100).toFixed(1)}% | \`${r.name.replace(/\|/g, '\\|')}\` |`),
    '',
  ].join('\n');
}

function pageCacheLabel(): string {
  return opts['page-cache'] === 'off'
    ? 'Page cache: **off** (`MASTHEAD_PAGE_CACHE_MB=0` passed to the server): every request renders.'
    : `Page cache: as configured (\`MASTHEAD_PAGE_CACHE_MB\` ${process.env.MASTHEAD_PAGE_CACHE_MB === undefined ? 'unset: the default' : `= ${process.env.MASTHEAD_PAGE_CACHE_MB}`}); code without a page cache renders every request.`;
}

/** The reference code's runs for one target, or why the target was skipped for it. */
type ReferenceResult =
  { skipped: string } | { bytes: number; contentType: string; articles: number; runs: Measured[]; baselineRuns: Measured[] };

/** The reference's table and the line comparing both codes' ratios to node:http. */
function referenceSection(ref: Reference, m: Measured, b: Measured, bytes: number, result: ReferenceResult): string[] {
  if ('skipped' in result) return [`Reference code ${ref.short}: not measured for this page (${result.skipped}).`, ''];
  const r = medianRun(result.runs);
  const rb = medianRun(result.baselineRuns);
  const ratio = m.load.reqPerSec / b.load.reqPerSec;
  const refRatio = r.load.reqPerSec / rb.load.reqPerSec;
  const times = ratio / refRatio;
  const share = (x: Measured) => `${(((x.server.cpuUserUs + x.server.cpuSystemUs) / 1000 / x.server.wallMs) * 100).toFixed(0)}%`;
  return [
    `Side by side with the reference code (${ref.short}, demo content with ${result.articles} articles; its page: ${result.bytes} bytes of \`${result.contentType}\`${result.bytes === bytes ? ", the same length as today's" : `, today's ${bytes}`}), median rounds:`,
    '',
    `| Metric | Masthead (today) | node:http (today's bytes) | reference ${ref.short} | node:http (reference's bytes) |`,
    '|---|--:|--:|--:|--:|',
    `| Requests/s (mean) | ${m.load.reqPerSec.toFixed(0)} | ${b.load.reqPerSec.toFixed(0)} | ${r.load.reqPerSec.toFixed(0)} | ${rb.load.reqPerSec.toFixed(0)} |`,
    `| Ratio to its own baseline (req/s) | ${ratio.toFixed(3)} | | ${refRatio.toFixed(3)} | |`,
    `| Latency p50 | ${ms(m.load.p50)} ms | ${ms(b.load.p50)} ms | ${ms(r.load.p50)} ms | ${ms(rb.load.p50)} ms |`,
    `| Latency p99 | ${ms(m.load.p99)} ms | ${ms(b.load.p99)} ms | ${ms(r.load.p99)} ms | ${ms(rb.load.p99)} ms |`,
    `| Server CPU per request | ${m.cpuMsPerReq.toFixed(3)} ms | ${b.cpuMsPerReq.toFixed(3)} ms | ${r.cpuMsPerReq.toFixed(3)} ms | ${rb.cpuMsPerReq.toFixed(3)} ms |`,
    `| Server CPU use (share of one core) | ${share(m)} | ${share(b)} | ${share(r)} | ${share(rb)} |`,
    `| Peak RSS during load | ${mb(m.server.peakRssWindow)} MB | ${mb(b.server.peakRssWindow)} MB | ${mb(r.server.peakRssWindow)} MB | ${mb(rb.server.peakRssWindow)} MB |`,
    `| Non-2xx / socket errors | ${m.load.non2xx} / ${m.load.errors} | ${b.load.non2xx} / ${b.load.errors} | ${r.load.non2xx} / ${r.load.errors} | ${rb.load.non2xx} / ${rb.load.errors} |`,
    `| Other CPU on the machine during the run (cores) | ${m.otherCores.toFixed(2)} | ${b.otherCores.toFixed(2)} | ${r.otherCores.toFixed(2)} | ${rb.otherCores.toFixed(2)} |`,
    '',
    `Ratio to node:http: today's code ${ratio.toFixed(3)}, reference (${ref.short}) ${refRatio.toFixed(3)} → today's ratio is **${times.toFixed(2)}×** the reference's (target ≥ 2×: ${ok(times >= 2)}).`,
    '',
  ];
}

function report(args: {
  when: Date;
  page: { label: string; path: string; bytes: number; contentType: string };
  dbLabel: string;
  articles: number;
  mastheadRuns: Measured[];
  baselineRuns: Measured[];
  weight?: PageWeight | undefined;
  profile?: { summary: ProfileSummary; file: string; load: LoadResult } | undefined;
  reference?: ReferenceResult | undefined;
}): string {
  const { weight: w } = args;
  const m = medianRun(args.mastheadRuns);
  const b = medianRun(args.baselineRuns);
  const mc = machine();
  const cmd = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const rss = m.server.peakRssWindow;
  const lines = [
    `## ${args.when.toISOString().replace(/\.\d+Z$/, 'Z')} — ${args.page.label}, ${opts.db}${opts['page-cache'] === 'off' ? ', page cache off' : ''}`,
    '',
    `- Machine: ${mc.cpu}, ${mc.cores} cores, ${mc.ramGiB} GiB RAM, ${mc.os}, Node ${mc.node}`,
    `- Code: ${gitState()}`,
    ...(REFERENCE
      ? [
          `- Reference code: ${REFERENCE.describe}, extracted with \`git archive\`, compiled with its own \`tsconfig.bench.json\` and started from its own \`bench/lib/masthead-server.ts\` on this checkout's node_modules, seeded into its own database; same environment otherwise. Its baseline is a second node:http child serving the reference's bytes and header lines for the page.`,
        ]
      : []),
    `- Command: \`${cmd}\``,
    `- Page: \`${args.page.path}\`, ${args.page.bytes} bytes of \`${args.page.contentType}\`; the baseline answers every request with exactly these bytes${SAME_HEADERS ? ' and the same header lines (all but `date`, `connection` and `keep-alive`, which node:http writes itself)' : ' and only `content-type` and `content-length` (`--baseline-headers minimal`)'}.`,
    `- Database: ${args.dbLabel}; demo content with ${args.articles} articles. ${pageCacheLabel()}`,
    `- Layout: Masthead and the baseline each run in their own child process (compiled JavaScript, as \`npm start\` runs), one loaded at a time; the load generator (${LOAD_TOOL === 'wrk' ? '`wrk -t1 --latency`' : 'autocannon'}) runs in a third child process, the driver only coordinates. ${CONNECTIONS} connections, no pipelining, ${WARMUP} s warm-up then ${DURATION} s measured per target; ${ROUNDS} round(s) alternating Masthead and baseline, the table shows each target's median round by req/s (all rounds listed below it).${REFERENCE ? " With `--reference`, each round measures Masthead, its baseline, the reference and the reference's baseline, in that order." : ''} CPU/request = server child's \`process.cpuUsage()\` (user+system) over the measured window ÷ requests completed.`,
    '',
    '| Metric | Masthead | bare node:http (same bytes) | Masthead / baseline | Target | |',
    '|---|--:|--:|--:|---|---|',
    `| Requests/s (mean) | ${m.load.reqPerSec.toFixed(0)} | ${b.load.reqPerSec.toFixed(0)} | ${(m.load.reqPerSec / b.load.reqPerSec).toFixed(2)} | ≥ ${TARGETS.reqPerSec} | ${ok(m.load.reqPerSec >= TARGETS.reqPerSec)} |`,
    `| Latency p50 | ${ms(m.load.p50)} ms | ${ms(b.load.p50)} ms | ${(m.load.p50 / Math.max(b.load.p50, 0.01)).toFixed(1)}× | | |`,
    `| Latency p90 | ${ms(m.load.p90)} ms | ${ms(b.load.p90)} ms | | | |`,
    `| Latency p99 | ${ms(m.load.p99)} ms | ${ms(b.load.p99)} ms | ${(m.load.p99 / Math.max(b.load.p99, 0.01)).toFixed(1)}× | ≤ ${TARGETS.p99Ms} ms | ${ok(m.load.p99 <= TARGETS.p99Ms)} |`,
    `| Latency max | ${ms(m.load.max)} ms | ${ms(b.load.max)} ms | | | |`,
    `| Server CPU per request | ${m.cpuMsPerReq.toFixed(3)} ms | ${b.cpuMsPerReq.toFixed(3)} ms | ${(m.cpuMsPerReq / b.cpuMsPerReq).toFixed(1)}× | ≤ ${TARGETS.cpuMsPerReq} ms | ${ok(m.cpuMsPerReq <= TARGETS.cpuMsPerReq)} |`,
    `| Server CPU use (share of one core) | ${(((m.server.cpuUserUs + m.server.cpuSystemUs) / 1000 / m.server.wallMs) * 100).toFixed(0)}% | ${(((b.server.cpuUserUs + b.server.cpuSystemUs) / 1000 / b.server.wallMs) * 100).toFixed(0)}% | | | |`,
    `| Peak RSS during load (sampled every 100 ms) | ${mb(rss)} MB | ${mb(b.server.peakRssWindow)} MB | | < ${TARGETS.rssMb} MB | ${ok(rss / 2 ** 20 < TARGETS.rssMb)} |`,
    `| Peak RSS over process life (maxRSS) | ${mb(m.server.maxRssLifetime)} MB | ${mb(b.server.maxRssLifetime)} MB | | | |`,
    `| Requests in measured window | ${m.load.total} | ${b.load.total} | | | |`,
    `| Non-2xx / socket errors | ${m.load.non2xx} / ${m.load.errors} | ${b.load.non2xx} / ${b.load.errors} | | 0 | ${ok(m.load.non2xx + m.load.errors === 0)} |`,
    `| Load generator CPU (share of one core) | ${(m.load.loadGenCpuShare * 100).toFixed(0)}% | ${(b.load.loadGenCpuShare * 100).toFixed(0)}% | | | |`,
    `| Other CPU on the machine during the run (cores; kernel networking + other processes) | ${m.otherCores.toFixed(2)} | ${b.otherCores.toFixed(2)} | | | |`,
    `| Machine busy just before the run (cores) | ${m.idleBefore.toFixed(2)} | ${b.idleBefore.toFixed(2)} | | | |`,
    '',
  ];
  if (REFERENCE && args.reference) lines.push(...referenceSection(REFERENCE, m, b, args.page.bytes, args.reference));
  if (w) {
    lines.push(
      `Page weight (excluding images): HTML ${kb(w.htmlBytes)} KB + CSS ${w.css.map((c) => `${kb(c.bytes)} KB`).join(' + ') || '0'} + JS ${w.js.map((j) => `${kb(j.bytes)} KB`).join(' + ') || '0'} = **${kb(w.totalBytes)} KB** (target < ${TARGETS.pageWeightKb} KB: ${ok(w.totalBytes / 1024 < TARGETS.pageWeightKb)}); gzip-equivalent ${kb(w.totalGzip)} KB (the server does not compress responses itself).${w.fonts.length ? ` Web fonts referenced by the CSS (not counted): ${w.fonts.map((f) => `${f.url} ${kb(f.bytes)} KB`).join(', ')}.` : ''}`,
      '',
    );
  }
  const roundRow = (name: string, r: Measured, i: number) =>
    `| ${i + 1} | ${name} | ${r.load.reqPerSec.toFixed(0)} | ${ms(r.load.p50)} | ${ms(r.load.p99)} | ${r.cpuMsPerReq.toFixed(3)} | ${mb(r.server.peakRssWindow)} | ${r.otherCores.toFixed(2)} | ${r.idleBefore.toFixed(2)} |`;
  lines.push(
    'All rounds:',
    '',
    '| Round | Server | req/s | p50 ms | p99 ms | CPU ms/req | peak RSS MB | other CPU (cores) | busy before (cores) |',
    '|--:|---|--:|--:|--:|--:|--:|--:|--:|',
    ...args.mastheadRuns.map((r, i) => roundRow('Masthead', r, i)),
    ...args.baselineRuns.map((r, i) => roundRow('node:http', r, i)),
    ...(REFERENCE && args.reference && 'runs' in args.reference
      ? [
          ...args.reference.runs.map((r, i) => roundRow(`reference ${REFERENCE.short}`, r, i)),
          ...args.reference.baselineRuns.map((r, i) => roundRow(`node:http (reference's bytes)`, r, i)),
        ]
      : []),
    '',
  );
  if (opts.db === 'postgres') {
    lines.push(
      `Note: with PostgreSQL on the same machine, "other CPU" includes the PostgreSQL backends serving Masthead's queries, and they compete with the server and autocannon for the ${mc.cores} cores.`,
      '',
    );
  }
  if (b.load.loadGenCpuShare > 0.9) {
    lines.push(
      `Note: the load generator used ~${(b.load.loadGenCpuShare * 100).toFixed(0)}% of a core against the baseline, so on this ${mc.cores}-core machine the baseline figure is bounded by the load generator as much as by the server; treat the ratio as a lower bound on Masthead's relative cost.`,
      '',
    );
  }
  if (args.profile) {
    const p = args.profile;
    lines.push(
      `### CPU profile (separate profiled run, ${DURATION} s, ${p.load.reqPerSec.toFixed(0)} req/s under the profiler)`,
      '',
      `Profile: \`${path.relative(ROOT, p.file)}\` (open in Chrome DevTools → Performance, or speedscope). Busy ${p.summary.busyMs.toFixed(0)} ms of ${p.summary.totalMs.toFixed(0)} ms sampled.`,
      '',
      hotSpotTable('Self time by group', p.summary.groups, 12),
      hotSpotTable('Inclusive time by group (a sample counts once per group on its stack)', p.summary.groupsInclusive, 12),
      hotSpotTable('Self time by function (top 25)', p.summary.functions, 25),
      hotSpotTable('Self time by module', p.summary.modules, 15),
      hotSpotTable('Inclusive time of Masthead src/ functions', p.summary.srcInclusive, 20),
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-'));
  const db = await prepareDatabase(tmp);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MASTHEAD_DATABASE_URL: db.url,
    // A fresh temp file: a configured SQLite file is otherwise required to exist.
    MASTHEAD_DATABASE_CREATE: 'true',
    MASTHEAD_MEDIA_DIR: path.join(tmp, 'media'),
    MASTHEAD_SITE_URL: 'http://127.0.0.1:3000',
    // Until the page cache exists the variable is ignored and every request renders anyway.
    ...(opts['page-cache'] === 'off' ? { MASTHEAD_PAGE_CACHE_MB: '0' } : {}),
    MASTHEAD_DEMO_CONTENT: 'true',
    LOG_LEVEL: 'warn',
    ...(opts.generated ? { BENCH_GENERATED: opts.generated } : {}),
  };
  const children: Child[] = [];
  let refDb: BenchDb | undefined;
  try {
    console.error('bench: compiling the servers (tsc -p tsconfig.bench.json) …');
    buildServers();
    let refDir: string | undefined;
    if (REFERENCE) {
      console.error(`bench: extracting and compiling the reference code ${REFERENCE.describe} …`);
      refDir = prepareReference(REFERENCE, tmp);
    }
    console.error(`bench: seeding demo content into ${db.label} …`);
    const seeder = forkTs('seed', 'masthead-server.ts', ['seed'], env);
    children.push(seeder);
    const { articles } = await seeder.next('seeded');

    // The reference: its own database and media, its own seeding (its own demo content and migrations).
    let refEnv: NodeJS.ProcessEnv | undefined;
    let refArticles = 0;
    if (REFERENCE && refDir) {
      refDb = await prepareDatabase(tmp, 'reference.sqlite');
      refEnv = { ...env, MASTHEAD_DATABASE_URL: refDb.url, MASTHEAD_MEDIA_DIR: path.join(tmp, 'reference-media') };
      console.error(`bench: seeding the reference's demo content into its own ${refDb.label} …`);
      const refSeeder = forkTs(`reference ${REFERENCE.short} seed`, 'masthead-server.ts', ['seed'], refEnv, refDir);
      children.push(refSeeder);
      refArticles = (await refSeeder.next('seeded')).articles;
    }

    const masthead = forkTs('masthead', 'masthead-server.ts', [], env);
    children.push(masthead);
    const ready = await masthead.next('ready');
    const origin = `http://127.0.0.1:${ready.port}`;
    console.error(`bench: Masthead (pid ${ready.pid}) ${origin}, load generator: ${LOAD_TOOL}`);
    let reference: Child | undefined;
    let refOrigin = '';
    if (REFERENCE && refDir && refEnv) {
      reference = forkTs(`reference ${REFERENCE.short}`, 'masthead-server.ts', [], refEnv, refDir);
      children.push(reference);
      const refReady = await reference.next('ready');
      refOrigin = `http://127.0.0.1:${refReady.port}`;
      console.error(`bench: reference ${REFERENCE.short} (pid ${refReady.pid}) ${refOrigin}, ${refArticles} articles`);
    }

    /** A page as a reader gets it, asked for identity as wrk asks (fetch would otherwise ask for and undo compression). */
    const fetchPage = async (pageOrigin: string, pagePath: string) => {
      const res = await fetch(pageOrigin + pagePath, { headers: { 'accept-encoding': 'identity' } });
      const contentType = res.headers.get('content-type') ?? 'text/html; charset=utf-8';
      return { status: res.status, headers: res.headers, contentType, bytes: Buffer.from(await res.arrayBuffer()) };
    };
    /** A baseline child answering every request with these bytes (and, by default, these header lines). */
    const startBaseline = async (key: string, page: Awaited<ReturnType<typeof fetchPage>>) => {
      const bodyFile = path.join(tmp, `${key}.body`);
      fs.writeFileSync(bodyFile, page.bytes);
      const baseArgs = [bodyFile, page.contentType];
      if (SAME_HEADERS) {
        // Asked without Accept-Encoding, as wrk asks: the identity answer's header lines.
        const headers = Object.fromEntries([...page.headers].filter(([k]) => !PER_RESPONSE_HEADERS.has(k)));
        const headersFile = path.join(tmp, `${key}.headers.json`);
        fs.writeFileSync(headersFile, JSON.stringify(headers));
        baseArgs.push(headersFile);
      }
      const base = forkTs(`baseline ${key}`, 'baseline-server.ts', baseArgs, env);
      children.push(base);
      const bReady = await base.next('ready');
      return { base, baseUrl: `http://127.0.0.1:${bReady.port}/`, pid: bReady.pid };
    };

    // Each target: the page's exact bytes and content-type, and a baseline child serving them;
    // with --reference, the same again for the reference's page.
    interface Target {
      name: PageName;
      label: string;
      path: string;
      bytes: Buffer;
      contentType: string;
      weight?: PageWeight | undefined;
      base: Child;
      baseUrl: string;
      mRuns: Measured[];
      bRuns: Measured[];
      profile?: { summary: ProfileSummary; file: string; load: LoadResult } | undefined;
      ref?:
        | { bytes: Buffer; contentType: string; base: Child; baseUrl: string; rRuns: Measured[]; rbRuns: Measured[] }
        | { skipped: string }
        | undefined;
    }
    const targets: Target[] = [];
    for (const name of TARGET_NAMES) {
      const page = PAGES[name];
      const got = await fetchPage(origin, page.path);
      if (got.status !== 200) throw new Error(`${page.label}: HTTP ${got.status}`);
      const { bytes, contentType } = got;
      const weight = contentType.startsWith('text/html') ? await pageWeight(origin, bytes) : undefined;
      const { base, baseUrl, pid } = await startBaseline(name, got);
      console.error(`bench: ${page.label} ${page.path}: ${bytes.length} bytes; baseline node:http pid ${pid}`);
      const target: Target = { name, ...page, bytes, contentType, weight, base, baseUrl, mRuns: [], bRuns: [] };
      if (REFERENCE && reference) {
        const refPage = await fetchPage(refOrigin, page.path);
        if (refPage.status !== 200) {
          target.ref = { skipped: `\`${page.path}\` answered HTTP ${refPage.status}` };
          console.error(
            `bench: reference ${REFERENCE.short}: ${page.label} ${page.path}: HTTP ${refPage.status}, not measured for this target`,
          );
        } else {
          const refBase = await startBaseline(`${name}.reference`, refPage);
          console.error(
            `bench: reference ${REFERENCE.short}: ${page.label} ${page.path}: ${refPage.bytes.length} bytes; its baseline node:http pid ${refBase.pid}`,
          );
          target.ref = {
            bytes: refPage.bytes,
            contentType: refPage.contentType,
            base: refBase.base,
            baseUrl: refBase.baseUrl,
            rRuns: [],
            rbRuns: [],
          };
        }
      }
      targets.push(target);
    }
    const line = (name: string, r: Measured) =>
      console.error(
        `bench:   ${name}: ${r.load.reqPerSec.toFixed(0)} req/s, p50 ${ms(r.load.p50)} ms, p99 ${ms(r.load.p99)} ms, ${r.cpuMsPerReq.toFixed(3)} ms CPU/req, other CPU ${r.otherCores.toFixed(2)} cores`,
      );

    // All servers stay up but only one is loaded at a time; an idle server costs nothing.
    for (let round = 1; round <= ROUNDS; round++) {
      console.error(`bench: round ${round}/${ROUNDS}`);
      for (const t of targets) {
        t.mRuns.push(await measure(masthead, origin + t.path));
        line(`${t.name} Masthead `, t.mRuns.at(-1)!);
        t.bRuns.push(await measure(t.base, t.baseUrl));
        line(`${t.name} node:http`, t.bRuns.at(-1)!);
        if (reference && t.ref && 'rRuns' in t.ref) {
          t.ref.rRuns.push(await measure(reference, refOrigin + t.path));
          line(`${t.name} reference ${REFERENCE!.short}`, t.ref.rRuns.at(-1)!);
          t.ref.rbRuns.push(await measure(t.ref.base, t.ref.baseUrl));
          line(`${t.name} node:http (reference's bytes)`, t.ref.rbRuns.at(-1)!);
        }
      }
    }
    for (const t of targets) {
      const after = Buffer.from(await (await fetch(origin + t.path)).arrayBuffer());
      if (!after.equals(t.bytes)) console.error(`bench: warning: the bytes of ${t.path} changed during the run`);
      await t.base.exit();
      if (reference && t.ref && 'rRuns' in t.ref) {
        const refAfter = Buffer.from(await (await fetch(refOrigin + t.path)).arrayBuffer());
        if (!refAfter.equals(t.ref.bytes)) console.error(`bench: warning: the reference's bytes of ${t.path} changed during the run`);
        await t.ref.base.exit();
      }
    }
    // The reference's profile is saved beside today's for comparing by hand, not summarised.
    if (opts.profile && reference) {
      const dir = path.join(ROOT, 'test-output', 'bench');
      fs.mkdirSync(dir, { recursive: true });
      for (const t of targets) {
        if (!t.ref || !('rRuns' in t.ref)) continue;
        const file = path.join(
          dir,
          `${t.name}-${opts.db}-reference-${REFERENCE!.short}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
        );
        await measure(reference, refOrigin + t.path, file);
        console.error(`bench: reference ${REFERENCE!.short} profile of ${t.label}: ${path.relative(ROOT, file)}`);
      }
    }
    await reference?.exit();

    if (opts.profile) {
      const dir = path.join(ROOT, 'test-output', 'bench');
      fs.mkdirSync(dir, { recursive: true });
      for (const t of targets) {
        const file = path.join(dir, `${t.name}-${opts.db}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
        console.error(`bench: profiled Masthead run, ${t.label} …`);
        const p = await measure(masthead, origin + t.path, file);
        t.profile = { summary: summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, 30), file, load: p.load };
      }
    }
    await masthead.exit();

    const when = new Date();
    const text = targets
      .map((t) =>
        report({
          when,
          page: { label: t.label, path: t.path, bytes: t.bytes.length, contentType: t.contentType },
          dbLabel: db.label,
          articles,
          mastheadRuns: t.mRuns,
          baselineRuns: t.bRuns,
          weight: t.weight,
          profile: t.profile,
          reference:
            t.ref && 'rRuns' in t.ref
              ? {
                  bytes: t.ref.bytes.length,
                  contentType: t.ref.contentType,
                  articles: refArticles,
                  runs: t.ref.rRuns,
                  baselineRuns: t.ref.rbRuns,
                }
              : t.ref,
        }),
      )
      .join('\n');
    console.log(`\n${text}`);
    if (!opts['no-record']) {
      const header = '# Benchmark results\n\nAppended by `npm run bench` (see README.md). Newest last.\n\n';
      if (!fs.existsSync(opts.results!)) fs.writeFileSync(opts.results!, header);
      fs.appendFileSync(opts.results!, `${text}\n`);
      console.error(`bench: appended to ${path.relative(ROOT, opts.results!)}`);
    }
  } finally {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill();
    await db.drop().catch((err: unknown) => console.error(`bench: could not drop the database: ${(err as Error).message}`));
    await refDb?.drop().catch((err: unknown) => console.error(`bench: could not drop the reference's database: ${(err as Error).message}`));
    removeTmp(tmp);
  }
}

await main();
