import type { Db } from '../../db/database.ts';
import type { Article } from '../articles/article.ts';
import { articlePath } from '../articles/article.ts';
import { isVisibleToReaders } from '../articles/article-visibility.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { documentText } from '../documents/document-text.ts';
import { changeCursor } from '../live/live-entries-read.ts';
import { entryPermalink, type LiveEntry } from '../live/live-entry.ts';
import { insertDeliveries, subscribedHookIds } from './webhook-outbox.ts';

/*
 * Webhook events of live blog entries, named like the article events. They are queued in the
 * entry's own write transaction (the outbox), and only while readers can see the story: an
 * entry posted before its story is public is announced by the story's `article.published`
 * (receivers read the entries from the Content API, `/api/v1/articles/{id}/entries`).
 */

export type LiveEntryEventType = 'live_entry.published' | 'live_entry.updated' | 'live_entry.deleted';

/** What receivers get about an entry: enough to post or update it without calling back. */
export interface LiveEntryEventData {
  entry: {
    id: string;
    /** Absolute permalink (the live blog opened at the entry). */
    url: string;
    /** The Content API's change cursor of this version (`since`). */
    cursor: string;
    keyEvent: boolean;
    pinned: boolean;
    authorIds: string[];
    publishedAt: string | null;
    modifiedAt: string;
    revision: number;
    correction: { note: string; at: string } | null;
    /** The structured body, and its plain text. Absent on `live_entry.deleted`. */
    body?: ArticleDocument;
    text?: string;
  };
  article: { id: string; url: string; path: string; headline: string };
}

/**
 * Queues a live entry event in the caller's transaction, when a hook subscribes and readers
 * can see the story at `createdAt`. One small query when nobody subscribes.
 */
export async function enqueueLiveEntryEvent(
  db: Db,
  type: LiveEntryEventType,
  story: Article,
  entry: LiveEntry,
  at: { createdAt: string; siteUrl: string | undefined },
): Promise<void> {
  if (!isVisibleToReaders(story, at.createdAt)) return;
  const hooks = await subscribedHookIds(db, type);
  if (!hooks.length) return;
  const section = await db.selectFrom('sections').select('slug').where('id', '=', story.sectionId).executeTakeFirstOrThrow();
  const site = (at.siteUrl ?? '').replace(/\/+$/, '');
  const path = articlePath(section.slug, story.slug);
  const data: LiveEntryEventData = {
    entry: {
      id: entry.id,
      url: `${site}${entryPermalink(path, entry.id)}`,
      cursor: changeCursor(entry),
      keyEvent: entry.keyEvent,
      pinned: entry.pinned,
      authorIds: entry.authorIds,
      publishedAt: entry.publishedAt,
      modifiedAt: entry.modifiedAt,
      revision: entry.revision,
      correction: entry.correction,
      ...(type === 'live_entry.deleted' ? {} : { body: entry.body, text: documentText(entry.body) }),
    },
    article: { id: story.id, url: `${site}${path}`, path, headline: story.headline },
  };
  await insertDeliveries(db, hooks, type, at.createdAt, { ...data });
}
