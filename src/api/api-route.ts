import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiPrincipal } from '../domain/api-tokens/api-token-service.ts';
import { UnsupportedMediaTypeError, ValidationError } from '../domain/errors.ts';

/*
 * A tiny route-definition helper: one declaration registers the Fastify route AND records
 * its OpenAPI operation, from the same zod schemas that validate the request. Nothing is
 * described twice, so the document cannot drift from what the server accepts.
 */

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call: `content` follows MASTHEAD_CONTENT_API (public, or any token); `admin` needs a token. */
export type ApiAuth = 'content' | 'admin';

export interface ApiResponseSpec {
  description: string;
  /** JSON body schema (documentation of what the presenter returns). */
  schema?: z.ZodType;
  headers?: Record<string, string>;
}

export interface RequestBodySpec {
  /** Media types accepted; anything else is refused with 415 before the body is read. */
  contentTypes: string[];
  /** JSON body schema (validated); omit for binary uploads, documented by `binaryDescription`. */
  schema?: z.ZodType;
  binaryDescription?: string;
}

export interface HandlerContext<P, Q, B> {
  req: FastifyRequest;
  reply: FastifyReply;
  params: P;
  query: Q;
  body: B;
  /** The token's principal: always set on `admin` routes, set on `content` routes when a token was sent. */
  principal: ApiPrincipal | null;
}

export interface RouteSpec<PS extends z.ZodType | undefined, QS extends z.ZodType | undefined, BS extends z.ZodType | undefined> {
  method: ApiMethod;
  /** Fastify path under the plugin prefix, e.g. `/v1/articles/:id`. */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: ApiAuth;
  params?: PS;
  query?: QS;
  body?: RequestBodySpec & { schema?: BS };
  responses: Record<number, ApiResponseSpec>;
  handler(ctx: HandlerContext<Out<PS>, Out<QS>, BS extends z.ZodType ? z.output<BS> : unknown>): Promise<unknown>;
}

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** What the OpenAPI builder needs to know about one route. */
export interface RecordedOperation {
  method: ApiMethod;
  /** Full path with the plugin prefix, Fastify style (`/api/v1/articles/:id`). */
  path: string;
  spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;
}

export interface ApiRouter {
  operations: RecordedOperation[];
  route<
    PS extends z.ZodType | undefined = undefined,
    QS extends z.ZodType | undefined = undefined,
    BS extends z.ZodType | undefined = undefined,
  >(
    spec: RouteSpec<PS, QS, BS>,
  ): void;
}

/**
 * Parses one request part; failures become a ValidationError whose paths start with the
 * part (`body.headline`, `query.limit`), which the error handler reports as `field`.
 */
export function parsePart<S extends z.ZodType>(part: 'params' | 'query' | 'body', schema: S, value: unknown): z.output<S> {
  let result;
  try {
    result = schema.safeParse(value);
  } catch (err) {
    // Some domain schemas validate inside a transform (the article document) and throw.
    if (err instanceof ValidationError) throw prefixIssues(part, err);
    throw err;
  }
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? i.keys : [];
    const path = [part, ...i.path.map(String), ...(keys.length === 1 ? keys : [])].join('.');
    return { path, message: keys.length ? `unknown field${keys.length > 1 ? `s ${keys.join(', ')}` : ''}` : i.message };
  });
  throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

/** Re-roots a domain ValidationError's field paths under a request part (`headline` → `body.headline`). */
export function prefixIssues(part: string, err: ValidationError): ValidationError {
  if (!err.issues.length || err.issues.every((i) => i.path.startsWith(`${part}.`))) return err;
  // JSON pointers (`/headlines/0`, from JSON Schema validators) become dotted like the rest: `body.headlines.0`.
  const rooted = (path: string) =>
    path.startsWith(`${part}.`)
      ? path
      : path.startsWith('/')
        ? [
            part,
            ...path
              .split('/')
              .slice(1)
              .filter(Boolean)
              .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')),
          ].join('.')
        : `${part}.${path}`;
  let message = err.message;
  // Messages read "field: reason; other: reason"; re-root the names where they start a clause.
  for (const i of err.issues) message = message.replace(new RegExp(`(^|; )${escapeRegExp(i.path)}:`), `$1${rooted(i.path)}:`);
  return new ValidationError(
    message,
    err.issues.map((i) => ({ path: rooted(i.path), message: i.message })),
  );
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mediaType(req: FastifyRequest): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}

/**
 * A router over `app` (the API plugin): `authenticate` resolves the bearer token for a
 * route's auth mode and throws 401 when it is required and missing or invalid.
 */
export function createApiRouter(
  app: FastifyInstance,
  prefix: string,
  authenticate: (req: FastifyRequest, auth: ApiAuth) => Promise<ApiPrincipal | null>,
  /** The API rate limit (api-rate-limit.ts), checked once the caller is known. */
  rateCheck?: (req: FastifyRequest, auth: ApiAuth, principal: ApiPrincipal | null) => Promise<void>,
): ApiRouter {
  const operations: RecordedOperation[] = [];
  const principals = new WeakMap<FastifyRequest, ApiPrincipal | null>();
  return {
    operations,
    route(spec) {
      operations.push({ method: spec.method, path: `${prefix}${spec.url}`, spec: spec as unknown as RecordedOperation['spec'] });
      const body = spec.body;
      app.route({
        method: spec.method,
        url: spec.url,
        // Who is calling, then what they send: both before the body is read (and buffered).
        onRequest: async (req) => {
          const principal = await authenticate(req, spec.auth);
          principals.set(req, principal);
          await rateCheck?.(req, spec.auth, principal);
          if (!body) return;
          const type = mediaType(req);
          if (!body.contentTypes.includes(type)) {
            throw new UnsupportedMediaTypeError(
              `Send the request body as ${body.contentTypes.join(' or ')}${type ? `, not ${type}` : ''}.`,
            );
          }
        },
        handler: async (req, reply) => {
          const principal = principals.get(req) ?? null;
          const params = spec.params ? parsePart('params', spec.params, req.params) : {};
          const query = spec.query ? parsePart('query', spec.query, req.query ?? {}) : {};
          const parsedBody = body?.schema ? parsePart('body', body.schema, req.body) : req.body;
          try {
            return await spec.handler({ req, reply, params, query, body: parsedBody, principal } as never);
          } catch (err) {
            // Domain validation of a JSON body names fields relative to the body.
            if (err instanceof ValidationError && body?.schema) throw prefixIssues('body', err);
            throw err;
          }
        },
      });
    },
  };
}
