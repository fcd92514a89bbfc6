import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError, ValidationError } from '../domain/errors.ts';
import { logIfServerError, publicMessage, statusFor } from '../http/errors.ts';

/**
 * The one error shape every /api response uses, our own refusals and Fastify's alike
 * (bad JSON, unknown route, wrong content type, body too large): a stable `code` for
 * programs, a `message` for people, and the offending `field` when there is one.
 */
export const apiErrorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({ description: 'Stable machine-readable code', examples: ['validation_failed', 'not_found', 'conflict', 'forbidden', 'unauthorized'] }),
      message: z.string().meta({ description: 'What went wrong, in words for a person' }),
      field: z.string().optional().meta({ description: 'The first invalid field, e.g. `body.headline` or `query.limit`' }),
      details: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ description: 'The error shape of every /api response' });
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** Thrown by the API's auth check: no or an invalid bearer token (HTTP 401). */
export class UnauthorizedError extends DomainError {
  constructor(message: string, readonly invalidToken = false) {
    super('unauthorized', message);
  }
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Fastify's own error codes that deserve a clearer word than the status alone. */
const FASTIFY_CODES: Record<string, { code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The request body is empty; send a JSON object.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large' },
  FST_REQ_FILE_TOO_LARGE: { code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'bad_request' },
};

function statusOf(err: unknown): number {
  if (err instanceof UnauthorizedError) return 401;
  return statusFor(err);
}

/** The error body and status for any thrown value; 5xx never reveal their text. */
export function toApiError(err: unknown): { status: number; body: ApiErrorBody } {
  const status = statusOf(err);
  if (status >= 500) return { status: 500, body: { error: { code: 'internal_error', message: publicMessage(err, 500) } } };
  if (err instanceof ValidationError) {
    const details = err.issues.map((i) => ({ field: i.path, message: i.message }));
    const field = details[0]?.field;
    return { status, body: { error: { code: err.code, message: err.message, ...(field ? { field } : {}), ...(details.length ? { details } : {}) } } };
  }
  if (err instanceof DomainError) return { status, body: { error: { code: err.code, message: err.message } } };
  const fastifyCode = (err as { code?: unknown }).code;
  const known = typeof fastifyCode === 'string' ? FASTIFY_CODES[fastifyCode] : undefined;
  if (err instanceof SyntaxError || known?.code === 'invalid_json') {
    return { status: 400, body: { error: { code: 'invalid_json', message: known?.message ?? `The request body is not valid JSON: ${(err as Error).message}` } } };
  }
  return { status, body: { error: { code: known?.code ?? CODE_BY_STATUS[status] ?? 'bad_request', message: known?.message ?? publicMessage(err, status) } } };
}

/** Sends an error in the API's shape (used by the plugin's error and not-found handlers). */
export function sendApiError(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body } = toApiError(err);
  logIfServerError(req, err, status);
  if (err instanceof UnauthorizedError) {
    reply.header('www-authenticate', err.invalidToken ? 'Bearer realm="masthead", error="invalid_token"' : 'Bearer realm="masthead"');
  }
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
}
