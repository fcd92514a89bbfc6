import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/*
 * Every routed request carries an id: the one a proxy or load balancer sent in `X-Request-Id`
 * when it is sane, else a fresh UUID. Fastify's logger puts it on every line of the request
 * (`reqId`), the response returns it in `X-Request-Id`, and error pages and the API's error
 * envelope show it, so a reader's report can be found in the logs.
 *
 * Page-cache hits are answered before Fastify (app.ts `serverFactory`) with headers built once
 * per entry; they carry no id: they log nothing and cannot fail, and adding one would cost a
 * header per hit on the fastest path.
 */

export const REQUEST_ID_HEADER = 'x-request-id';

/** What we accept from outside: short, and only characters safe in a header, a log line and a page. */
const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,99}$/;

/** Fastify's `genReqId`: the incoming id when sane, else a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const sent = req.headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && SANE_ID.test(sent) ? sent : crypto.randomUUID();
}

/** Returns the id on every routed answer, errors included (set before anything can fail). */
export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header(REQUEST_ID_HEADER, req.id);
    done();
  });
}
