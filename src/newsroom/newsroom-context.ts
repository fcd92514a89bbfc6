import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { ArticlePage } from '../domain/published/article-page.ts';
import type { ArrangementPreview } from '../domain/published/front-service.ts';
import type { LoginThrottle } from '../domain/accounts/login-throttle.ts';
import type { SafeHtml } from '../http/html.ts';
import type { PageCacheStats } from '../http/page-cache.ts';
import type { NewsroomChrome } from './views/newsroom-layout.ts';

/** What the newsroom route groups share. */
export interface NewsroomContext {
  deps: Deps;
  throttle: LoginThrottle;
  /** Page chrome for this request (reads and clears the flash message). */
  chrome(req: FastifyRequest, reply: FastifyReply): NewsroomChrome;
  send(reply: FastifyReply, page: SafeHtml, status?: number): FastifyReply;
  /** The public site's article page (given by the app, so the newsroom never imports the site's views). */
  publicArticlePage(page: ArticlePage, req: FastifyRequest): Promise<SafeHtml>;
  /** The public home or section front (of the edition listing `language`; none: the default) under an arrangement not (yet) in force, given by the app (null: no such section). */
  publicFrontPreview(sectionSlug: string | null, preview: ArrangementPreview, language?: string): Promise<SafeHtml | null>;
  /** This node's public page cache counters (null when it is off), given by the app. */
  pageCacheStats(): PageCacheStats | null;
}
