import { ForbiddenError } from '../errors.ts';
import { ROLES, type Actor, type Role } from './role.ts';

/** True when `role` is `minimum` or more powerful (roles are ordered in ROLES). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

export function assertRole(actor: Actor, minimum: Role, message?: string): void {
  if (!roleAtLeast(actor.role, minimum)) throw new ForbiddenError(message);
}
