import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';

/* What the section, tag and author route groups share. */

export const EDITOR_ACCESS = { access: 'editor' as const };

/** A malformed id in the address is the same "no such thing" as an unknown one. */
export function checkId(id: string, what: string): void {
  if (!isId(id)) throw new NotFoundError(`There is no such ${what}.`);
}

/**
 * The status to re-render a form with for a refusal the person can fix (their input kept),
 * or undefined for anything else (left to the newsroom error handler).
 */
export function formRefusalStatus(err: unknown): 400 | 409 | undefined {
  if (err instanceof ValidationError) return 400;
  if (err instanceof ConflictError) return 409;
  return undefined;
}
