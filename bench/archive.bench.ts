/*
 * Archive benchmark (issue 12): uncached pages of a large archive — 1,000,000 stories made with
 * `npm run generate` — and its sitemaps.
 *
 *   MASTHEAD_DATABASE_URL=postgres://…/masthead_1m npm run generate -- --articles 1000000
 *   npm run bench:archive -- --database-url postgres://postgres@127.0.0.1:5432/masthead_1m
 *
 * Layout: one Masthead server process (compiled, as `npm start`) on the given database with
 * its page cache off (MASTHEAD_PAGE_CACHE_MB=0), so every request renders. The driver reads
 * the database once to choose what to ask for: random published stories across the whole
 * archive, and for the busiest sections and tags the `?before=` cursors of pages at several
 * depths (the first page, page 50, 500, 5,000 … down to the last). It then requests each one
 * at a time over a keep-alive connection (a reader's latency, not throughput) and reports
 * p50/p95/p99/max per kind and depth. Finally it streams every sitemap the index lists while
 * the server samples its RSS every 100 ms. Results are appended to bench/RESULTS.md.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';
import { encodeCursor } from '../src/domain/articles/cursor.ts';
import type { ChildReport } from './lib/ipc.ts';
import { buildServers, forkTs, type Child } from './lib/processes.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const { values: opts } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    samples: { type: 'string', default: '300' },
    lists: { type: 'string', default: '3' },
    'no-record': { type: 'boolean', default: false },
    results: { type: 'string', default: path.join(HERE, 'RESULTS.md') },
  },
});
const DATABASE_URL: string =
  opts['database-url'] ??
  process.env.MASTHEAD_DATABASE_URL ??
  (() => {
    throw new Error('--database-url (or MASTHEAD_DATABASE_URL) names the archive to measure');
  })();
const SAMPLES = Math.max(10, Number(opts.samples));
/** How many sections and how many tags (the busiest) are paged through. */
const LISTS = Math.max(1, Number(opts.lists));
/** Page depths asked for (20 stories a page), then the last page. */
const DEPTHS = [1, 50, 500, 5_000];
const PAGE_SIZE = 20;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(port: number, url: string): Promise<{ status: number; bytes: number; ms: number; body: string }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: url, agent, headers: { 'accept-encoding': 'identity' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, ms: performance.now() - start, body: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.ceil((q / 100) * s.length) - 1)]!;
  return { n: s.length, p50: p(50), p95: p(95), p99: p(99), max: s.at(-1)! };
}

interface Row {
  kind: string;
  depth: string;
  ms: number[];
  target: number;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-archive-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MASTHEAD_DATABASE_URL: DATABASE_URL,
    MASTHEAD_MEDIA_DIR: process.env.MASTHEAD_MEDIA_DIR ?? path.join(tmp, 'media'),
    MASTHEAD_SITE_URL: 'http://127.0.0.1:3000',
    MASTHEAD_DEMO_CONTENT: 'false',
    MASTHEAD_PAGE_CACHE_MB: '0',
    LOG_LEVEL: 'warn',
  };
  delete env.MASTHEAD_REDIS_URL;
  const children: Child[] = [];
  try {
    console.error('archive: compiling the server …');
    buildServers();

    // What to ask for, chosen from the database once.
    const deps = await createDeps(loadConfig(env));
    const published = await deps.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const total = Number(published.n);
    const stories = await deps.db
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select(['a.slug', 's.slug as section'])
      .where('a.status', '=', 'published')
      .orderBy(sql`random()`)
      .limit(SAMPLES)
      .execute();
    const sections = await deps.db
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select(['s.id', 's.slug', (eb) => eb.fn.countAll<string>().as('n')])
      .where('a.status', '=', 'published')
      .groupBy(['s.id', 's.slug'])
      .orderBy('n', 'desc')
      .limit(LISTS)
      .execute();
    const tags = await deps.db
      .selectFrom('article_tags as at')
      .innerJoin('tags as t', 't.id', 'at.tag_id')
      .innerJoin('articles as a', 'a.id', 'at.article_id')
      .select(['t.id', 't.slug', (eb) => eb.fn.countAll<string>().as('n')])
      .where('a.status', '=', 'published')
      .groupBy(['t.id', 't.slug'])
      .orderBy('n', 'desc')
      .limit(LISTS)
      .execute();
    /** The cursor that opens page `depth` (1 = the first page, no cursor) of a list. */
    const cursorAt = async (list: 'section' | 'tag', id: string, depth: number): Promise<string | null> => {
      if (depth <= 1) return null;
      let q = deps.db
        .selectFrom('articles as a')
        .select(['a.published_at', 'a.id'])
        .where('a.status', '=', 'published')
        .orderBy('a.published_at', 'desc')
        .orderBy('a.id', 'desc')
        .offset((depth - 1) * PAGE_SIZE - 1)
        .limit(1);
      q =
        list === 'section'
          ? q.where('a.section_id', '=', id)
          : q.innerJoin('article_tags as at', 'at.article_id', 'a.id').where('at.tag_id', '=', id);
      const row = await q.executeTakeFirst();
      return row?.published_at ? encodeCursor({ publishedAt: String(row.published_at), id: row.id }) : null;
    };
    const listUrls = new Map<string, string[]>();
    console.error('archive: choosing pages at each depth …');
    for (const [kind, lists] of [
      ['section', sections],
      ['tag', tags],
    ] as const) {
      for (const list of lists) {
        const pages = Math.ceil(Number(list.n) / PAGE_SIZE);
        const depths = [...DEPTHS.filter((d) => d < pages), pages];
        for (const depth of depths) {
          const cursor = await cursorAt(kind, list.id, depth);
          if (depth > 1 && !cursor) continue;
          const base = kind === 'section' ? `/${list.slug}` : `/tags/${list.slug}`;
          const label = depth === pages ? 'last' : String(depth);
          const key = `${kind}|${label}`;
          listUrls.set(key, [...(listUrls.get(key) ?? []), cursor ? `${base}?before=${cursor}` : base]);
        }
      }
    }
    await deps.close();

    const server = forkTs('masthead', 'masthead-server.ts', [], env);
    children.push(server);
    const { port } = await server.next('ready');

    // Warm the process (JIT, connection pool) on pages that are not measured.
    for (let i = 0; i < 30; i++) await get(port, i % 2 ? '/' : `/${sections[0]!.slug}`);

    const rows: Row[] = [];
    const articleMs: number[] = [];
    for (const s of stories) {
      const res = await get(port, `/${s.section}/${s.slug}`);
      if (res.status !== 200) throw new Error(`/${s.section}/${s.slug} answered ${res.status}`);
      articleMs.push(res.ms);
    }
    rows.push({ kind: 'article (random across the archive)', depth: '', ms: articleMs, target: 5 });
    // Each page several times, so every depth has enough samples for a p95.
    const rounds = Math.max(1, Math.ceil(60 / LISTS));
    for (const [key, urls] of listUrls) {
      const [kind, depth] = key.split('|') as [string, string];
      const ms: number[] = [];
      for (let r = 0; r < rounds; r++) {
        for (const url of urls) {
          const res = await get(port, url);
          if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
          ms.push(res.ms);
        }
      }
      rows.push({ kind: kind === 'section' ? 'section front' : 'tag page', depth, ms, target: 10 });
    }

    // Sitemaps: every file the index lists, streamed, while the server samples its memory.
    console.error('archive: streaming every sitemap …');
    const idle = await (async () => {
      server.send({ type: 'start' });
      await server.next('started');
      await new Promise((r) => setTimeout(r, 1000));
      server.send({ type: 'stop' });
      return (await server.next('stopped')) as Extract<ChildReport, { type: 'stopped' }>;
    })();
    const index = await get(port, '/sitemap.xml');
    const files = [...index.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    let urls = 0;
    let bytes = 0;
    let largest = 0;
    // Three measured windows: the first file, the next nine, then all the rest. Streaming in
    // constant memory means the peak stops rising after the first files, whatever the count.
    const windows = [files.slice(0, 1), files.slice(1, 10), files.slice(10)].filter((w) => w.length);
    const windowPeaks: Array<{ files: number; urls: number; peakRss: number }> = [];
    const sitemapStart = performance.now();
    for (const window of windows) {
      server.send({ type: 'start' });
      await server.next('started');
      let windowUrls = 0;
      for (const file of window) {
        const res = await get(port, file);
        if (res.status !== 200) throw new Error(`${file} answered ${res.status}`);
        const n = (res.body.match(/<url>/g) ?? []).length;
        windowUrls += n;
        bytes += res.bytes;
        largest = Math.max(largest, res.bytes);
      }
      urls += windowUrls;
      server.send({ type: 'stop' });
      const stopped = (await server.next('stopped')) as Extract<ChildReport, { type: 'stopped' }>;
      windowPeaks.push({ files: window.length, urls: windowUrls, peakRss: stopped.peakRssWindow });
    }
    const sitemapMs = performance.now() - sitemapStart;
    const firstTen = Math.max(...windowPeaks.slice(0, 2).map((w) => w.peakRss));
    const overall = Math.max(...windowPeaks.map((w) => w.peakRss));
    await server.exit();

    const cpu = os.cpus();
    const mb = (b: number) => (b / 2 ** 20).toFixed(1);
    const dbLabel = DATABASE_URL.startsWith('postgres') ? 'PostgreSQL 127.0.0.1:5432, same machine' : 'SQLite';
    const lines = [
      `## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} — archive of ${total.toLocaleString('en-US')} stories, uncached`,
      '',
      `- Machine: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
      `- Command: \`npm run bench:archive -- --database-url <${dbLabel.split(' ')[0]} archive> --samples ${SAMPLES} --lists ${LISTS}\``,
      `- Database: ${dbLabel}; ${total.toLocaleString('en-US')} published stories (\`npm run generate\`). One Masthead process (compiled), page cache off: every request renders. One request at a time over a keep-alive connection (a reader's latency). Lists: the ${LISTS} busiest sections and tags, each page of ${PAGE_SIZE} opened by its \`?before=\` cursor, at page depths ${DEPTHS.join(', ')} and the last page; every list page requested ${rounds} times.`,
      '',
      '| Page | Depth | Requests | p50 ms | p95 ms | p99 ms | max ms | Target (p95) | |',
      '|---|--:|--:|--:|--:|--:|--:|---|---|',
      ...rows.map((r) => {
        const s = stats(r.ms);
        return `| ${r.kind} | ${r.depth} | ${s.n} | ${s.p50.toFixed(2)} | ${s.p95.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.max.toFixed(1)} | ≤ ${r.target} ms | ${s.p95 <= r.target ? '✅ met' : '❌ missed'} |`;
      }),
      '',
      `Sitemaps: the index lists ${files.length} files; streamed one after another they hold ${urls.toLocaleString('en-US')} URLs, ${mb(bytes)} MB (largest file ${mb(largest)} MB), in ${(sitemapMs / 1000).toFixed(1)} s. Server RSS (sampled every 100 ms): ${mb(idle.peakRssWindow)} MB idle just before; peak ${windowPeaks.map((w) => `${mb(w.peakRss)} MB over ${w.files === 1 ? 'the first file' : `the next ${w.files} files`} (${w.urls.toLocaleString('en-US')} URLs)`).join(', ')}. ${overall - firstTen < 32 * 2 ** 20 ? `Constant memory: after the first ten files the peak rose by ${mb(Math.max(0, overall - firstTen))} MB while ${(urls - windowPeaks.slice(0, 2).reduce((n, w) => n + w.urls, 0)).toLocaleString('en-US')} more URLs streamed` : `Memory grew with the URLs streamed: ${mb(overall - firstTen)} MB after the first ten files`}.`,
      '',
    ];
    const text = lines.join('\n');
    console.log(text);
    if (!opts['no-record']) fs.appendFileSync(opts.results!, `\n${text}`);
  } finally {
    agent.destroy();
    for (const c of children) await c.exit().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
