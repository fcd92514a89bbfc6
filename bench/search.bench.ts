/*
 * Search benchmark (issue 13): public search latency under concurrent searchers, the index's
 * size and the time a full reindex takes, on a large archive.
 *
 *   # an existing archive (e.g. 1,000,000 stories made with `npm run generate`):
 *   npm run bench:search -- --database-url postgres://postgres@127.0.0.1:5432/masthead_1m
 *   # a fresh archive of N generated stories, made by this run in a temp file / database:
 *   npm run bench:search -- --db sqlite --stories 100000 --reindex
 *   npm run bench:search -- --db postgres --stories 100000 --reindex --searchers 0
 *
 * Layout: one Masthead server process (compiled, as `npm start`) on the database with its page
 * cache off (MASTHEAD_PAGE_CACHE_MB=0), so every search runs its query. The driver (this
 * process, never the server's) picks queries from the indexed stories themselves: one word,
 * two words and a quoted two-word phrase taken from a random story's body, each asked without
 * and with that story's section as a filter (`/search?q=…&section=…`). `--searchers` loops
 * (default 8) then each send one search at a time over their own keep-alive connection for
 * `--duration` seconds, cycling through the queries; latency is reported per query kind.
 * With `--reindex`, the whole index is rebuilt first (`reindexAll`, what
 * `npm run masthead -- search reindex` runs) and timed. Results are appended to bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createDeps } from '../src/deps.ts';
import { reindexAll } from '../src/domain/search/search-reindex.ts';
import { summariseProfile, type CpuProfile } from './lib/cpu-profile.ts';
import { KeepAliveClient } from './lib/keep-alive-client.ts';
import { buildServers, createPostgresDatabase, forkTs, type BenchDb, type Child } from './lib/processes.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');

const { values: opts } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    db: { type: 'string', default: 'sqlite' },
    stories: { type: 'string', default: '100000' },
    searchers: { type: 'string', default: '8' },
    duration: { type: 'string', default: '20' },
    /** Seconds of unmeasured load (all searchers) before the first round. */
    warmup: { type: 'string', default: '5' },
    queries: { type: 'string', default: '30' },
    reindex: { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    /** Print the sampled queries (kind, section filter, URL) and stop: to time or explain them one by one. */
    'list-queries': { type: 'boolean', default: false },
    /** Write the server's CPU profile of the measured window to this .cpuprofile file and summarise it. */
    profile: { type: 'string' },
    /** Measured windows (rounds) on the same server, each reported. */
    rounds: { type: 'string', default: '1' },
    results: { type: 'string', default: path.join(HERE, 'RESULTS.md') },
  },
});
if (opts.db !== 'sqlite' && opts.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
const SEARCHERS = Math.max(0, Number(opts.searchers));
const DURATION_S = Math.max(1, Number(opts.duration));
const WARMUP_S = Math.max(0, Number(opts.warmup));
/** Queries of each kind drawn from the archive. */
const QUERIES = Math.max(1, Number(opts.queries));
const ROUNDS = Math.max(1, Number(opts.rounds));

const KINDS = ['one word', 'two words', 'phrase'] as const;
type Kind = (typeof KINDS)[number];
interface Query {
  kind: Kind;
  filtered: boolean;
  url: string;
}

const RESULT_MARK = Buffer.from('class="search-result');

/**
 * One search; `results` tells whether the page lists any. The body is searched as bytes, not
 * decoded, over a minimal keep-alive client: the driver shares the machine's cores with the
 * server, and decoding every ~25 KB page cost it 0.4–0.9 ms of CPU a search, Node's `http`
 * client about as much again.
 */
async function get(client: KeepAliveClient, url: string): Promise<{ status: number; ms: number; results: boolean }> {
  const start = performance.now();
  const res = await client.get(url, { 'accept-encoding': 'identity' });
  return { status: res.status, ms: performance.now() - start, results: res.body.includes(RESULT_MARK) };
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.ceil((q / 100) * s.length) - 1)]!;
  return { n: s.length, p50: p(50), p95: p(95), p99: p(99), max: s.at(-1)! };
}

/** Words a reader would type: letters only, 4+ characters, not the commonest function words. */
const STOP = new Set(['that', 'with', 'from', 'this', 'have', 'were', 'said', 'they', 'their', 'been', 'which', 'would', 'will', 'there']);
function wordsOf(text: string): string[] {
  return text
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length >= 4 && !STOP.has(w.toLowerCase()))
    .map((w) => w.toLowerCase());
}

async function prepareArchive(tmp: string): Promise<{ db: BenchDb; made: boolean }> {
  if (opts['database-url']) return { db: { url: opts['database-url'], label: 'given', drop: async () => {} }, made: false };
  const db: BenchDb =
    opts.db === 'sqlite'
      ? {
          url: `sqlite:${path.join(tmp, 'archive.sqlite')}`,
          label: 'SQLite (file in a temp dir, WAL, better-sqlite3)',
          drop: async () => {},
        }
      : await createPostgresDatabase();
  console.error(`search: generating ${Number(opts.stories).toLocaleString('en-US')} stories …`);
  execFileSync(process.execPath, ['--import', 'tsx', 'src/demo/generate-cli.ts', '--articles', String(opts.stories)], {
    cwd: ROOT,
    env: { ...process.env, MASTHEAD_DATABASE_URL: db.url, MASTHEAD_DATABASE_CREATE: 'true', MASTHEAD_MEDIA_DIR: path.join(tmp, 'media') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { db, made: true };
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-search-'));
  const children: Child[] = [];
  const { db, made } = await prepareArchive(tmp);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MASTHEAD_DATABASE_URL: db.url,
    MASTHEAD_MEDIA_DIR: process.env.MASTHEAD_MEDIA_DIR ?? path.join(tmp, 'media'),
    MASTHEAD_SITE_URL: 'http://127.0.0.1:3000',
    MASTHEAD_DEMO_CONTENT: 'false',
    MASTHEAD_PAGE_CACHE_MB: '0',
    LOG_LEVEL: 'warn',
  };
  delete env.MASTHEAD_REDIS_URL;
  try {
    console.error('search: compiling the server …');
    buildServers();
    const deps = await createDeps(loadConfig(env));
    await migrateToLatest(deps.db);
    const dialect = deps.dialect;
    const count = async () =>
      Number(
        (
          await deps.db
            .selectFrom('search_documents')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const published = Number(
      (
        await deps.db
          .selectFrom('articles')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', '=', 'published')
          .executeTakeFirstOrThrow()
      ).n,
    );

    let reindex: { ms: number; indexed: number } | null = null;
    if (opts.reindex) {
      console.error('search: rebuilding the whole index (reindexAll, restart) …');
      const start = performance.now();
      let last = 0;
      const r = await reindexAll(deps, {
        restart: true,
        onProgress: (p) => {
          if (performance.now() - last > 5000) {
            last = performance.now();
            console.error(`search:   reindexed ${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}`);
          }
        },
      });
      reindex = { ms: performance.now() - start, indexed: r.indexed };
    }

    // The index's size on disk: the documents and their full-text index together.
    const documents = await count();
    let indexBytes: number;
    let sizeNote: string;
    if (dialect === 'postgres') {
      if (!made) await sql`vacuum analyze search_documents`.execute(deps.db);
      const r = await sql<{ b: string }>`select pg_total_relation_size('search_documents')::bigint as b`.execute(deps.db);
      indexBytes = Number(r.rows[0]!.b);
      sizeNote =
        '`pg_total_relation_size(search_documents)`: the documents (text kept for snippets), their tsvector and its GIN index, TOAST included';
    } else {
      const r = await sql<{ b: number }>`select sum(pgsize) as b from dbstat where name like 'search%'`.execute(deps.db);
      indexBytes = Number(r.rows[0]!.b);
      sizeNote = '`dbstat` pages of `search_documents` (text kept for snippets) and the FTS5 tables `search_fts*`';
    }

    // Queries from the archive itself, so each has at least the story it came from; a fixed
    // sample, so runs on one archive ask the same queries and compare.
    const sample =
      dialect === 'postgres'
        ? await sql<{ body: string; section: string }>`select d.body, s.slug as section
            from search_documents d tablesample system (1) repeatable (7) join articles a on a.id = d.article_id join sections s on s.id = a.section_id
            where a.status = 'published' order by d.article_id limit ${QUERIES * 4}`.execute(deps.db)
        : await sql<{ body: string; section: string }>`select d.body, s.slug as section
            from search_documents d join articles a on a.id = d.article_id join sections s on s.id = a.section_id
            where d.doc_id in (select doc_id from search_documents order by (doc_id * 7919) % 100003, doc_id limit ${QUERIES * 4}) and a.status = 'published'`.execute(
            deps.db,
          );
    await deps.close();
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const queries: Query[] = [];
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    for (const { body, section } of sample.rows) {
      const words = wordsOf(body);
      if (words.length < 10) continue;
      const one = pick(words);
      let two = pick(words);
      for (let i = 0; i < 10 && two === one; i++) two = pick(words);
      // A phrase: two words that follow each other in the body.
      // Words as the body shows them, their surrounding punctuation off; one with punctuation
      // inside ("O'Brien") is left out, as squeezing it into "obrien" makes a word no reader types.
      const tokens = body.split(/\s+/).map((t) => {
        const w = t.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
        return /^\p{L}+$/u.test(w) ? w.toLowerCase() : '';
      });
      let phrase = '';
      for (let i = 0; i < 20 && !phrase; i++) {
        const at = Math.floor(rand() * (tokens.length - 1));
        if (tokens[at]!.length >= 4 && tokens[at + 1]!.length >= 4) phrase = `"${tokens[at]} ${tokens[at + 1]}"`;
      }
      const texts: Record<Kind, string> = { 'one word': one, 'two words': `${one} ${two}`, phrase };
      for (const kind of KINDS) {
        if (!texts[kind] || queries.filter((q) => q.kind === kind && !q.filtered).length >= QUERIES) continue;
        const q = encodeURIComponent(texts[kind]);
        queries.push({ kind, filtered: false, url: `/search?q=${q}` });
        queries.push({ kind, filtered: true, url: `/search?q=${q}&section=${encodeURIComponent(section)}` });
      }
    }

    if (opts['list-queries']) {
      for (const q of queries) console.log(`${q.kind}\t${q.filtered ? 'section' : '-'}\t${q.url}`);
      return;
    }

    const latencies = new Map<string, number[]>();
    let requests = 0;
    let empty = 0;
    let measuredS = 0;
    const rounds: Array<{
      round: number;
      requests: number;
      perSecond: number;
      p50: number;
      p95: number;
      p99: number;
      cpuMsPerSearch: number;
      driverCpuMsPerSearch: number;
      profiled: boolean;
      loadBefore: number;
    }> = [];
    if (SEARCHERS > 0) {
      const server = forkTs('masthead', 'masthead-server.ts', [], env);
      children.push(server);
      const { port } = await server.next('ready');
      const warm = new KeepAliveClient(port);
      // Warm-up (JIT, pool, the database's caches): every query once, not measured.
      for (const q of queries) await get(warm, q.url);
      warm.close();
      // Then the rounds' own load, not measured: one pass on one connection left the pool's
      // other connections to open in the first round (each a new PostgreSQL backend with cold
      // caches, preparing every statement and planning its first runs afresh), and both
      // processes' code still compiling, so the first round of every run was the slow one.
      const warmUntil = performance.now() + WARMUP_S * 1000;
      await Promise.all(
        Array.from({ length: SEARCHERS }, async (_, s) => {
          const client = new KeepAliveClient(port);
          for (let i = s; performance.now() < warmUntil; i += SEARCHERS) await get(client, queries[i % queries.length]!.url);
          client.close();
        }),
      );
      for (let round = 1; round <= ROUNDS; round++) {
        console.error(`search: round ${round}/${ROUNDS}, ${SEARCHERS} searchers for ${DURATION_S} s over ${queries.length} queries …`);
        const loadBefore = os.loadavg()[0]!;
        // Profiled only in the first round: the profiler's own cost stays out of the others.
        const profiled = Boolean(opts.profile) && round === 1;
        server.send({ type: 'start', profile: profiled });
        await server.next('started');
        const roundLatencies: number[] = [];
        let roundRequests = 0;
        const driverCpu = process.cpuUsage();
        const until = performance.now() + DURATION_S * 1000;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: SEARCHERS }, async (_, s) => {
            const client = new KeepAliveClient(port);
            for (let i = s + round; performance.now() < until; i += SEARCHERS) {
              const q = queries[i % queries.length]!;
              const res = await get(client, q.url);
              if (res.status !== 200) throw new Error(`${q.url} answered ${res.status}`);
              if (!res.results) empty++;
              const key = `${q.kind}|${q.filtered}`;
              let kept = latencies.get(key);
              if (!kept) latencies.set(key, (kept = []));
              kept.push(res.ms);
              roundLatencies.push(res.ms);
              roundRequests++;
            }
            client.close();
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        const driverUsed = process.cpuUsage(driverCpu);
        server.send({ type: 'stop', profileFile: profiled ? path.resolve(opts.profile!) : undefined });
        const stopped = await server.next('stopped');
        measuredS += seconds;
        requests += roundRequests;
        const s = stats(roundLatencies);
        rounds.push({
          round,
          requests: roundRequests,
          perSecond: roundRequests / seconds,
          p50: s.p50,
          p95: s.p95,
          p99: s.p99,
          cpuMsPerSearch: (stopped.cpuUserUs + stopped.cpuSystemUs) / 1000 / Math.max(1, roundRequests),
          driverCpuMsPerSearch: (driverUsed.user + driverUsed.system) / 1000 / Math.max(1, roundRequests),
          profiled,
          loadBefore,
        });
        if (profiled) {
          const summary = summariseProfile(JSON.parse(fs.readFileSync(path.resolve(opts.profile!), 'utf8')) as CpuProfile, 30);
          console.error(
            `search: profile written to ${opts.profile}; busy ${summary.busyMs.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms`,
          );
          for (const h of summary.srcInclusive.slice(0, 30))
            console.error(`  src incl ${h.selfMs.toFixed(0).padStart(7)} ms ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
          for (const h of summary.groupsInclusive.slice(0, 15))
            console.error(`  group incl ${h.selfMs.toFixed(0).padStart(7)} ms ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
          for (const h of summary.functions.slice(0, 30))
            console.error(`  self ${h.selfMs.toFixed(0).padStart(7)} ms ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
        }
      }
      await server.exit();
    }

    const cpu = os.cpus();
    const mb = (b: number) => (b / 2 ** 20).toFixed(1);
    const target = dialect === 'postgres' ? 50 : 20;
    const all = [...latencies.values()].flat();
    const per100k = (x: number) => (x * 100_000) / Math.max(1, documents);
    const command = opts['database-url']
      ? `npm run bench:search -- --database-url <${dialect} archive>${opts.reindex ? ' --reindex' : ''} --searchers ${SEARCHERS} --duration ${DURATION_S} --rounds ${ROUNDS}`
      : `npm run bench:search -- --db ${opts.db} --stories ${opts.stories}${opts.reindex ? ' --reindex' : ''} --searchers ${SEARCHERS} --duration ${DURATION_S} --rounds ${ROUNDS}`;
    const lines = [
      `## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} — search over ${published.toLocaleString('en-US')} stories, ${dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}`,
      '',
      `- Machine: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
      `- Command: \`${command}\``,
      `- Database: ${dialect === 'postgres' ? 'PostgreSQL 127.0.0.1:5432, same machine' : 'SQLite file, WAL'}; ${published.toLocaleString('en-US')} published stories (\`npm run generate\`), ${documents.toLocaleString('en-US')} indexed documents. One Masthead process (compiled), page cache off: every search runs its query and renders the results page (snippets, thumbnails, filters).`,
      ...(SEARCHERS > 0
        ? [
            `- Load: ${SEARCHERS} concurrent searchers in the driver process (not the server's), each one search at a time over its own keep-alive connection, for ${DURATION_S} s after one unmeasured pass over every query and ${WARMUP_S} s of unmeasured load; ${queries.length} queries from ${sample.rows.length} random stories' bodies (one word, two words, a quoted two-word phrase; each without and with the story's section as a filter). ${requests.toLocaleString('en-US')} searches in ${measuredS.toFixed(1)} s (${(requests / measuredS).toFixed(0)}/s); ${empty} answered with no results.`,
            '',
            '| Query | Section filter | Searches | p50 ms | p95 ms | p99 ms | max ms | Target (p95) | |',
            '|---|---|--:|--:|--:|--:|--:|---|---|',
            ...KINDS.flatMap((kind) =>
              [false, true].map((filtered) => {
                const s = stats(latencies.get(`${kind}|${filtered}`) ?? [0]);
                return `| ${kind} | ${filtered ? 'yes' : 'no'} | ${s.n} | ${s.p50.toFixed(2)} | ${s.p95.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.max.toFixed(1)} | ≤ ${target} ms | ${s.p95 <= target ? '✅ met' : '❌ missed'} |`;
              }),
            ),
            (() => {
              const s = stats(all);
              return `| **all** | | ${s.n} | ${s.p50.toFixed(2)} | ${s.p95.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.max.toFixed(1)} | ≤ ${target} ms | ${s.p95 <= target ? '✅ met' : '❌ missed'} |`;
            })(),
          ]
        : []),
      ...(rounds.length
        ? [
            '',
            `All rounds (${DURATION_S} s each, one server; CPU/search = the server's (and the driver's) user+system CPU over the round ÷ searches; load = the machine's 1-minute load average just before the round${opts.profile ? '; round 1 ran under the CPU profiler' : ''}):`,
            '',
            '| Round | Searches | Searches/s | p50 ms | p95 ms | p99 ms | Server CPU ms/search | Driver CPU ms/search | Load before |',
            '|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
            ...rounds.map(
              (r) =>
                `| ${r.round}${r.profiled ? ' (profiled)' : ''} | ${r.requests} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuMsPerSearch.toFixed(2)} | ${r.driverCpuMsPerSearch.toFixed(2)} | ${r.loadBefore.toFixed(2)} |`,
            ),
          ]
        : []),
      '',
      `Index size: ${mb(indexBytes)} MB for ${documents.toLocaleString('en-US')} documents, **${mb(per100k(indexBytes))} MB per 100,000 stories** (${sizeNote}).` +
        (reindex
          ? ` Full reindex (\`reindexAll\`, batches of 200 in their own transactions, as \`npm run masthead -- search reindex\`): ${reindex.indexed.toLocaleString('en-US')} stories in ${(reindex.ms / 1000).toFixed(1)} s, **${(per100k(reindex.ms) / 1000).toFixed(1)} s per 100,000 stories**.`
          : ''),
      '',
    ];
    const text = lines.join('\n');
    console.log(text);
    if (!opts['no-record']) fs.appendFileSync(opts.results!, `\n${text}`);
  } finally {
    for (const c of children) await c.exit().catch(() => {});
    if (made) await db.drop().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
