import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { storyTag } from '../domain/changes/cache-tags.ts';
import { NotFoundError } from '../domain/errors.ts';
import { getLiveEntryChanges, parseChangeCursor, type EntryChange } from '../domain/live/live-entries-read.ts';
import { entryPermalink } from '../domain/live/live-entry.ts';
import { sendCacheable, type ContentReads } from './api-cache.ts';
import { liveEntryChangesJsonSchema, type LiveEntryJson, type LiveEntryTombstoneJson } from './api-json.ts';
import { documentHtml, presentImage } from './api-presenters.ts';
import { idParams, limitSchema } from './api-query.ts';
import type { ApiRouter } from './api-route.ts';

/*
 * A live blog's entries for apps and partners: what changed after a cursor, so a client polls
 * (or resumes after the live stream dropped) with one cheap request. The cursor is the blog's
 * entry change sequence, the same one the site's live stream uses as its event id.
 */

const entriesQuery = z.strictObject({
  since: z
    .string()
    .meta({ description: 'A `cursor` from a previous answer (or a live stream event id); omit to read from the start' })
    .refine((v) => parseChangeCursor(v) !== null, 'is not a cursor from this API; use `cursor` from a previous answer')
    .optional(),
  limit: limitSchema,
});

function presentChange(siteUrl: string, storyPath: string, c: EntryChange): LiveEntryJson | LiveEntryTombstoneJson {
  if (c.kind === 'delete') return { id: c.entryId, deleted: true, cursor: c.cursor };
  const e = c.entry;
  const used = new Map([...c.images].filter(([id]) => e.body.blocks.some((b) => b.type === 'figure' && b.imageId === id)));
  return {
    id: e.id,
    deleted: false,
    cursor: c.cursor,
    url: `${siteUrl}${entryPermalink(storyPath, e.id)}`,
    publishedAt: e.publishedAt,
    updatedAt: e.modifiedAt,
    keyEvent: e.keyEvent,
    pinned: e.pinned,
    authors: e.authors.map((a) => ({ id: a.id, slug: a.slug, name: a.name, url: `${siteUrl}/authors/${a.slug}` })),
    body: e.body,
    bodyHtml: documentHtml(siteUrl, e.body, c.images),
    images: [...used.values()].map((i) => presentImage(siteUrl, i)),
    correction: e.correction,
  };
}

export function registerContentLiveRoutes(router: ApiRouter, deps: Deps, reads: ContentReads): void {
  const siteUrl = deps.config.siteUrl;
  router.route({
    method: 'GET',
    url: '/v1/articles/:id/entries',
    operationId: 'listLiveEntryChanges',
    summary: "A live blog's entries changed after a cursor",
    description:
      'Published entries of a live blog readers can see, oldest change first: new and edited entries whole, deleted ones as ' +
      'tombstones (`deleted: true`) so clients can remove them. Start without `since`, then pass the answer’s `cursor` ' +
      '(ask again at once while `hasMore`). The cursor is stable: the same as the site’s live stream event ids.',
    tags: ['content'],
    auth: 'content',
    params: idParams,
    query: entriesQuery,
    responses: {
      200: { description: 'Changed entries after the cursor', schema: liveEntryChangesJsonSchema },
      304: { description: 'The copy named by If-None-Match is current' },
      404: { description: 'No live blog readers can see has this id' },
    },
    async handler({ req, reply, params, query }) {
      return sendCacheable(req, reply, reads, async () => {
        const page = await getLiveEntryChanges(deps.db, params.id, deps.clock().toISOString(), query.since ?? null, query.limit);
        if (!page) throw new NotFoundError('There is no live blog readers can see with this id.');
        return {
          data: {
            data: page.changes.map((c) => presentChange(siteUrl, page.story.path, c)),
            cursor: page.cursor,
            hasMore: page.hasMore,
          },
          tags: [storyTag(params.id)],
        };
      });
    },
  });
}
