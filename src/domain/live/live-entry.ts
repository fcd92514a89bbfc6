import type { Selectable } from 'kysely';
import type { LiveEntryTable } from '../../db/schema.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { documentText } from '../documents/document-text.ts';

/*
 * One entry of a live blog: a timestamped update with its own permalink, bylines and body
 * (the same structured block document as stories). Entries are written only by
 * live-entry-service.ts and read by readers only through live-entries-read.ts, which applies
 * the story's visibility rule.
 */

export const LIVE_ENTRY_STATUSES = ['draft', 'published'] as const;
export type LiveEntryStatus = (typeof LIVE_ENTRY_STATUSES)[number];

export interface LiveEntry {
  id: string;
  articleId: string;
  status: LiveEntryStatus;
  /** Ordered bylines (author ids). */
  authorIds: string[];
  body: ArticleDocument;
  keyEvent: boolean;
  pinned: boolean;
  /** Bumped by every write; an edit names the revision it started from. */
  revision: number;
  /** The story's change sequence at this entry's last write: readers' resume cursor. */
  seq: number;
  createdBy: string | null;
  createdAt: string;
  modifiedAt: string;
  /** When readers first saw it (set on publish, kept through edits). */
  publishedAt: string | null;
  /** A visible correction: what was wrong and when it was put right. */
  correction: { note: string; at: string } | null;
  deletedAt: string | null;
}

export function rowToLiveEntry(row: Selectable<LiveEntryTable>): LiveEntry {
  return {
    id: row.id,
    articleId: row.article_id,
    status: row.status as LiveEntryStatus,
    authorIds: JSON.parse(row.author_ids) as string[],
    body: JSON.parse(row.body) as ArticleDocument,
    keyEvent: row.key_event === 1,
    pinned: row.pinned === 1,
    revision: row.revision,
    seq: row.seq,
    createdBy: row.created_by,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    publishedAt: row.published_at,
    correction: row.correction_note !== null && row.corrected_at !== null ? { note: row.correction_note, at: row.corrected_at } : null,
    deletedAt: row.deleted_at,
  };
}

export function liveEntryToRow(e: LiveEntry): Selectable<LiveEntryTable> {
  return {
    id: e.id,
    article_id: e.articleId,
    status: e.status,
    author_ids: JSON.stringify(e.authorIds),
    body: JSON.stringify(e.body),
    key_event: e.keyEvent ? 1 : 0,
    pinned: e.pinned ? 1 : 0,
    revision: e.revision,
    seq: e.seq,
    created_by: e.createdBy,
    created_at: e.createdAt,
    modified_at: e.modifiedAt,
    published_at: e.publishedAt,
    correction_note: e.correction?.note ?? null,
    corrected_at: e.correction?.at ?? null,
    deleted_at: e.deletedAt,
  };
}

/** The anchor of an entry on its story's page. */
export function entryAnchor(entryId: string): string {
  return `entry-${entryId}`;
}

/** An entry's permalink: its story's page opened at the entry, even when it is far down the blog. */
export function entryPermalink(storyPath: string, entryId: string): string {
  return `${storyPath}?entry=${entryId}#${entryAnchor(entryId)}`;
}

/** Whether a live blog's coverage has ended at `nowIso` (open streams close, the page says so). */
export function coverageEnded(live: { endAt: string | null } | null, nowIso: string): boolean {
  return live !== null && live.endAt !== null && live.endAt <= nowIso;
}

/** The first words of an entry (entries have no headline): key-event lists, feeds, teasers, structured data. */
export function entryExcerpt(body: ArticleDocument, max = 110): string {
  const text = documentText(body).replace(/\s+/g, ' ').trim();
  return text.length <= max ? text : `${text.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}
