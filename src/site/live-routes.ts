import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import {
  findVisibleEntry,
  findVisibleLiveStory,
  latestChangeCursor,
  liveEntryChangesSince,
  parseChangeCursor,
  type EntriesPageRequest,
} from '../domain/live/live-entries-read.ts';
import { coverageEnded, entryPermalink } from '../domain/live/live-entry.ts';
import { runEventStream, resumeCursor, type StreamEvent, type StreamHub } from '../http/event-stream.ts';
import { NO_STORE } from '../http/cache-policy.ts';
import type { PublicCache } from '../http/public-cache.ts';
import { redirectResponse } from './page-responses.ts';
import { liveEntryHtml } from './views/live-blog-view.ts';
import { messagesFor } from '../render/i18n/messages.ts';
import { readerLocale } from './reader-locale.ts';
import { decodeCursor } from '../domain/articles/cursor.ts';

/*
 * A live blog's reader routes beside its page: the stream of new entries (Server-Sent Events,
 * never cached, one per reader, bounded per node by the hub) and each entry's permalink path.
 */

/** Query parameters the live blog part of a story page reads (they are part of its cache key). */
export const LIVE_PAGE_QUERY = ['order', 'before', 'after', 'entry'] as const;

/** The entries page a story page's query asks for; anything malformed is the blog's head. */
export function liveEntriesRequest(query: unknown): EntriesPageRequest {
  const q = (query ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const order = str(q.order) === 'oldest' ? 'oldest' : 'newest';
  const cursor = str(order === 'newest' ? q.before : q.after);
  const entryId = str(q.entry);
  return {
    order,
    ...(cursor && decodeCursor(cursor) ? { cursor } : {}),
    ...(entryId ? { entryId } : {}),
  };
}

export function registerLiveRoutes(app: FastifyInstance, deps: Deps, cache: PublicCache, hub: StreamHub): void {
  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug/live', async (req, reply) => {
    const nowIso = () => deps.clock().toISOString();
    const story = await findVisibleLiveStory(deps.db, req.params.section, req.params.slug, nowIso());
    if (!story) return reply.code(404).header('cache-control', NO_STORE).type('text/plain; charset=utf-8').send('No live blog here.');
    const asked = resumeCursor(req);
    const start = parseChangeCursor(asked) !== null ? asked : await latestChangeCursor(deps.db, story.articleId, nowIso());
    const followed = story;
    return runEventStream(req, reply, hub, story.articleId, start, {
      // Every reader of this blog at the same cursor shares one read and one rendering.
      read: (cursor) => hub.shared(story.articleId, `${req.params.section}/${req.params.slug} ${cursor ?? ''}`, () => readSince(cursor)),
    });
    async function readSince(cursor: string | null): Promise<{ events: StreamEvent[]; done: boolean; endsAt?: string | null }> {
      const now = nowIso();
      // The story may have been unpublished, moved or ended since the stream opened.
      const current = await findVisibleLiveStory(deps.db, req.params.section, req.params.slug, now);
      if (!current || current.articleId !== followed.articleId) return { events: [], done: true };
      const changes = await liveEntryChangesSince(deps.db, followed.articleId, now, cursor);
      const events = changes.map((c): StreamEvent =>
        c.kind === 'entry'
          ? {
              id: c.cursor,
              event: 'entry',
              data: JSON.stringify({
                id: c.entry.id,
                html: liveEntryHtml(messagesFor(readerLocale({ story: current })), c.entry, current.path, c.images).value,
              }),
            }
          : { id: c.cursor, event: 'delete', data: JSON.stringify({ id: c.entryId }) },
      );
      return { events, done: coverageEnded(current.live, now), endsAt: current.live.endAt };
    }
  });

  // An entry's own address: the story page opened at the entry (cached, tagged with the story).
  app.get<{ Params: { section: string; slug: string; entryId: string } }>('/:section/:slug/entries/:entryId', async (req, reply) =>
    cache.serve(
      req,
      reply,
      async () => {
        const nowIso = deps.clock().toISOString();
        const story = await findVisibleLiveStory(deps.db, req.params.section, req.params.slug, nowIso);
        const entry = story && (await findVisibleEntry(deps.db, story.articleId, req.params.entryId, nowIso));
        if (!story || !entry) return null;
        return redirectResponse(entryPermalink(story.path, entry.id), story.articleId);
      },
      { query: [] },
    ),
  );
}
