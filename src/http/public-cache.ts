import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isNotModified } from './conditional-get.ts';
import {
  chooseEncoding,
  compressBody,
  isCompressible,
  PageCache,
  strongEtag,
  variantEtag,
  type CachedResponse,
  type Encoding,
  type PageCacheStats,
  type RenderedResponse,
} from './page-cache.ts';
import { PAGE_CACHE_TTL_MS } from './cache-policy.ts';
import { securityHeaders } from './security-headers.ts';

/*
 * Serving public responses: through this node's page cache when the request is anonymous,
 * rendered afresh otherwise, and compressed, validated (ETag, 304) and tagged for the CDN
 * either way. Routes only render a `RenderedResponse`; everything about bytes on the wire
 * lives here.
 */

/** Every cookie Masthead sets (newsroom and reader sessions, form tokens, flash) starts with this. */
const MASTHEAD_COOKIE = /(?:^|;)\s*masthead_[^=;]*=/;

/** Both encodings on offer, for negotiating a response compressed on the fly. */
const ON_THE_FLY = { br: Buffer.alloc(0), gzip: Buffer.alloc(0) };

/** Stands in for "nothing here" where the cache core expects a response; never sent. */
const NOTHING: RenderedResponse = { status: 404, headers: {}, body: Buffer.alloc(0), tags: [] };

function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

export interface CacheKeyOptions {
  /**
   * The query parameters the page reads. Given, the key keeps only these (so links shared with
   * `?utm_source=…` or `?fbclid=…`, unique per click, still hit the one entry); left out, the
   * whole query is part of the key (the API, whose router refuses unknown parameters first).
   */
  query?: readonly string[];
}

/** Path and query: GET and HEAD share entries; the host is not part of it (links use the configured site URL). */
export function cacheKey(url: string, options: CacheKeyOptions = {}): string {
  if (!options.query) return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const kept = new URLSearchParams();
  for (const name of options.query) for (const value of params.getAll(name)) kept.append(name, value);
  const rest = kept.toString();
  return rest ? `${url.slice(0, q)}?${rest}` : url.slice(0, q);
}

/** A streamed public response (sitemaps): tagged and compressed, never kept in the app cache. */
export interface StreamedResponse {
  headers: Record<string, string>;
  body: AsyncIterable<string>;
  tags: readonly string[];
}

export interface PublicCache {
  /**
   * Sends what `render` produces for this request, from the cache when it may. `render`
   * answers null for "nothing here": the app's not-found handler answers, and nothing is kept.
   */
  serve(
    req: FastifyRequest,
    reply: FastifyReply,
    render: () => Promise<RenderedResponse | null>,
    options?: CacheKeyOptions,
  ): Promise<FastifyReply>;
  /**
   * Answers a plain cache hit straight from the node:http request, before any routing: the
   * breaking-news path, where every microsecond per request is throughput. Returns false (and
   * touches nothing) for anything else — a miss, a personal or conditional request — which the
   * app then routes as usual, so `serve` stays the one place that renders, stores and validates.
   */
  serveHit(req: IncomingMessage, res: ServerResponse): boolean;
  /** Sends a streamed response (never cached here; CDN headers and compression still apply). */
  stream(req: FastifyRequest, reply: FastifyReply, response: StreamedResponse): FastifyReply;
  /** Drops every entry carrying one of `tags` (a change event's). */
  purge(tags: readonly string[]): number;
  clear(): void;
  /** Counters and memory use, or null when the cache is off. */
  stats(): PageCacheStats | null;
}

/**
 * True when a response to this request may come from, or go into, the shared cache: an
 * anonymous GET or HEAD. A Masthead cookie means someone signed in (or started to), and an
 * Authorization header means an API client with a token: both are served fresh, never stored.
 */
export function isAnonymousRead(req: Pick<IncomingMessage, 'method' | 'headers'>): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.headers.authorization !== undefined) return false;
  const cookie = req.headers.cookie;
  return !(cookie && MASTHEAD_COOKIE.test(cookie));
}

/** The cache keeps exactly what a shared cache may keep: answers marked `public` (so 404s and `no-store` pages never). */
function isStorable(r: RenderedResponse): boolean {
  return (r.status === 200 || r.status === 301) && /^public\b/.test(r.headers['cache-control'] ?? '');
}

/** The tag headers a CDN purges by: `Surrogate-Key` (Fastly, Akamai) and `xkey` (Varnish); the edge strips both. */
export function surrogateHeaders(tags: readonly string[]): Record<string, string> {
  if (tags.length === 0) return {};
  const keys = tags.join(' ');
  return { 'surrogate-key': keys, xkey: keys };
}

/** Adds Vary: Accept-Encoding (keeping what the route varies on) and the tag headers. */
function withCacheHeaders(rendered: RenderedResponse): RenderedResponse {
  // Built in place (no intermediate arrays and objects): every uncached public answer passes here.
  const vary = rendered.headers.vary ? `${rendered.headers.vary}, accept-encoding` : 'accept-encoding';
  const headers: Record<string, string> = { ...rendered.headers, vary };
  if (/^public\b/.test(rendered.headers['cache-control'] ?? '')) Object.assign(headers, surrogateHeaders(rendered.tags));
  return { ...rendered, headers };
}

function lastModifiedOf(headers: Readonly<Record<string, string>>): Date | null {
  const v = headers['last-modified'];
  return v ? new Date(v) : null;
}

function sendBytes(
  req: FastifyRequest,
  reply: FastifyReply,
  r: { status: number; headers: Readonly<Record<string, string>> },
  body: Buffer,
  etag: string,
  encoding: Encoding,
  state: 'hit' | 'miss' | 'bypass',
): FastifyReply {
  reply.code(r.status).headers(r.headers).header('etag', etag).header('x-page-cache', state);
  if (r.status === 200 && isNotModified(req, etag, lastModifiedOf(r.headers))) return reply.code(304).send();
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.send(body);
}

function sendEntry(req: FastifyRequest, reply: FastifyReply, entry: CachedResponse, state: 'hit' | 'miss'): FastifyReply {
  const encoding = chooseEncoding(req.headers['accept-encoding'], entry);
  const body = encoding === 'br' ? entry.br! : encoding === 'gzip' ? entry.gzip! : entry.body;
  return sendBytes(req, reply, entry, body, variantEtag(entry, encoding), encoding, state);
}

/** An uncached response, compressed for this client alone when it is worth it. */
async function sendFresh(req: FastifyRequest, reply: FastifyReply, rendered: RenderedResponse): Promise<FastifyReply> {
  const r = withCacheHeaders(rendered);
  const encoding = isCompressible(r) ? chooseEncoding(req.headers['accept-encoding'], ON_THE_FLY) : 'identity';
  const etag = variantEtag({ etag: strongEtag(r.body) }, encoding);
  // A client whose copy is current needs no compressed body.
  if (encoding !== 'identity' && !(r.status === 200 && isNotModified(req, etag, lastModifiedOf(r.headers)))) {
    return sendBytes(req, reply, r, await compressBody(r.body, encoding), etag, encoding, 'bypass');
  }
  return sendBytes(req, reply, r, r.body, etag, encoding, 'bypass');
}

/** Accept-Encoding values are few (one per browser family): remember each one's choice. */
const preferredEncodings = new Map<string, Encoding>();

function preferredEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  let encoding = preferredEncodings.get(acceptEncoding);
  if (encoding === undefined) {
    encoding = chooseEncoding(acceptEncoding, ON_THE_FLY);
    if (preferredEncodings.size >= 256) preferredEncodings.clear();
    preferredEncodings.set(acceptEncoding, encoding);
  }
  return encoding;
}

/** Every header of a hit sent as `encoding`, exactly as `sendEntry` and the app's hooks would set them. */
function wireHeaders(entry: CachedResponse, encoding: Encoding, body: Buffer): Readonly<Record<string, string | number>> {
  let wire = entry.wire?.[encoding];
  if (!wire) {
    wire = {
      ...entry.headers,
      ...securityHeaders(entry.headers['content-type']),
      etag: variantEtag(entry, encoding),
      'x-page-cache': 'hit',
      ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
      'content-length': body.length,
    };
    entry.wire = { ...entry.wire, [encoding]: wire };
  }
  return wire;
}

/**
 * The public cache of this node. `maxBytes` 0 turns the app cache off: responses are still
 * compressed, validated and tagged for the CDN, just rendered on every request.
 */
export function createPublicCache(maxBytes: number, keyScope: (req: IncomingMessage) => string = () => ''): PublicCache {
  const cache = maxBytes > 0 ? new PageCache(maxBytes, PAGE_CACHE_TTL_MS) : null;
  return {
    async serve(req, reply, render, options) {
      if (!cache || !isAnonymousRead(req)) {
        const rendered = await render();
        return rendered ? sendFresh(req, reply, rendered) : notFound(reply);
      }
      // A render the cache may not keep (a 404) is still this request's answer: no second render.
      let own: RenderedResponse | null | undefined;
      const result = await cache.fetch(
        // The address as the reader sent it (a language edition's `/fr/…` is routed without its
        // prefix), under the scope of an edition on its own host.
        cacheKey(keyScope(req.raw) + req.originalUrl, options),
        async () => {
          const rendered = await render();
          if (rendered && isStorable(rendered)) {
            const stored = withCacheHeaders(rendered);
            return options?.query ? { ...stored, keyQuery: options.query } : stored;
          }
          own = rendered;
          return null;
        },
        async () => {
          if (own === undefined) own = await render();
          return own ?? NOTHING;
        },
      );
      if (result.entry) return sendEntry(req, reply, result.entry, result.hit ? 'hit' : 'miss');
      return own ? sendFresh(req, reply, own) : notFound(reply);
    },

    serveHit(req, res) {
      if (!cache || !isAnonymousRead(req)) return false;
      // Revalidations go through `serve`, the one place that answers 304.
      if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return false;
      const url = keyScope(req) + (req.url ?? '/');
      let entry = cache.lookup(url);
      if (!entry) {
        // A route that keys by some query parameters: the entry at its bare path says which.
        const q = url.indexOf('?');
        const keyQuery = q < 0 ? undefined : cache.peek(url.slice(0, q))?.keyQuery;
        if (!keyQuery) return false;
        entry = cache.lookup(cacheKey(url, { query: keyQuery }));
        if (!entry) return false;
      }
      const encoding = entry.br ? preferredEncoding(req.headers['accept-encoding']) : 'identity';
      const body = encoding === 'br' ? entry.br! : encoding === 'gzip' ? entry.gzip! : entry.body;
      res.writeHead(entry.status, wireHeaders(entry, encoding, body));
      if (req.method === 'HEAD') res.end();
      else res.end(body);
      return true;
    },

    stream(req, reply, response) {
      const headers = { ...response.headers, vary: 'accept-encoding', ...surrogateHeaders(response.tags) };
      reply.headers(headers).header('x-page-cache', 'bypass');
      const source = Readable.from(response.body);
      const encoding = chooseEncoding(req.headers['accept-encoding'], ON_THE_FLY);
      if (encoding === 'identity') return reply.send(source);
      const compressor = encoding === 'br' ? zlib.createBrotliCompress() : zlib.createGzip();
      // A failing source destroys the compressor with its error, which Fastify then reports.
      return reply.header('content-encoding', encoding).send(pipeline(source, compressor, () => {}));
    },

    purge(tags) {
      return cache?.purge(tags) ?? 0;
    },
    clear() {
      cache?.clear();
    },
    stats: () => cache?.stats() ?? null,
  };
}
