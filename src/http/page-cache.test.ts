import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { chooseEncoding, PageCache, utf8Body, variantEtag, type RenderedResponse } from './page-cache.ts';

const page = (text: string, tags: string[], type = 'text/html; charset=utf-8'): RenderedResponse => ({
  status: 200,
  headers: { 'content-type': type },
  body: Buffer.from(text),
  tags,
});
const big = (word: string) => `<p>${word.repeat(400)}</p>`;
const never = async (): Promise<RenderedResponse> => assert.fail('not expected to render uncached');

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('a miss renders and stores; the next request is a hit with the same bytes', async () => {
  const cache = new PageCache(1_000_000);
  let renders = 0;
  const render = async () => (renders++, page(big('a'), ['article:1']));
  const first = await cache.fetch('/a', render, never);
  const second = await cache.fetch('/a', render, never);
  assert.equal(renders, 1);
  assert.equal(first.hit, false);
  assert.equal(second.hit, true);
  assert.equal(second.entry, first.entry);
  assert.deepEqual(
    { hits: cache.stats().hits, misses: cache.stats().misses, entries: cache.stats().entries },
    { hits: 1, misses: 1, entries: 1 },
  );
});

test('concurrent misses for one key render once', async () => {
  const cache = new PageCache(1_000_000);
  const gate = deferred<void>();
  let renders = 0;
  const render = async () => {
    renders++;
    await gate.promise;
    return page(big('b'), ['front:home']);
  };
  const all = Array.from({ length: 20 }, () => cache.fetch('/', render, never));
  gate.resolve();
  const results = await Promise.all(all);
  assert.equal(renders, 1);
  assert.ok(results.every((r) => r.entry === results[0]!.entry));
  assert.equal(cache.stats().coalesced, 19);
});

test('a purge drops exactly the entries carrying its tags', async () => {
  const cache = new PageCache(1_000_000);
  await cache.fetch('/world/a', async () => page('a', ['article:1', 'section:world']), never);
  await cache.fetch('/world', async () => page('w', ['section:world', 'front:world']), never);
  await cache.fetch('/sport/b', async () => page('b', ['article:2', 'section:sport']), never);
  assert.equal(cache.purge(['article:1']), 1);
  assert.equal(cache.stats().entries, 2);
  assert.equal(cache.purge(['section:world', 'article:404']), 1);
  const left = await cache.fetch('/sport/b', async () => assert.fail('must still be cached'), never);
  assert.equal(left.hit, true);
  assert.equal(cache.stats().purgedEntries, 2);
  // Tags of dropped entries are forgotten, so a later purge finds nothing to drop.
  assert.equal(cache.purge(['section:world']), 0);
});

test('a render running when its tag is purged is answered but not stored, and later requests do not join it', async () => {
  const cache = new PageCache(1_000_000);
  const gate = deferred<void>();
  let version = 'old';
  let renders = 0;
  const render = async () => {
    renders++;
    const seen = version;
    await gate.promise;
    return page(seen, ['article:1']);
  };
  const before = cache.fetch('/a', render, never);
  await new Promise((r) => setImmediate(r));
  version = 'new';
  cache.purge(['article:1']);
  const after = cache.fetch('/a', render, never);
  gate.resolve();
  assert.equal((await before).entry!.body.toString(), 'old');
  assert.equal((await after).entry!.body.toString(), 'new');
  assert.equal(renders, 2);
  const next = await cache.fetch('/a', render, never);
  assert.equal(next.hit, true);
  assert.equal(next.entry!.body.toString(), 'new');
});

test('a render that read data before a purge of its tag is never stored', async () => {
  const cache = new PageCache(1_000_000);
  const gate = deferred<void>();
  const pending = cache.fetch('/a', async () => (await gate.promise, page('stale', ['article:1'])), never);
  await new Promise((r) => setImmediate(r));
  cache.purge(['article:1']);
  gate.resolve();
  assert.equal((await pending).entry!.body.toString(), 'stale');
  const next = await cache.fetch('/a', async () => page('fresh', ['article:1']), never);
  assert.equal(next.hit, false);
  assert.equal(next.entry!.body.toString(), 'fresh');
});

test('a purge of other tags during a render does not stop it being stored', async () => {
  const cache = new PageCache(1_000_000);
  const gate = deferred<void>();
  const pending = cache.fetch('/a', async () => (await gate.promise, page('a', ['article:1'])), never);
  await new Promise((r) => setImmediate(r));
  cache.purge(['article:2']);
  gate.resolve();
  await pending;
  assert.equal((await cache.fetch('/a', async () => assert.fail('must be cached'), never)).hit, true);
});

test('clear drops everything and wins over running renders', async () => {
  const cache = new PageCache(1_000_000);
  await cache.fetch('/x', async () => page('x', ['a']), never);
  const gate = deferred<void>();
  const pending = cache.fetch('/y', async () => (await gate.promise, page('y', ['b'])), never);
  await new Promise((r) => setImmediate(r));
  cache.clear();
  gate.resolve();
  await pending;
  assert.equal(cache.stats().entries, 0);
});

test('a response the route will not share is rendered per request and never stored', async () => {
  const cache = new PageCache(1_000_000);
  let uncachedRenders = 0;
  const uncached = async () => (uncachedRenders++, page('mine', []));
  const a = await cache.fetch('/p', async () => null, uncached);
  const b = await cache.fetch('/p', async () => null, uncached);
  assert.equal(a.entry, null);
  assert.equal(a.rendered!.body.toString(), 'mine');
  assert.equal(b.hit, false);
  assert.equal(uncachedRenders, 2);
  assert.equal(cache.stats().entries, 0);
});

test('memory stays within the bound, least recently used out first', async () => {
  const bound = 20_000;
  const cache = new PageCache(bound);
  const body = (i: number) => page(`${i}`.padEnd(3000, 'x'), [`article:${i}`], 'image/png');
  for (let i = 0; i < 5; i++) await cache.fetch(`/${i}`, async () => body(i), never);
  await cache.fetch('/0', async () => assert.fail('0 is cached'), never);
  for (let i = 5; i < 20; i++) await cache.fetch(`/${i}`, async () => body(i), never);
  const stats = cache.stats();
  assert.ok(stats.bytes <= bound, `${stats.bytes} > ${bound}`);
  assert.ok(stats.evictions > 0);
  assert.equal((await cache.fetch('/19', async () => assert.fail('newest is cached'), never)).hit, true);
  assert.equal((await cache.fetch('/1', async () => body(1), never)).hit, false);
  // An entry larger than the whole bound is served but not kept.
  const huge = await cache.fetch('/huge', async () => page('z'.repeat(bound * 2), ['h'], 'image/png'), never);
  assert.equal(huge.entry!.body.length, bound * 2);
  assert.ok(cache.stats().bytes <= bound);
});

test('text bodies are stored pre-compressed with brotli and gzip; tiny and binary bodies are not', async () => {
  const cache = new PageCache(1_000_000);
  const html = big('news ');
  const { entry } = await cache.fetch('/a', async () => page(html, []), never);
  assert.equal(zlib.brotliDecompressSync(entry!.br!).toString(), html);
  assert.equal(zlib.gunzipSync(entry!.gzip!).toString(), html);
  assert.ok(entry!.br!.length < html.length / 4);
  const tiny = await cache.fetch('/t', async () => page('ok', []), never);
  assert.equal(tiny.entry!.br, null);
  const png = await cache.fetch('/i', async () => page(html, [], 'image/png'), never);
  assert.equal(png.entry!.gzip, null);
  assert.notEqual(variantEtag(entry!, 'br'), entry!.etag);
  assert.notEqual(variantEtag(entry!, 'br'), variantEtag(entry!, 'gzip'));
  assert.equal(variantEtag(entry!, 'identity'), entry!.etag);
});

test('encoding negotiation follows Accept-Encoding with q-values', () => {
  const both = { br: Buffer.alloc(1), gzip: Buffer.alloc(1) };
  assert.equal(chooseEncoding('gzip, deflate, br, zstd', both), 'br');
  assert.equal(chooseEncoding('gzip', both), 'gzip');
  assert.equal(chooseEncoding('br;q=0, gzip', both), 'gzip');
  assert.equal(chooseEncoding('br;q=0.5, gzip;q=0.8', both), 'gzip');
  assert.equal(chooseEncoding('*', both), 'br');
  assert.equal(chooseEncoding('*;q=0', both), 'identity');
  assert.equal(chooseEncoding('identity', both), 'identity');
  assert.equal(chooseEncoding(undefined, both), 'identity');
  assert.equal(chooseEncoding('br, gzip', { br: null, gzip: null }), 'identity');
  assert.equal(chooseEncoding('BR', both), 'br');
});

test('utf8Body gives exactly the bytes Buffer.from does, each body its own memory', () => {
  const texts = [
    '',
    '<p>plain ASCII</p>',
    'Français, “quotes” — العربية, 漢字 and 🗞️',
    'a lone surrogate \ud800 and a reversed pair \udc00\ud800',
    `<p>${'é'.repeat(40_000)}</p>`, // grows the scratch room past its first size
    'x'.repeat(300_000) + '€', // longer than the scratch room is kept for
  ];
  const bodies = texts.map((t) => utf8Body(t));
  for (const [i, text] of texts.entries()) assert.ok(bodies[i]!.equals(Buffer.from(text)), `text ${i}`);
  // A later call must not overwrite an earlier body.
  assert.ok(bodies[2]!.equals(Buffer.from(texts[2]!)));
  assert.equal(bodies[1]!.buffer.byteLength, bodies[1]!.length);
});
