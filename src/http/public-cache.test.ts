import assert from 'node:assert/strict';
import { test } from 'node:test';
import http from 'node:http';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import type { RenderedResponse } from './page-cache.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { cacheKey, createPublicCache, isAnonymousRead, type PublicCache } from './public-cache.ts';

const PUBLIC = 'public, max-age=30, s-maxage=600';
const body = (word: string) => `<p>${`${word} `.repeat(300)}</p>`;
const page = (text: string, tags: string[], headers: Record<string, string> = {}): RenderedResponse => ({
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': PUBLIC, ...headers },
  body: Buffer.from(text),
  tags,
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A bare app with one cached route whose render the test controls. */
async function appWith(cache: PublicCache, render: (url: string) => Promise<RenderedResponse | null>): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/*', async (req, reply) => cache.serve(req, reply, () => render(req.url)));
  app.setNotFoundHandler(async (_req, reply) => reply.code(404).type('text/plain').send('app 404'));
  await app.ready();
  return app;
}

test('a purge during a render wins: the render answers its request but is not kept', async () => {
  const cache = createPublicCache(1_000_000);
  let version = 'old';
  let gate: ReturnType<typeof deferred> | null = deferred();
  let renders = 0;
  const app = await appWith(cache, async () => {
    renders++;
    const text = body(version);
    if (gate) await gate.promise;
    return page(text, ['story:1']);
  });
  const pending = app.inject('/story');
  await new Promise((r) => setTimeout(r, 20));
  version = 'new';
  cache.purge(['story:1']);
  const g = gate;
  gate = null;
  g.resolve();
  const first = await pending;
  assert.ok(first.body.includes('old'), 'the request that started the render gets its answer');
  const second = await app.inject('/story');
  assert.equal(second.headers['x-page-cache'], 'miss', 'the stale render was not stored');
  assert.ok(second.body.includes('new'));
  assert.equal(renders, 2);
  assert.equal((await app.inject('/story')).headers['x-page-cache'], 'hit');
  await app.close();
});

test('concurrent misses for one URL render once', async () => {
  const cache = createPublicCache(1_000_000);
  const gate = deferred();
  let renders = 0;
  const app = await appWith(cache, async () => {
    renders++;
    await gate.promise;
    return page(body('a'), ['lists:site']);
  });
  const all = Array.from({ length: 8 }, () => app.inject('/'));
  await new Promise((r) => setTimeout(r, 20));
  gate.resolve();
  const results = await Promise.all(all);
  assert.equal(renders, 1);
  assert.ok(results.every((r) => r.statusCode === 200 && r.body === results[0]!.body));
  assert.equal(cache.stats()!.coalesced, 7);
  await app.close();
});

test('nothing that is not public is kept: no-store answers and "nothing here" (the app 404)', async () => {
  const cache = createPublicCache(1_000_000);
  let renders = 0;
  const app = await appWith(cache, async (url) => {
    renders++;
    if (url === '/missing') return null;
    return page(body('p'), [], { 'cache-control': 'no-store' });
  });
  for (let n = 0; n < 2; n++) {
    const missing = await app.inject('/missing');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.body, 'app 404');
    const personal = await app.inject('/posted');
    assert.equal(personal.statusCode, 200);
    assert.equal(personal.headers['surrogate-key'], undefined, 'no CDN tags on what no shared cache may keep');
  }
  assert.equal(renders, 4);
  assert.equal(cache.stats()!.entries, 0);
  await app.close();
});

test('with the cache off, answers are still compressed, validated and tagged', async () => {
  const cache = createPublicCache(0);
  assert.equal(cache.stats(), null);
  const app = await appWith(cache, async () =>
    page(body('z'), ['story:9', 'chrome'], { 'last-modified': new Date('2026-12-01T10:00:00Z').toUTCString() }),
  );
  const br = await app.inject({ url: '/', headers: { 'accept-encoding': 'br;q=1, gzip;q=0.5' } });
  assert.equal(br.headers['x-page-cache'], 'bypass');
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['surrogate-key'], 'story:9 chrome');
  assert.equal(br.headers.xkey, 'story:9 chrome');
  assert.equal(br.headers.vary, 'accept-encoding');
  assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), body('z'));
  const gz = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), body('z'));
  const plain = await app.inject('/');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.notEqual(plain.headers.etag, br.headers.etag);
  assert.equal(
    (await app.inject({ url: '/', headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } })).statusCode,
    304,
  );
  assert.equal((await app.inject({ url: '/', headers: { 'if-modified-since': 'Tue, 01 Dec 2026 10:00:00 GMT' } })).statusCode, 304);
  await app.close();
});

test('a 304 from the cache honours If-Modified-Since when no ETag is sent', async () => {
  const cache = createPublicCache(1_000_000);
  const app = await appWith(cache, async () => page(body('m'), ['x'], { 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT' }));
  await app.inject('/feed');
  const res = await app.inject({ url: '/feed', headers: { 'if-modified-since': 'Tue, 01 Dec 2026 10:00:00 GMT' } });
  assert.equal(res.headers['x-page-cache'], 'hit');
  assert.equal(res.statusCode, 304);
  assert.equal(res.body, '');
  await app.close();
});

test('anonymous reads are GET or HEAD without Authorization or a masthead_ cookie', () => {
  const req = (method: string, headers: Record<string, string>) =>
    ({ method, headers }) as unknown as Parameters<typeof isAnonymousRead>[0];
  assert.equal(isAnonymousRead(req('GET', {})), true);
  assert.equal(isAnonymousRead(req('HEAD', { cookie: 'lang=en' })), true);
  assert.equal(isAnonymousRead(req('POST', {})), false);
  assert.equal(isAnonymousRead(req('GET', { authorization: 'Bearer x' })), false);
  assert.equal(isAnonymousRead(req('GET', { cookie: 'masthead_reader=t' })), false);
  assert.equal(isAnonymousRead(req('GET', { cookie: 'a=1;masthead_flash=saved' })), false);
  assert.equal(isAnonymousRead(req('GET', { cookie: 'not_masthead_x=1' })), true);
});

test('the cache key keeps the path and only the query parameters a page reads', () => {
  assert.equal(cacheKey('/world?before=abc&utm_source=x'), '/world?before=abc&utm_source=x');
  assert.equal(cacheKey('/world?before=abc&utm_source=x', { query: ['before'] }), '/world?before=abc');
  assert.equal(cacheKey('/world?fbclid=1', { query: ['before'] }), '/world');
  assert.equal(cacheKey('/a/b?x=1', { query: [] }), '/a/b');
  assert.equal(cacheKey('/a/b/comments?page=2&sort=oldest', { query: ['sort', 'page'] }), '/a/b/comments?sort=oldest&page=2');
});

/** Like `appWith`, but listening, with hits answered before routing as app.ts does; counts routed requests. */
async function listeningAppWith(cache: PublicCache, render: (url: string) => Promise<RenderedResponse | null>, query?: string[]) {
  const app = Fastify({
    serverFactory: (handler) =>
      http.createServer((req, res) => {
        if (!cache.serveHit(req, res)) handler(req, res);
      }),
  });
  registerSecurityHeaders(app);
  let routed = 0;
  app.addHook('onRequest', async () => void routed++);
  app.get('/*', async (req, reply) => cache.serve(req, reply, () => render(req.url), query ? { query } : {}));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, address, routed: () => routed };
}

/** One raw HTTP exchange (no automatic decompression), so headers and bytes are exactly what the server sent. */
function exchange(address: string, path: string, method = 'GET', headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(`${address}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a plain hit is answered before routing, with the same status, headers and bytes as a routed hit', async () => {
  const cache = createPublicCache(1_000_000);
  let renders = 0;
  const { app, address, routed } = await listeningAppWith(cache, async () => {
    renders++;
    return page(body('story'), ['story:1'], { 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT' });
  });
  try {
    assert.equal((await exchange(address, '/story')).headers['x-page-cache'], 'miss');
    for (const acceptEncoding of [undefined, 'gzip', 'gzip, deflate, br']) {
      const headers: Record<string, string> = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
      const before = routed();
      const fast = await exchange(address, '/story', 'GET', headers);
      assert.equal(routed(), before, `${acceptEncoding}: answered without routing`);
      const routedHit = await app.inject({ url: '/story', headers });
      assert.equal(fast.status, 200);
      assert.equal(routedHit.headers['x-page-cache'], 'hit');
      const comparable = (h: Record<string, unknown>) => {
        const { date: _d, connection: _c, 'keep-alive': _k, ...rest } = h;
        return rest;
      };
      assert.deepEqual(comparable(fast.headers), comparable(routedHit.headers), `${acceptEncoding}: same headers`);
      assert.deepEqual(fast.body, routedHit.rawPayload, `${acceptEncoding}: same bytes`);
      const head = await exchange(address, '/story', 'HEAD', headers);
      assert.equal(head.body.length, 0);
      assert.equal(head.headers['content-length'], fast.headers['content-length']);
    }
    assert.equal(renders, 1);
    // Revalidation, personal requests and misses go through the app.
    const before = routed();
    const revalidation = await exchange(address, '/story', 'GET', {
      'if-none-match': String((await exchange(address, '/story')).headers.etag),
    });
    assert.equal(revalidation.status, 304);
    await exchange(address, '/story', 'GET', { cookie: 'masthead_session=x' });
    await exchange(address, '/other');
    assert.equal(routed(), before + 3);
    // A purge takes effect on the fast path at once.
    cache.purge(['story:1']);
    assert.equal((await exchange(address, '/story')).headers['x-page-cache'], 'miss');
    assert.equal(renders, 4, 'the first miss, the personal request, /other and the miss after the purge');
  } finally {
    await app.close();
  }
});

test('a page keyed by some query parameters is found before routing whatever else its link carries', async () => {
  const cache = createPublicCache(1_000_000);
  const { app, address, routed } = await listeningAppWith(cache, async (url) => page(body(url.includes('page=2') ? 'two' : 'one'), ['x']), [
    'page',
  ]);
  try {
    await exchange(address, '/section');
    await exchange(address, '/section?page=2');
    const before = routed();
    const shared = await exchange(address, '/section?utm_source=feed&page=2&fbclid=abc');
    assert.equal(routed(), before, 'answered without routing');
    assert.equal(shared.headers['x-page-cache'], 'hit');
    assert.match(shared.body.toString(), /two/);
    assert.match((await exchange(address, '/section?utm_source=x')).body.toString(), /one/);
    assert.equal(routed(), before);
  } finally {
    await app.close();
  }
});

test('a streamed answer that fails midway is cut off, never completed: no cache can keep it as a good one', async () => {
  const cache = createPublicCache(1_000_000);
  const app = Fastify();
  app.get('/sitemap.xml', async (req, reply) =>
    cache.stream(req, reply, {
      headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=900' },
      tags: ['sitemaps'],
      body: (async function* () {
        yield `<urlset>${'<url><loc>https://news.example.test/a</loc></url>'.repeat(3000)}`;
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('the database went away mid-sitemap');
      })(),
    }),
  );
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    for (const acceptEncoding of ['identity', 'gzip', 'br']) {
      const outcome = await new Promise<{ status: number; complete: boolean }>((resolve) => {
        const req = http.request(`${address}/sitemap.xml`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
          res.on('data', () => {});
          res.on('end', () => resolve({ status: res.statusCode!, complete: res.complete }));
          res.on('error', () => resolve({ status: res.statusCode!, complete: false }));
          res.on('aborted', () => resolve({ status: res.statusCode!, complete: false }));
        });
        req.on('error', () => resolve({ status: 0, complete: false }));
        req.end();
      });
      // Headers already out: the body is cut off. Not yet out (a compressor still holding what it
      // got): an error status, which no cache keeps either.
      if (outcome.status === 200) assert.equal(outcome.complete, false, `${acceptEncoding}: the body never ends as if whole`);
      else assert.ok(outcome.status >= 500, `${acceptEncoding}: ${outcome.status}`);
    }
  } finally {
    await app.close();
  }
});
