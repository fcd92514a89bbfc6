import { DomainError } from '../errors.ts';
import { ROLES, type Actor, type Role } from './role.ts';

/** The actor is known but may not do this (HTTP 403). */
export class AccessDeniedError extends DomainError {
  constructor(message = 'You do not have permission to do that.') {
    super('forbidden', message);
  }
}

/** True when `role` is `minimum` or more powerful (roles are ordered in ROLES). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

export function assertRole(actor: Actor, minimum: Role, message?: string): void {
  if (!roleAtLeast(actor.role, minimum)) throw new AccessDeniedError(message);
}
