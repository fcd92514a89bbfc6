import type { EditionView } from '../../domain/editions/edition-view.ts';
import type { EditionRouting } from '../reader-edition.ts';
import type { FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { CommentDeps } from '../../domain/comments/comment-service.ts';
import type { RateLimiter } from '../../domain/rate-limits/rate-limiter.ts';
import type { SafeHtml } from '../../http/html.ts';
import type { PublicCache } from '../../http/public-cache.ts';
import type { SiteChrome } from '../views/layout.ts';

/** What the public comment route groups share. */
export interface CommentsContext {
  deps: Deps;
  limiter: RateLimiter;
  /** Deps for the comments domain, read per request (tests may set `deps.mailer` after start-up). */
  commentDeps(): CommentDeps;
  chrome(view?: EditionView): Promise<SiteChrome>;
  /** Language editions (a thread page under `/fr/…` names its section the edition's way). */
  editions?: EditionRouting;
  /** Versioned URL of public/comments.js. */
  scriptSrc: string;
  send(reply: FastifyReply, page: SafeHtml, status?: number): FastifyReply;
  /** Serves the public thread page (never the personal pages under /comments). */
  publicCache: PublicCache;
}
