import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { transform } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import { chooseEncoding } from './page-cache.ts';
import { PUBLIC_DIR } from '../paths.ts';

const TEXT_ASSET = /^(text\/|application\/(javascript|json|xml)|image\/svg\+xml)/;
/** Both encodings on offer: static files are compressed on the fly. */
const ON_THE_FLY = { br: Buffer.alloc(0), gzip: Buffer.alloc(0) };
/** Hand-written styles and scripts at the top of public/ (build/ is esbuild's output, already minified). */
const HAND_WRITTEN = /^\/static\/([a-z0-9-]+\.(css|js))(\?|$)/;
/** Browsers the site supports, as in scripts/build-client.mjs. */
const TARGET = ['es2020', 'chrome100', 'firefox100', 'safari15'];

const minified = new Map<string, { mtimeMs: number; body: Promise<Buffer> }>();

/**
 * The minified bytes of a hand-written asset, made once per version of the file. The sources
 * stay readable in the repo; readers download a quarter less (site.css 32.8 → 26.0 KB).
 */
function minifiedAsset(file: string): Promise<Buffer> | null {
  const full = path.join(PUBLIC_DIR, file);
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(full).mtimeMs;
  } catch {
    return null;
  }
  const known = minified.get(file);
  if (known?.mtimeMs === mtimeMs) return known.body;
  const body = fs.promises
    .readFile(full, 'utf8')
    .then((source) =>
      transform(source, { loader: file.endsWith('.css') ? 'css' : 'js', minify: true, target: TARGET, legalComments: 'inline' }),
    )
    .then((out) => Buffer.from(out.code));
  minified.set(file, { mtimeMs, body });
  // A file that does not minify (a syntax error while someone edits it) is served as written.
  body.catch(() => minified.delete(file));
  return body;
}

/**
 * Minifies the hand-written styles and scripts and compresses text assets (CSS, scripts, SVG)
 * that @fastify/static streams, for the routes of the context it is added to. Assets have
 * versioned, immutable URLs, so a CDN or browser keeps the copy and this runs about once per
 * asset and encoding. Only whole 200 answers are touched: 304s and range requests pass as
 * they are.
 */
export function compressStaticAssets(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode !== 200 || !(payload instanceof Readable)) return payload;
    if (!TEXT_ASSET.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    const file = HAND_WRITTEN.exec(req.url)?.[1];
    const lean = file ? await minifiedAsset(file)?.catch(() => null) : null;
    let body: Readable = payload;
    if (lean) {
      payload.destroy();
      body = Readable.from([lean]);
      reply.header('content-length', lean.length);
      // Byte ranges would count in the file as written.
      reply.removeHeader('accept-ranges');
    }
    reply.header('vary', 'accept-encoding');
    const encoding = chooseEncoding(req.headers['accept-encoding'], ON_THE_FLY);
    if (encoding === 'identity') return body;
    const etag = reply.getHeader('etag');
    if (typeof etag === 'string') reply.header('etag', `${etag.replace(/"$/, '')}-${encoding}"`);
    reply.removeHeader('content-length');
    reply.removeHeader('accept-ranges');
    reply.header('content-encoding', encoding);
    return body.pipe(encoding === 'br' ? zlib.createBrotliCompress() : zlib.createGzip());
  });
}
