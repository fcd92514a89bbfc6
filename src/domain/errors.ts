/** Base for expected, user-facing failures. `code` is stable; callers never branch on messages. */
export class DomainError extends Error {
  constructor(readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'Not found') {
    super('not_found', message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, readonly issues: Array<{ path: string; message: string }> = []) {
    super('validation_failed', message, issues);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** Too many requests of one kind in a short time (HTTP 429); `retryAfterMs` tells when to try again. */
export class RateLimitedError extends DomainError {
  constructor(message: string, readonly retryAfterMs: number) {
    super('rate_limited', message);
  }
}
