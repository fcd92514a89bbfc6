import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { chooseEncoding } from './page-cache.ts';

const TEXT_ASSET = /^(text\/|application\/(javascript|json|xml)|image\/svg\+xml)/;
/** Both encodings on offer: static files are compressed on the fly. */
const ON_THE_FLY = { br: Buffer.alloc(0), gzip: Buffer.alloc(0) };

/**
 * Compresses text assets (CSS, scripts, SVG) that @fastify/static streams, for the routes of
 * the context it is added to. Assets have versioned, immutable URLs, so a CDN or browser keeps
 * the compressed copy and this runs about once per asset and encoding. Only whole 200 answers
 * are touched: 304s and range requests pass as they are.
 */
export function compressStaticAssets(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode !== 200 || !(payload instanceof Readable)) return payload;
    if (!TEXT_ASSET.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    reply.header('vary', 'accept-encoding');
    const encoding = chooseEncoding(req.headers['accept-encoding'], ON_THE_FLY);
    if (encoding === 'identity') return payload;
    const etag = reply.getHeader('etag');
    if (typeof etag === 'string') reply.header('etag', `${etag.replace(/"$/, '')}-${encoding}"`);
    reply.removeHeader('content-length');
    reply.removeHeader('accept-ranges');
    reply.header('content-encoding', encoding);
    return payload.pipe(encoding === 'br' ? zlib.createBrotliCompress() : zlib.createGzip());
  });
}
