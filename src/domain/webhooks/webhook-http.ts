import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { BlockedAddressError, guardedLookup, isPrivateAddress } from './webhook-address.ts';

/** What came back from one POST. */
export interface PostResult {
  statusCode: number;
  /** The start of the response body, as text. */
  excerpt: string;
}

const EXCERPT_BYTES = 1024;

/**
 * POSTs `body` to `url` with `headers`. Never follows redirects (a 3xx is an answer like any
 * other), refuses private addresses unless allowed (checked on the address actually
 * connected to), and gives up after `timeoutMs` for the whole exchange. Rejects with an
 * Error whose message is fit for the delivery log.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return reject(new Error('the webhook address is not a valid URL'));
    }
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    // Literal addresses never reach the lookup function, so they are checked here.
    if (!options.allowPrivate && net.isIP(literal) && isPrivateAddress(literal)) {
      return reject(new BlockedAddressError(`${literal} is a local or private address; delivery refused`));
    }
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
    if (!client) return reject(new Error(`unsupported protocol ${target.protocol}`));
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // A fresh connection per delivery: no pooled socket outlives the check or the worker.
        agent: false,
        lookup: guardedLookup(options.allowPrivate),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish(() => {
            res.destroy();
            resolve({
              statusCode: res.statusCode ?? 0,
              excerpt: cleanExcerpt(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8')),
            });
          });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${Math.round(options.timeoutMs / 100) / 10} s`));
    }, options.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish(() => reject(describeError(err))));
    req.end(body);
  });
}

function cleanExcerpt(text: string): string {
  // Control characters would only garble the log view; the view escapes the rest.
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').replace(/\uFFFD+$/, '');
}

const ERROR_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the receiver',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  CERT_HAS_EXPIRED: 'the receiver’s TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the receiver’s TLS certificate is self-signed',
};

function describeError(err: NodeJS.ErrnoException): Error {
  if (err instanceof BlockedAddressError) return err;
  const known = err.code ? ERROR_TEXT[err.code] : undefined;
  return new Error(known ? `${known} (${err.code})` : err.message || String(err));
}
