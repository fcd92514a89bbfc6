import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { cookieOptions } from '../http/session-cookie.ts';
import { NEWSROOM_COOKIE } from './newsroom-auth.ts';

const FLASH_COOKIE = 'masthead_flash';

/*
 * One-time messages after a POST-redirect-GET. The cookie carries only a code; the text is
 * ours, so a planted cookie cannot put words on the page.
 */
const FLASH_MESSAGES = {
  'logged-out': 'You have signed out.',
  'password-changed': 'Your password has been changed. Your other sessions were signed out.',
  'user-disabled': 'The account has been disabled and signed out everywhere.',
  'user-enabled': 'The account has been enabled.',
  'user-role-changed': 'The role has been changed. It applies from the person’s next click.',
  'image-uploaded': 'The photo has been uploaded. Check its description below.',
  'image-saved': 'The image description has been saved.',
  'image-deleted': 'The image has been deleted.',
  // Workflow screens (workflow-routes.ts, history-routes.ts)
  'story-submit': 'The story has been submitted for review.',
  'story-return_to_draft': 'The story is a draft again.',
  'story-schedule': 'The story is scheduled. Check the time shown under Status.',
  'story-cancel_schedule': 'The schedule has been cancelled; the story is a draft again.',
  'story-publish': 'The story is published.',
  'story-unpublish': 'The story has been unpublished; readers no longer see it.',
  'story-republish': 'The story is published again.',
  'embargo-set': 'The embargo has been set.',
  'embargo-lifted': 'The embargo has been lifted.',
  'note-update': 'The update note is published with the story.',
  'note-correction': 'The correction is published with the story.',
  'revision-restored': 'The revision has been restored as the newest version.',
  'note-saved': 'The note for the desk has been saved.',
  'change-published': 'The change is published: readers see the story as it now reads.',
  'change-discarded': 'The pending change has been discarded; the live story is as it was.',
  'story-deleted': 'The story has been deleted, with its history and comments.',
  'preview-link-revoked': 'The preview link has been revoked; it no longer opens the story.',
  // Sections, tags and authors (taxonomy-*-routes.ts)
  'section-created': 'The section has been created. It is in the site navigation now.',
  'section-saved': 'The section has been saved.',
  'edition-saved': 'The edition has been saved. The site serves it now.',
  'edition-deleted': 'The edition has been deleted; its stories now belong to the default edition.',
  'translation-confirmed': 'The translation is marked as up to date with its source.',
  'section-deleted': 'The section has been deleted.',
  'tag-saved': 'The tag has been renamed.',
  'tag-editions-saved': 'The tag’s names in the editions have been saved.',
  'tag-merged': 'The tags have been merged; the stories now carry this tag.',
  'tag-deleted': 'The tag has been deleted.',
  'author-created': 'The author has been created. Add them to a byline in the story editor.',
  'author-saved': 'The author has been saved.',
  'author-deleted': 'The author has been deleted.',
  // Front arrangements (front-routes.ts)
  'front-published': 'The arrangement is published: readers see it now.',
  'front-scheduled': 'The arrangement is scheduled. It takes over at the time shown above.',
  'front-draft': 'The arrangement is saved as a draft. Readers do not see it yet.',
  'front-restored': 'The old arrangement is back as a draft. Preview it, then publish.',
  'front-cancelled': 'The scheduled arrangement has been cancelled.',
} as const;

export type FlashCode = keyof typeof FLASH_MESSAGES;

export function setFlash(reply: FastifyReply, config: Config, code: FlashCode): void {
  reply.setCookie(FLASH_COOKIE, code, { ...cookieOptions(config, NEWSROOM_COOKIE), maxAge: 300 });
}

/** The pending message, if any, cleared as it is read. */
export function takeFlash(req: FastifyRequest, reply: FastifyReply, config: Config): string | undefined {
  const code = req.cookies[FLASH_COOKIE];
  if (code === undefined) return undefined;
  reply.clearCookie(FLASH_COOKIE, cookieOptions(config, NEWSROOM_COOKIE));
  return Object.hasOwn(FLASH_MESSAGES, code) ? FLASH_MESSAGES[code as FlashCode] : undefined;
}
