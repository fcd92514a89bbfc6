import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { cookieOptions, FLASH_COOKIE } from './newsroom-auth.ts';

/*
 * One-time messages after a POST-redirect-GET. The cookie carries only a code; the text is
 * ours, so a planted cookie cannot put words on the page.
 */
const FLASH_MESSAGES = {
  'logged-out': 'You have signed out.',
  'password-changed': 'Your password has been changed. Your other sessions were signed out.',
  'user-disabled': 'The account has been disabled and signed out everywhere.',
  'user-enabled': 'The account has been enabled.',
} as const;

export type FlashCode = keyof typeof FLASH_MESSAGES;

export function setFlash(reply: FastifyReply, config: Config, code: FlashCode): void {
  reply.setCookie(FLASH_COOKIE, code, { ...cookieOptions(config), maxAge: 300 });
}

/** The pending message, if any, cleared as it is read. */
export function takeFlash(req: FastifyRequest, reply: FastifyReply, config: Config): string | undefined {
  const code = req.cookies[FLASH_COOKIE];
  if (code === undefined) return undefined;
  reply.clearCookie(FLASH_COOKIE, cookieOptions(config));
  return Object.hasOwn(FLASH_MESSAGES, code) ? FLASH_MESSAGES[code as FlashCode] : undefined;
}
