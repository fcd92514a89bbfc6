import { transcode } from 'node:buffer';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { LRUCache } from 'lru-cache';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** What a route rendered, before the cache stores it. */
export interface RenderedResponse {
  status: number;
  /** Headers to replay (content-type, cache-control, last-modified…); never set-cookie. */
  headers: Record<string, string>;
  body: Buffer;
  /** What this response shows, so a change event can drop exactly it (e.g. `article:<id>`, `front:home`). */
  tags: readonly string[];
  /**
   * The query parameters the response's key keeps (see public-cache `cacheKey`), remembered
   * so a request with other parameters can find the entry without routing; unset: the whole URL.
   */
  keyQuery?: readonly string[];
}

/** Room to lay a rendered page out as UTF-16 in, grown to the largest page seen (see `utf8Body`). */
let encodeScratch = Buffer.allocUnsafeSlow(64 * 1024);
/** Longer texts (a big sitemap) are encoded as usual rather than kept room for. */
const MAX_SCRATCH_CHARS = 256 * 1024;

/**
 * A rendered page's UTF-8 bytes for a `RenderedResponse` body. `Buffer.from` measures the
 * string's UTF-8 length (a whole pass) and then encodes it character by character; copying
 * its UTF-16 code units into reused room and converting those with ICU's transcoder (into a
 * buffer of its own) took half the time on a 30 KB article page, whatever its characters.
 */
export function utf8Body(text: string): Buffer {
  if (text.length > MAX_SCRATCH_CHARS) return Buffer.from(text);
  if (encodeScratch.length < text.length * 2) encodeScratch = Buffer.allocUnsafeSlow(text.length * 2);
  const units = encodeScratch.write(text, 0, 'utf16le');
  try {
    return transcode(encodeScratch.subarray(0, units), 'utf16le', 'utf8');
  } catch {
    // ICU refuses a lone surrogate, which Buffer.from writes as U+FFFD.
    return Buffer.from(text);
  }
}

/** A stored response: the identity body and its pre-compressed variants. */
export interface CachedResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  etag: string;
  body: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
  tags: readonly string[];
  keyQuery?: readonly string[];
  /** Complete response headers per encoding, built on the first hit that needs them (see public-cache). */
  wire?: Partial<Record<Encoding, Readonly<Record<string, string | number>>>>;
}

export interface PageCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  /** Requests that waited for a render already in progress instead of starting their own. */
  coalesced: number;
  /** Purge calls (tag purges and full clears). */
  purges: number;
  /** Entries dropped by purges. */
  purgedEntries: number;
  /** Entries dropped to stay within the memory bound. */
  evictions: number;
}

export type Encoding = 'br' | 'gzip' | 'identity';

const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json|ld\+json|javascript)|image\/svg\+xml)/;
/** Below this, compressing costs more than the bytes it saves. */
const MIN_COMPRESS_BYTES = 512;
/** Per-entry bookkeeping (key, headers, maps), so many tiny entries still count against the bound. */
const ENTRY_OVERHEAD_BYTES = 512;

/** A strong validator for the identity body; compressed variants get their own (RFC 9110 §8.8.3). */
export function strongEtag(body: Buffer): string {
  return `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** The ETag of the variant sent for `encoding`. */
export function variantEtag(entry: Pick<CachedResponse, 'etag'>, encoding: Encoding): string {
  return encoding === 'identity' ? entry.etag : `${entry.etag.slice(0, -1)}-${encoding}"`;
}

/**
 * The best encoding the client accepts among those stored: brotli, then gzip, then none.
 * Honours q-values, `q=0` refusals and `*` (RFC 9110 §12.5.3).
 */
export function chooseEncoding(acceptEncoding: string | undefined, entry: Pick<CachedResponse, 'br' | 'gzip'>): Encoding {
  if (!acceptEncoding) return 'identity';
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const weight = (name: string) => q.get(name) ?? q.get('*') ?? 0;
  const candidates: Encoding[] = [];
  if (entry.br && weight('br') > 0) candidates.push('br');
  if (entry.gzip && weight('gzip') > 0) candidates.push('gzip');
  // Stable sort keeps our preference (br before gzip) among equal weights.
  candidates.sort((a, b) => weight(b) - weight(a));
  return candidates[0] ?? 'identity';
}

/** Whether a body is worth compressing: a text type, and large enough to gain from it. */
export function isCompressible(rendered: Pick<RenderedResponse, 'headers' | 'body'>): boolean {
  return rendered.body.length >= MIN_COMPRESS_BYTES && COMPRESSIBLE.test(rendered.headers['content-type'] ?? '');
}

/**
 * One compressed variant, off the event loop (libuv's pool), at levels that keep a miss fast:
 * cached entries are compressed once per change, uncached responses once per request.
 */
export async function compressBody(body: Buffer, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer> {
  if (encoding === 'gzip') return gzip(body, { level: 6 });
  return brotli(body, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 6, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
}

async function compressVariants(rendered: RenderedResponse): Promise<Pick<CachedResponse, 'br' | 'gzip'>> {
  if (!isCompressible(rendered)) return { br: null, gzip: null };
  const [br, gz] = await Promise.all([compressBody(rendered.body, 'br'), compressBody(rendered.body, 'gzip')]);
  return { br, gzip: gz };
}

function sizeOf(e: CachedResponse): number {
  return e.body.length + (e.br?.length ?? 0) + (e.gzip?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
}

interface Purge {
  seq: number;
  /** null: everything was dropped. */
  tags: ReadonlySet<string> | null;
}

interface Flight {
  startSeq: number;
  promise: Promise<{ entry: CachedResponse | null; rendered: RenderedResponse | null }>;
}

export interface FetchResult {
  /** The stored (or storable) response; null when the render said not to keep it. */
  entry: CachedResponse | null;
  /** Set only when `entry` is null: the response to send this request, uncached. */
  rendered: RenderedResponse | null;
  hit: boolean;
}

/**
 * The public page cache: rendered responses kept in memory up to a byte bound (least recently
 * used first out), each carrying the tags of what it shows, so a change drops exactly the
 * pages that show it. Concurrent misses for one key render once.
 *
 * A purge must win over a render that was already running when it happened: such a render may
 * have read the old data, so it is answered to the requests that were waiting for it but never
 * stored, and requests arriving after the purge start a render of their own.
 */
export class PageCache {
  readonly #lru: LRUCache<string, CachedResponse>;
  readonly #byTag = new Map<string, Set<string>>();
  /** Renders that later requests for the same key may join. */
  readonly #joinable = new Map<string, Flight>();
  /** Every render still running, joinable or not: the purge log is kept for them. */
  readonly #running = new Set<Flight>();
  #purgeSeq = 0;
  #purgeLog: Purge[] = [];
  readonly #stats = { hits: 0, misses: 0, coalesced: 0, purges: 0, purgedEntries: 0, evictions: 0 };

  /**
   * @param ttlMs optional age after which an entry is rendered again even without a purge: a
   *   safety net for what no change event announces (an embargo or publication time passing).
   */
  constructor(
    readonly maxBytes: number,
    ttlMs?: number,
  ) {
    this.#lru = new LRUCache<string, CachedResponse>({
      maxSize: maxBytes,
      ...(ttlMs ? { ttl: ttlMs } : {}),
      sizeCalculation: sizeOf,
      dispose: (entry, key, reason) => {
        this.#untag(key, entry);
        if (reason === 'evict') this.#stats.evictions++;
      },
    });
  }

  /**
   * The cached response for `key`, or the result of `render`, stored unless `render` answers
   * null for "send it but do not keep it" (`uncached` then renders it for this request alone).
   */
  async fetch(
    key: string,
    render: () => Promise<RenderedResponse | null>,
    uncached: () => Promise<RenderedResponse>,
  ): Promise<FetchResult> {
    const cached = this.#lru.get(key);
    if (cached) {
      this.#stats.hits++;
      return { entry: cached, rendered: null, hit: true };
    }
    const joined = this.#joinable.get(key);
    if (joined) {
      this.#stats.coalesced++;
      const { entry } = await joined.promise;
      // The shared render was not cacheable: render for this request alone.
      return entry ? { entry, rendered: null, hit: false } : { entry: null, rendered: await uncached(), hit: false };
    }
    this.#stats.misses++;
    const startSeq = this.#purgeSeq;
    const flight: Flight = {
      startSeq,
      promise: (async () => {
        const rendered = await render();
        if (!rendered) return { entry: null, rendered: await uncached() };
        const entry: CachedResponse = {
          status: rendered.status,
          headers: rendered.headers,
          etag: strongEtag(rendered.body),
          body: rendered.body,
          tags: rendered.tags,
          ...(rendered.keyQuery ? { keyQuery: rendered.keyQuery } : {}),
          ...(await compressVariants(rendered)),
        };
        if (!this.#purgedSince(startSeq, entry.tags)) this.#store(key, entry);
        return { entry, rendered: null };
      })(),
    };
    this.#joinable.set(key, flight);
    this.#running.add(flight);
    try {
      const { entry, rendered } = await flight.promise;
      return { entry, rendered, hit: false };
    } finally {
      if (this.#joinable.get(key) === flight) this.#joinable.delete(key);
      this.#running.delete(flight);
      this.#prunePurgeLog();
    }
  }

  /** The stored response for `key`, counted as a hit when there is one (no render on a miss). */
  lookup(key: string): CachedResponse | undefined {
    const cached = this.#lru.get(key);
    if (cached) this.#stats.hits++;
    return cached;
  }

  /** The stored response for `key` without counting it or refreshing its recency. */
  peek(key: string): CachedResponse | undefined {
    return this.#lru.peek(key);
  }

  /** Drops every entry carrying any of `tags`; returns how many were dropped. */
  purge(tags: Iterable<string>): number {
    const set = new Set(tags);
    if (set.size === 0) return 0;
    this.#recordPurge(set);
    const keys = new Set<string>();
    for (const tag of set) for (const key of this.#byTag.get(tag) ?? []) keys.add(key);
    for (const key of keys) this.#lru.delete(key);
    this.#stats.purgedEntries += keys.size;
    return keys.size;
  }

  /** Drops everything (e.g. when this node may have missed change events). */
  clear(): void {
    this.#recordPurge(null);
    this.#stats.purgedEntries += this.#lru.size;
    this.#lru.clear();
  }

  stats(): PageCacheStats {
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize, maxBytes: this.maxBytes, ...this.#stats };
  }

  #store(key: string, entry: CachedResponse): void {
    // An entry larger than the whole bound is simply not kept.
    if (sizeOf(entry) > this.maxBytes) return;
    this.#lru.set(key, entry);
    for (const tag of entry.tags) {
      let keys = this.#byTag.get(tag);
      if (!keys) this.#byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  #untag(key: string, entry: CachedResponse): void {
    for (const tag of entry.tags) {
      const keys = this.#byTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.#byTag.delete(tag);
    }
  }

  #recordPurge(tags: ReadonlySet<string> | null): void {
    this.#stats.purges++;
    this.#purgeSeq++;
    if (this.#running.size === 0) return;
    this.#purgeLog.push({ seq: this.#purgeSeq, tags });
    // Renders already running may have read the old data: later requests must not join them.
    this.#joinable.clear();
  }

  #purgedSince(startSeq: number, tags: readonly string[]): boolean {
    if (startSeq === this.#purgeSeq) return false;
    return this.#purgeLog.some((p) => p.seq > startSeq && (p.tags === null || tags.some((t) => p.tags!.has(t))));
  }

  #prunePurgeLog(): void {
    if (this.#purgeLog.length === 0) return;
    let oldest = Infinity;
    for (const f of this.#running) oldest = Math.min(oldest, f.startSeq);
    this.#purgeLog = this.#purgeLog.filter((p) => p.seq > oldest);
  }
}
