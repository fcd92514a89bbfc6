import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { freePort, request, startVarnish, varnishUnavailable, type RunningVarnish } from '../../test/support/varnish.ts';
import { createCdnPurger, startCdnPurger } from './cdn-purge.ts';
import { createLocalChangeBus } from './change-bus.ts';

/*
 * deploy/varnish/masthead.vcl in a real varnishd, in front of a small origin that answers like
 * Masthead's public pages (Cache-Control with s-maxage, Surrogate-Key and xkey tags) and counts
 * what reaches it. Purges go through the adapter, as the app sends them.
 */

const STORY_A = 'story:0190a0a0-0000-7000-8000-00000000000a';
const STORY_B = 'story:0190a0a0-0000-7000-8000-00000000000b';
const WORLD = 'section:0190a0a0-0000-7000-8000-0000000000f1';
const CULTURE = 'section:0190a0a0-0000-7000-8000-0000000000f2';

/** Tags each public path carries; anything else answers too, untagged. */
const TAGS: Record<string, string[]> = {
  '/world/a': [STORY_A, WORLD, 'chrome'],
  '/world/b': [STORY_B, WORLD, 'chrome'],
  '/culture/c': ['story:0190a0a0-0000-7000-8000-00000000000c', CULTURE, 'chrome'],
  '/': [STORY_A, STORY_B, 'lists:site', 'chrome'],
};
const PUBLIC = 'public, max-age=60, s-maxage=300, stale-while-revalidate=30, stale-if-error=86400';

function startOrigin() {
  const hits = new Map<string, number>();
  const seen: Array<{ url: string; acceptEncoding: string | undefined; cookie: string | undefined }> = [];
  let failing = false;
  /** While set, answers wait for it: an edge fetch held in flight. */
  let gate: Promise<void> | null = null;
  const server = http.createServer(async (req, res) => {
    if (gate) await gate;
    const url = req.url ?? '/';
    const n = (hits.get(url) ?? 0) + 1;
    hits.set(url, n);
    seen.push({ url, acceptEncoding: req.headers['accept-encoding'], cookie: req.headers.cookie });
    if (failing) {
      res.writeHead(500, { 'cache-control': 'no-store' }).end('origin down');
      return;
    }
    const pathname = url.split('?')[0]!;
    const tags = TAGS[pathname] ?? [];
    // A stale-if-error page whose s-maxage runs out at once (the test then makes the origin fail).
    const cacheControl = pathname === '/flaky' ? 'public, max-age=0, s-maxage=1, stale-if-error=86400' : PUBLIC;
    const text = `${pathname} render ${n}`;
    const ae = String(req.headers['accept-encoding'] ?? '');
    const [encoding, body] = /\bbr\b/.test(ae)
      ? ['br', zlib.brotliCompressSync(text)]
      : /\bgzip\b/.test(ae)
        ? ['gzip', zlib.gzipSync(text)]
        : [undefined, Buffer.from(text)];
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': cacheControl,
      vary: 'Accept-Encoding',
      ...(tags.length ? { 'surrogate-key': tags.join(' '), xkey: tags.join(' ') } : {}),
      ...(encoding ? { 'content-encoding': encoding } : {}),
    });
    res.end(body);
  });
  return {
    server,
    hits: (url: string) => hits.get(url) ?? 0,
    seen,
    setFailing: (v: boolean) => (failing = v),
    /** Holds every answer until the returned function is called. */
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

const unavailable = varnishUnavailable();

describe('Masthead VCL in a real Varnish, purged by the adapter', { skip: unavailable ?? false }, () => {
  const origin = startOrigin();
  let varnish: RunningVarnish;
  const logged: Array<{ level: string; msg: string; obj: object }> = [];
  const logger = {
    warn: (obj: object, msg: string) => logged.push({ level: 'warn', msg, obj }),
    error: (obj: object, msg: string) => logged.push({ level: 'error', msg, obj }),
  };
  const bus = createLocalChangeBus((err) => {
    throw err;
  });
  let purger: ReturnType<typeof startCdnPurger>;

  const get = (path: string, headers: Record<string, string> = {}) => request(`${varnish.url}${path}`, { headers });
  /** A change committed on this node, and the purge it causes, sent. */
  async function commit(tags: string[]) {
    await bus.publish({ tags, cause: 'test' });
    await purger.flush();
  }

  before(async () => {
    const port = await freePort();
    await new Promise<void>((resolve) => origin.server.listen(port, '127.0.0.1', resolve));
    varnish = await startVarnish(port);
    purger = startCdnPurger(bus, { urls: [`${varnish.url}/`], token: undefined }, logger, { batchMs: 1, repurgeMs: 150 });
  });

  after(async () => {
    await purger?.stop();
    await varnish?.stop();
    await new Promise((resolve) => origin.server.close(resolve));
  });

  it('serves the second request from the cache, with Age and two X-Varnish ids', async () => {
    const first = await get('/world/a');
    assert.equal(first.status, 200);
    assert.equal(first.headers['x-cache'], 'MISS');
    const second = await get('/world/a');
    assert.equal(second.body.toString(), '/world/a render 1');
    assert.equal(origin.hits('/world/a'), 1, 'the origin saw one request');
    assert.equal(second.headers['x-cache'], 'HIT');
    assert.match(String(second.headers['x-varnish']), /^\d+ \d+$/, 'a hit names the request and the object');
    assert.ok(second.headers.age !== undefined);
    assert.equal(second.headers['cache-control'], PUBLIC, 'browsers get the origin’s Cache-Control');
  });

  it('never shows the cache tags to clients', async () => {
    for (const res of [await get('/world/a'), await get('/world/b')]) {
      assert.equal(res.headers['surrogate-key'], undefined);
      assert.equal(res.headers.xkey, undefined);
      assert.equal(res.headers['x-masthead-swr'], undefined);
    }
  });

  it('a purge of one tag drops exactly the pages carrying it', async () => {
    for (const p of ['/world/a', '/world/b', '/culture/c', '/']) await get(p);
    const before = Object.fromEntries(['/world/a', '/world/b', '/culture/c', '/'].map((p) => [p, origin.hits(p)]));
    await commit([STORY_B]);
    for (const p of ['/world/a', '/world/b', '/culture/c', '/']) await get(p);
    assert.equal(origin.hits('/world/b'), before['/world/b']! + 1, 'the story’s page is fetched again');
    assert.equal(origin.hits('/'), before['/']! + 1, 'so is the front listing it');
    assert.equal(origin.hits('/world/a'), before['/world/a'], 'another story stays cached');
    assert.equal(origin.hits('/culture/c'), before['/culture/c']);

    await commit([CULTURE]);
    await get('/culture/c');
    await get('/world/a');
    assert.equal(origin.hits('/culture/c'), before['/culture/c']! + 1);
    assert.equal(origin.hits('/world/a'), before['/world/a']);
    assert.deepEqual(logged, [], 'no purge failed');
  });

  it('purges for changes heard from other nodes too (after this node dropped its own copy)', async () => {
    await get('/world/a');
    const hits = origin.hits('/world/a');
    await bus.deliver({ tags: [STORY_A], cause: 'test' }, 'remote');
    await purger.flush();
    await get('/world/a');
    assert.equal(origin.hits('/world/a'), hits + 1, 'the edge fetched the page again');
  });

  it('a second purge removes a copy the edge was still fetching when the first purge arrived', async () => {
    const twice = createCdnPurger({ urls: [`${varnish.url}/`], token: undefined }, logger, { batchMs: 1, repurgeMs: 150 });
    await commit([STORY_B]);
    const release = origin.hold();
    const fetching = get('/world/b');
    await new Promise((r) => setTimeout(r, 50));
    twice.purge([STORY_B]);
    await new Promise((r) => setTimeout(r, 50));
    release();
    const stored = await fetching;
    const hits = origin.hits('/world/b');
    assert.equal((await get('/world/b')).body.toString(), stored.body.toString(), 'the first purge missed the fetch in flight');
    assert.equal(origin.hits('/world/b'), hits);
    await new Promise((r) => setTimeout(r, 250));
    await get('/world/b');
    assert.equal(origin.hits('/world/b'), hits + 1, 'the second purge dropped it');
    await twice.flush();
  });

  it('a change tagged * purges everything', async () => {
    const paths = ['/world/a', '/world/b', '/culture/c', '/'];
    for (const p of paths) await get(p);
    const before = paths.map((p) => origin.hits(p));
    await commit(['*']);
    for (const p of paths) await get(p);
    assert.deepEqual(
      paths.map((p) => origin.hits(p)),
      before.map((n) => n + 1),
    );
  });

  it('passes requests with a Masthead cookie or Authorization, and the newsroom and reader pages', async () => {
    await get('/world/a');
    const hits = origin.hits('/world/a');
    await get('/world/a', { cookie: 'consent=yes; masthead_reader=abc' });
    await get('/world/a', { cookie: 'masthead_reader_form=xyz' });
    await get('/world/a', { authorization: 'Bearer t' });
    assert.equal(origin.hits('/world/a'), hits + 3);
    assert.equal(origin.seen.at(-3)?.cookie, 'consent=yes; masthead_reader=abc', 'the cookies reach the app untouched');

    const analytics = await get('/world/a', { cookie: '_ga=GA1.2.3' });
    assert.equal(analytics.headers['x-cache'], 'HIT', 'other cookies do not make a page personal');
    assert.equal(origin.hits('/world/a'), hits + 3);

    for (const p of ['/newsroom/stories', '/comments/account', '/comments/session?article=x']) {
      await get(p);
      await get(p);
      assert.equal(origin.hits(p), 2, `${p} is never cached, even when the origin says public`);
    }
    // A story's public thread is the same for everyone.
    await get('/world/a/comments');
    await get('/world/a/comments');
    assert.equal(origin.hits('/world/a/comments'), 1);
  });

  it('keeps a brotli, a gzip and a plain copy, each as the client asked', async () => {
    const variants = [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip, deflate', 'gzip'],
      ['identity', undefined],
    ] as const;
    for (const [acceptEncoding, encoding] of variants) {
      const res = await get('/culture/c', { 'accept-encoding': acceptEncoding });
      assert.equal(res.headers['content-encoding'], encoding, acceptEncoding);
      assert.equal(res.headers.vary, 'Accept-Encoding');
      const text = encoding === 'br' ? zlib.brotliDecompressSync(res.body) : encoding === 'gzip' ? zlib.gunzipSync(res.body) : res.body;
      assert.match(text.toString(), /^\/culture\/c render \d+$/);
    }
    const asked = new Set(origin.seen.filter((s) => s.url === '/culture/c').map((s) => s.acceptEncoding ?? 'none'));
    assert.ok(
      [...asked].every((ae) => ['br', 'gzip', 'none'].includes(ae)),
      `normalised Accept-Encoding, got ${[...asked].join(' | ')}`,
    );
  });

  it('serves a stale copy within stale-if-error while the origin fails', async () => {
    const first = await get('/flaky');
    assert.equal(first.status, 200);
    origin.setFailing(true);
    try {
      // s-maxage=1: poll until Varnish has gone back to the failing origin at least once.
      const deadline = Date.now() + 20_000;
      while (origin.hits('/flaky') < 2) {
        assert.ok(Date.now() < deadline, 'Varnish never asked the origin again');
        const res = await get('/flaky');
        assert.equal(res.status, 200, 'the reader gets the stale copy, never the error');
        assert.equal(res.body.toString(), '/flaky render 1');
        await new Promise((r) => setTimeout(r, 100));
      }
      const after = await get('/flaky');
      assert.equal(after.status, 200);
      assert.equal(after.body.toString(), '/flaky render 1');
    } finally {
      origin.setFailing(false);
    }
  });

  it('refuses purges from addresses outside the ACL', async () => {
    await get('/world/a');
    const hits = origin.hits('/world/a');
    // Loopback is 127.0.0.0/8; the ACL allows 127.0.0.1 and ::1, so 127.0.0.2 is "elsewhere".
    const refused = await request(`${varnish.url}/`, { method: 'PURGE', headers: { 'xkey-purge': STORY_A }, localAddress: '127.0.0.2' });
    assert.equal(refused.status, 403);
    const banAll = await request(`${varnish.url}/`, { method: 'PURGE', headers: { 'xkey-purge': '*' }, localAddress: '127.0.0.2' });
    assert.equal(banAll.status, 403);
    await get('/world/a');
    assert.equal(origin.hits('/world/a'), hits, 'nothing was purged');

    const allowed = await request(`${varnish.url}/`, { method: 'PURGE', headers: { 'xkey-purge': STORY_A } });
    assert.equal(allowed.status, 200);
  });
});
