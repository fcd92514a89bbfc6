/**
 * Newsroom roles, least to most powerful. A contributor writes and submits drafts; an
 * author also publishes their own stories; an editor handles any story, the taxonomy and
 * moderation; an admin also manages users and site settings.
 */
export const ROLES = ['contributor', 'author', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The acting user as policies see it. */
export interface Actor {
  userId: string;
  role: Role;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
