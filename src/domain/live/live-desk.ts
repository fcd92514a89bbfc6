import type { Db } from '../../db/database.ts';
import { rowToLiveEntry, type LiveEntry } from './live-entry.ts';

/*
 * What the newsroom's live desk shows: every entry that is not deleted, drafts included,
 * whatever the story's visibility (journalists post before the story goes public).
 */

const DESK_ENTRIES = 200;

/** A story's entries for the desk: drafts first (newest first), then published ones, newest first. */
export async function listDeskEntries(db: Db, articleId: string): Promise<LiveEntry[]> {
  const rows = await db
    .selectFrom('live_entries')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('deleted_at', 'is', null)
    .orderBy('published_at', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(DESK_ENTRIES)
    .execute();
  const entries = rows.map(rowToLiveEntry);
  return [...entries.filter((e) => e.status === 'draft'), ...entries.filter((e) => e.status === 'published')];
}

/** One entry for the desk (its edit form), deleted ones excluded. */
export async function findDeskEntry(db: Db, entryId: string): Promise<LiveEntry | null> {
  const row = await db.selectFrom('live_entries').selectAll().where('id', '=', entryId).where('deleted_at', 'is', null).executeTakeFirst();
  return row ? rowToLiveEntry(row) : null;
}
