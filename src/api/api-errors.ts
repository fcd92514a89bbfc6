import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { UnauthorizedError, ValidationError } from '../domain/errors.ts';
import { errorReply, publicErrorFor, toPublicError, type PublicError } from '../http/errors.ts';

/**
 * The one error shape every /api response uses, our own refusals and Fastify's alike
 * (bad JSON, unknown route, wrong content type, body too large): a stable `code` for
 * programs, a `message` for people, and the offending `field` when there is one.
 */
export const apiErrorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({
        description: 'Stable machine-readable code',
        examples: ['validation_failed', 'not_found', 'conflict', 'forbidden', 'unauthorized'],
      }),
      message: z.string().meta({ description: 'What went wrong, in words for a person' }),
      field: z.string().optional().meta({ description: 'The first invalid field, e.g. `body.headline` or `query.limit`' }),
      details: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
      requestId: z
        .string()
        .optional()
        .meta({ description: 'The request id (also in the X-Request-Id header); quote it when reporting a problem' }),
    }),
  })
  .meta({ description: 'The error shape of every /api response' });
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** Fastify's JSON parser refusals, in our words rather than its own. */
const INVALID_JSON: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON object.',
};

/** The error body and status for any thrown value, from the one mapping (`e`); 5xx never reveal their text. */
export function toApiError(err: unknown, e: PublicError = toPublicError(err)): { status: number; body: ApiErrorBody } {
  const { status, code, message } = e;
  if (err instanceof ValidationError) {
    const details = err.issues.map((i) => ({ field: i.path, message: i.message }));
    const field = details[0]?.field;
    return { status, body: { error: { code, message, ...(field ? { field } : {}), ...(details.length ? { details } : {}) } } };
  }
  const fastifyCode = (err as { code?: unknown } | null)?.code;
  const invalidJson = typeof fastifyCode === 'string' ? INVALID_JSON[fastifyCode] : undefined;
  if (status < 500 && (err instanceof SyntaxError || invalidJson)) {
    return {
      status: 400,
      body: { error: { code: 'invalid_json', message: invalidJson ?? `The request body is not valid JSON: ${(err as Error).message}` } },
    };
  }
  return { status, body: { error: { code, message } } };
}

/** Sends an error in the API's shape (used by the plugin's error and not-found handlers). */
export function sendApiError(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const e = publicErrorFor(req, err);
  const { status, body } = toApiError(err, e);
  if (err instanceof UnauthorizedError) {
    reply.header('www-authenticate', err.invalidToken ? 'Bearer realm="masthead", error="invalid_token"' : 'Bearer realm="masthead"');
  }
  body.error.requestId = req.id;
  return errorReply(reply, { ...e, status })
    .type('application/json; charset=utf-8')
    .send(body);
}
