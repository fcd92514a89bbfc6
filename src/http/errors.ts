import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUniqueViolation } from '../db/constraint-violations.ts';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../db/database.ts';
import { MediaStoreUnavailableError } from '../domain/media/media-store.ts';
import { DomainError, RateLimitedError, type ErrorCode } from '../domain/errors.ts';
import { escapeHtml } from './html.ts';

/*
 * The one translation of a thrown value into what a response may say. Every area renders it
 * its own way (the site's and the newsroom's pages, the API's JSON envelope, a form shown
 * again), but none decides a status or a message by itself.
 */

/** Each domain code's status. A Record, so a new ErrorCode does not compile until it has one. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  not_found: 404,
  validation_failed: 400,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
};

/** Fastify's own refusals (bad JSON, body too large, wrong content type…) carry a status but none of our codes: they are named by status. */
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

/** What a response may say about a failure: its status, a stable code for programs and words for people. */
export interface PublicError {
  status: number;
  code: string;
  message: string;
  /** Seconds to wait, for the Retry-After header of a rate limit. */
  retryAfter?: number;
}

const INTERNAL_ERROR: PublicError = { status: 500, code: 'internal_error', message: 'Something went wrong on our side. Please try again.' };

/** The database is down or unreachable: a passing condition, worth a retry, never its own words (host, file, driver). */
export const DATABASE_UNAVAILABLE: PublicError = {
  status: 503,
  code: 'service_unavailable',
  message: 'The site is temporarily unavailable. Please try again in a moment.',
  retryAfter: 30,
};

/** The SQLite file was moved or deleted under the running server: nothing is stored until it is restarted with the file in place. */
const DATABASE_DETACHED: PublicError = {
  ...DATABASE_UNAVAILABLE,
  message: 'The site cannot store anything right now: its database file was moved or deleted. Nothing was saved; please try again later.',
};

/** The shared media store (an S3 bucket, the media folder) cannot be used now: worth a retry, never the store's own words. */
const MEDIA_UNAVAILABLE: PublicError = {
  status: 503,
  code: 'service_unavailable',
  message: 'Images and uploads are temporarily unavailable. Please try again in a moment.',
  retryAfter: 30,
};

/**
 * A unique index refused a write that the service's own check had let through: two people
 * saved the same slug or email at the same instant. That is a conflict, not a server fault.
 * Never the database's own wording (it names tables and values).
 */
const UNIQUE_VIOLATION: PublicError = {
  status: 409,
  code: 'conflict',
  message: 'Someone saved the same name or address a moment ago. Reload the page and try again.',
};

/**
 * Domain errors keep their code and message; Fastify's 4xx keep their status and text; an
 * unreachable database or media store is a 503 in our words; anything else is a 500 whose text never leaves
 * the server. Pure: `publicErrorFor` adds the logging.
 */
export function toPublicError(err: unknown): PublicError {
  if (err instanceof DomainError) {
    const e = { status: STATUS_BY_CODE[err.code], code: err.code, message: err.message };
    return err instanceof RateLimitedError ? { ...e, retryAfter: Math.ceil(err.retryAfterMs / 1000) } : e;
  }
  if (isUniqueViolation(err)) return UNIQUE_VIOLATION;
  if (isDatabaseUnavailable(err)) return err instanceof DatabaseUnavailableError && err.detached ? DATABASE_DETACHED : DATABASE_UNAVAILABLE;
  if (err instanceof MediaStoreUnavailableError) return MEDIA_UNAVAILABLE;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: CODE_BY_STATUS[status] ?? 'bad_request', message: err instanceof Error ? err.message : INTERNAL_ERROR.message };
  }
  return INTERNAL_ERROR;
}

/** `toPublicError` for a request; a 500 is logged with the error itself, the only place its own words go. */
export function publicErrorFor(req: FastifyRequest, err: unknown): PublicError {
  const e = toPublicError(err);
  if (e.status >= 500) req.log.error({ err }, 'request failed');
  return e;
}

/**
 * The status and message of a refusal the person can put right on the form they sent, when
 * `err` is a domain error with one of `codes`: the handler shows the form again with their
 * input. Anything else is rethrown, for the area's error handler.
 */
export function formRefusalOrThrow(err: unknown, codes: readonly ErrorCode[]): PublicError {
  if (err instanceof DomainError && codes.includes(err.code)) return toPublicError(err);
  throw err;
}

/** Status, Retry-After and no-store for an error response; the caller sends the body (JSON as it is). */
export function errorReply(reply: FastifyReply, e: Pick<PublicError, 'status' | 'retryAfter'>): FastifyReply {
  if (e.retryAfter !== undefined) reply.header('retry-after', String(e.retryAfter));
  return reply.code(e.status).header('cache-control', 'no-store');
}

export function sendHtmlError(reply: FastifyReply, e: Pick<PublicError, 'status' | 'retryAfter'>, page: string): FastifyReply {
  return errorReply(reply, e).header('content-type', 'text/html; charset=utf-8').send(page);
}

/** An HTML area's page for a failure, around the public message. */
export type ErrorPageView = (req: FastifyRequest, reply: FastifyReply, e: PublicError) => string | Promise<string>;

/**
 * The error handler of an HTML area: the one mapping, then the area's own page. When the page
 * cannot be drawn (its chrome needs the database, which may be what failed), the message
 * still goes out, as plain text.
 */
export function htmlErrorHandler(view: ErrorPageView) {
  return async (err: unknown, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const e = publicErrorFor(req, err);
    let page: string;
    try {
      page = await view(req, reply, e);
    } catch (pageErr) {
      req.log.error({ err: pageErr }, 'error page failed');
      return errorReply(reply, e).type('text/plain; charset=utf-8').send(`${e.message}\nReference: ${req.id}`);
    }
    return sendHtmlError(reply, e, withReference(page, req.id));
  };
}

/**
 * The request id on an error page (every area's layout has one `<main>`), so a person can
 * quote it and the logs' `reqId` finds the request. Added here, once, rather than by each view.
 */
export function withReference(page: string, requestId: string): string {
  const at = page.lastIndexOf('</main>');
  if (at < 0) return page;
  const line = `<p class="error-reference">Reference: <code>${escapeHtml(requestId)}</code></p>\n`;
  return page.slice(0, at) + line + page.slice(at);
}
