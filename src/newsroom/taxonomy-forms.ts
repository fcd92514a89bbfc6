import type { FastifyRequest } from 'fastify';
import { NotFoundError, type ErrorCode } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';

/* What the section, tag and author route groups share. */

export const EDITOR_ACCESS = { access: 'editor' as const };

/** A malformed id in the address is the same "no such thing" as an unknown one. */
export function checkId(id: string, what: string): void {
  if (!isId(id)) throw new NotFoundError(`There is no such ${what}.`);
}

/** The refusals a section, tag or author form is shown again for (with the input kept): `formRefusalOrThrow(err, FIXABLE)`. */
export const FIXABLE: readonly ErrorCode[] = ['validation_failed', 'conflict'];

/** A repeated form field as a list (one value is a string, several an array). */
export function many(req: FastifyRequest, name: string): string[] {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
}
