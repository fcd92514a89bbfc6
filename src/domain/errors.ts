/**
 * Every stable code a refusal can carry. API clients and tests see these strings, so they
 * never change; `http/errors.ts` gives each one its status, and a new code does not compile
 * until it has one.
 */
export const ERROR_CODES = [
  'not_found',
  'validation_failed',
  'conflict',
  'forbidden',
  'unauthorized',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base for expected, user-facing failures. `code` is stable; callers never branch on messages. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(message = 'Not found') {
    super(message);
  }
}

/** Input refused; `issues` name the offending fields (`body.headline`, `expectedRevision`…). */
export class ValidationError extends DomainError {
  readonly code: 'validation_failed' | 'unsupported_media_type' | 'payload_too_large' = 'validation_failed';
  constructor(
    message: string,
    readonly issues: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

/*
 * The refusals of a file or request body are validation failures too (a form that shows
 * validation messages shows these), with their own code so HTTP can answer 415 and 413.
 */

/** Not a type we accept: a file that is not a JPEG, PNG, WebP or AVIF image, a request body of the wrong content type (HTTP 415). */
export class UnsupportedMediaTypeError extends ValidationError {
  override readonly code = 'unsupported_media_type';
}

/** The file is over the upload size limit (HTTP 413). */
export class PayloadTooLargeError extends ValidationError {
  override readonly code = 'payload_too_large';
}

export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

/** A refused story save: 409, with where the writer's kept version can be compared. */
export class EditConflictError extends ConflictError {
  constructor(
    message: string,
    readonly conflictCopyId: string,
    readonly currentRevision: number,
  ) {
    super(message);
  }
}

/** The actor is known but may not do this (HTTP 403). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  constructor(message = 'You do not have permission to do that.') {
    super(message);
  }
}

/** No or an invalid bearer token (HTTP 401); `invalidToken` when one was sent but is not valid. */
export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
  constructor(
    message: string,
    readonly invalidToken = false,
  ) {
    super(message);
  }
}

/** Too many requests of one kind in a short time (HTTP 429); `retryAfterMs` tells when to try again. */
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}
