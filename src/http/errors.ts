import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';

const STATUS: Record<string, number> = {
  not_found: 404,
  validation_failed: 400,
  conflict: 409,
  forbidden: 403,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
};

const UNIQUE_VIOLATION_MESSAGE = 'Someone saved the same name or address a moment ago. Reload the page and try again.';

/**
 * A unique index refused a write that the service's own check had let through: two people
 * saved the same slug or email at the same instant. That is a conflict, not a server fault.
 * (SQLite: better-sqlite3's SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY; PostgreSQL: SQLSTATE 23505.)
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** Maps any error to a status; unknown errors are 500 and their text never leaves the server. */
export function statusFor(err: unknown): number {
  if (err instanceof DomainError) return STATUS[err.code] ?? 400;
  if (isUniqueViolation(err)) return 409;
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return status;
  return 500;
}

export function publicMessage(err: unknown, status: number): string {
  if (err instanceof DomainError) return err.message;
  // Never the database's own wording (it names tables and values).
  if (isUniqueViolation(err)) return UNIQUE_VIOLATION_MESSAGE;
  if (status < 500 && err instanceof Error) return err.message;
  return 'Something went wrong on our side. Please try again.';
}

export function logIfServerError(request: FastifyRequest, err: unknown, status: number): void {
  if (status >= 500) request.log.error({ err }, 'request failed');
}

export type HtmlErrorRenderer = (status: number, message: string) => string;

export function sendHtmlError(reply: FastifyReply, status: number, body: string): void {
  reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}
