import crypto from 'node:crypto';
import type { ServiceDeps } from '../deps.ts';
import { countUsers } from './user-repository.ts';
import { createUser } from './user-service.ts';

export const DEMO_ADMIN_EMAIL = 'demo-admin@example.com';

/**
 * On a demo install's first start, an administrator to sign in with. The password is random
 * and shown once; nothing fixed ships in the code. Does nothing when any user exists.
 */
export async function createDemoAdminIfNoUsers(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
): Promise<{ email: string; password: string } | null> {
  if ((await countUsers(deps.db)) > 0) return null;
  const password = crypto.randomBytes(15).toString('base64url');
  await createUser(deps, { email: DEMO_ADMIN_EMAIL, name: 'Demo Admin', role: 'admin', password }, null);
  return { email: DEMO_ADMIN_EMAIL, password };
}

/** The console notice with the one-time login. */
export function demoAdminNotice(login: { email: string; password: string }, siteUrl: string): string {
  return [
    '',
    'Demo newsroom administrator (shown only this once; change the password after signing in):',
    `  sign in at ${siteUrl}/newsroom/login`,
    `  email     ${login.email}`,
    `  password  ${login.password}`,
    '',
    '',
  ].join('\n');
}
