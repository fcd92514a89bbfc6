import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { Edition, TextDirection } from '../domain/editions/edition.ts';
import { editionDirectory } from '../domain/editions/edition-directory.ts';
import { editionView, type EditionView } from '../domain/editions/edition-view.ts';

/*
 * Which edition a public request reads, and so the reader's language, locale and direction:
 * the one place that decides it. An edition on its own host is chosen by the Host header; one
 * under a path prefix by the first segment, which routing then drops (`/fr/monde/x` is routed
 * as `/monde/x`), so every public route serves every edition. Everything else is the default
 * edition, at the addresses the site always had.
 */

/** First segments that are never an edition's pages (`/fr/newsroom` stays a 404). */
const NOT_EDITION_PATHS = new Set(['newsroom', 'api', 'static', 'media', 'health', 'metrics']);

/** The reader locale of a request: what message catalogs and date formatting key on. */
export interface ReaderLocale {
  language: string;
  locale: string;
  dir: TextDirection;
}

export function readerLocaleOf(view: EditionView): ReaderLocale {
  return { language: view.edition.language, locale: view.edition.locale, dir: view.edition.direction };
}

export interface EditionRouting {
  /** Fastify's `rewriteUrl`: notes the request's edition and drops its path prefix. */
  rewriteUrl(req: IncomingMessage): string;
  /** What the page cache keys a request under besides its address: an edition's own host. */
  cacheScope(req: IncomingMessage): string;
  /** The edition a routed public request reads. */
  view(req: FastifyRequest): Promise<EditionView>;
  /** Loads the editions before the first request is routed (routing cannot wait for a query). */
  load(): Promise<void>;
  /** Stops following changes. */
  close(): void;
}

export function createEditionRouting(deps: Deps): EditionRouting {
  const directory = editionDirectory(deps.db);
  const chosen = new WeakMap<IncomingMessage, Edition>();
  // An edition changed on another node arrives as a clear: read the editions again.
  const unsubscribe = deps.changes.subscribe((change) => {
    if (change.clear) void directory.invalidate();
  });
  const hostEdition = (req: IncomingMessage) => {
    const host = req.headers.host?.toLowerCase();
    return host ? directory.peek()?.byHost.get(host) : undefined;
  };
  return {
    rewriteUrl(req) {
      const url = req.url ?? '/';
      const snap = directory.peek();
      if (!snap) return url;
      const byHost = hostEdition(req);
      if (byHost) {
        chosen.set(req, byHost);
        return url;
      }
      const m = /^\/([^/?#]+)(\/[^?#]*)?(\?.*)?$/.exec(url);
      const edition = m ? snap.byPrefix.get(m[1]!) : undefined;
      if (!m || !edition) return url;
      const rest = m[2] ?? '/';
      if (NOT_EDITION_PATHS.has(rest.split('/')[1] ?? '')) return url;
      chosen.set(req, edition);
      return `${rest}${m[3] ?? ''}`;
    },
    cacheScope(req) {
      const e = hostEdition(req);
      return e ? `//${e.host}` : '';
    },
    async view(req) {
      const snap = await directory.current();
      const noted = chosen.get(req.raw);
      const edition = (noted && snap.byId.get(noted.id)) ?? snap.default;
      return editionView(snap, edition, deps.config.siteUrl);
    },
    async load() {
      await directory.current();
    },
    close: unsubscribe,
  };
}
