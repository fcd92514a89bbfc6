import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { ArticlePage } from '../domain/published/article-page.ts';
import type { LoginThrottle } from '../domain/accounts/login-throttle.ts';
import type { SafeHtml } from '../http/html.ts';
import type { NewsroomChrome } from './views/newsroom-layout.ts';

/** What the newsroom route groups share. */
export interface NewsroomContext {
  deps: Deps;
  throttle: LoginThrottle;
  /** Page chrome for this request (reads and clears the flash message). */
  chrome(req: FastifyRequest, reply: FastifyReply): NewsroomChrome;
  send(reply: FastifyReply, page: SafeHtml, status?: number): FastifyReply;
  /** The public site's article page (given by the app, so the newsroom never imports the site's views). */
  publicArticlePage(page: ArticlePage): Promise<SafeHtml>;
}

/** Form fields as strings (a repeated field keeps its first value; files are not accepted). */
export function formFields(req: FastifyRequest): Record<string, string> {
  const body = req.body;
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const value = Array.isArray(v) ? v[0] : v;
      if (typeof value === 'string') out[k] = value;
    }
  }
  return out;
}
