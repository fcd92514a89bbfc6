import type { Db } from '../../db/database.ts';
import type { LiveEntryTable } from '../../db/schema.ts';
import { articlePath, type LiveCoverage } from '../articles/article.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import { isSlug } from '../slug.ts';
import { decodeCursor, encodeCursor } from '../articles/cursor.ts';
import type { Author } from '../authors/author.ts';
import { rowToAuthor } from '../authors/author.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { isId } from '../ids.ts';
import { findImagesByIds, type Image } from '../media/image.ts';
import { rowToLiveEntry, type LiveEntry } from './live-entry.ts';

/*
 * What readers (the article page, its live stream, the Content API) see of a live blog's
 * entries. Every query joins the story and applies the one visibility rule
 * (article-visibility.ts): an entry is never seen before its story is. Entries are published
 * and not deleted; pages are keyset pages on (published_at, id); streams read what changed
 * since a cursor on (modified_at, id), deletions included.
 */

export const ENTRIES_PER_PAGE = 20;
const KEY_EVENTS_SHOWN = 12;
const STREAM_BATCH = 50;

export type EntryOrder = 'newest' | 'oldest';

/** An entry as readers see it, with its bylines resolved. */
export interface PublicLiveEntry extends LiveEntry {
  publishedAt: string;
  authors: Author[];
}

export interface LiveEntriesPage {
  order: EntryOrder;
  entries: PublicLiveEntry[];
  pinned: PublicLiveEntry | null;
  /** Key events, newest first (title text only is shown, linking to the entry). */
  keyEvents: PublicLiveEntry[];
  /** Cursor of the next page in this order (`?before=` newest first, `?after=` oldest first), null at the end. */
  next: string | null;
  /** True when this page does not start at the blog's first entry in this order (a link back is shown). */
  continued: boolean;
  /** The entry a permalink asked for, when it is visible (it heads the page). */
  target: string | null;
  /** Where a live stream starts: the newest change readers could have seen when the page was built. */
  streamCursor: string | null;
  /** Figure images of the entries shown. */
  images: Map<string, Image>;
  total: number;
}

/** Published, not deleted entries of a story readers may see at `nowIso`. */
function visibleEntries(db: Db, articleId: string, nowIso: string) {
  return db
    .selectFrom('live_entries')
    .innerJoin('articles as a', 'a.id', 'live_entries.article_id')
    .selectAll('live_entries')
    .where('live_entries.article_id', '=', articleId)
    .where('a.live_blog', '=', 1)
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .where('live_entries.status', '=', 'published')
    .where('live_entries.deleted_at', 'is', null)
    .where('live_entries.published_at', '<=', nowIso);
}

async function withAuthors(db: Db, rows: readonly LiveEntryTable[]): Promise<PublicLiveEntry[]> {
  const entries = rows.map(rowToLiveEntry);
  const ids = [...new Set(entries.flatMap((e) => e.authorIds))];
  const authors = new Map<string, Author>();
  if (ids.length)
    for (const row of await db.selectFrom('authors').selectAll().where('id', 'in', ids).execute()) authors.set(row.id, rowToAuthor(row));
  return entries.map((e) => ({
    ...e,
    publishedAt: e.publishedAt!,
    authors: e.authorIds.flatMap((id) => authors.get(id) ?? []),
  }));
}

function figureIds(docs: readonly ArticleDocument[]): string[] {
  return [...new Set(docs.flatMap((d) => d.blocks.flatMap((b) => (b.type === 'figure' ? [b.imageId] : []))))];
}

/** The page cursor of an entry (its place in the blog). */
export function entryCursor(e: Pick<LiveEntry, 'id' | 'publishedAt'>): string {
  return encodeCursor({ publishedAt: e.publishedAt!, id: e.id });
}

/** The stream cursor of an entry's last change (the SSE event id). */
export function changeCursor(e: Pick<LiveEntry, 'id' | 'modifiedAt'>): string {
  return encodeCursor({ publishedAt: e.modifiedAt, id: e.id });
}

export interface EntriesPageRequest {
  order?: EntryOrder;
  /** `?before=` (newest first) or `?after=` (oldest first): continue after this cursor. */
  cursor?: string;
  /** `?entry=`: open the page at this entry. */
  entryId?: string;
  limit?: number;
}

/** One page of a visible live blog's entries, with its pinned entry and key events. */
export async function getLiveEntriesPage(
  db: Db,
  articleId: string,
  nowIso: string,
  request: EntriesPageRequest = {},
): Promise<LiveEntriesPage> {
  const order = request.order ?? 'newest';
  const limit = request.limit ?? ENTRIES_PER_PAGE;
  const desc = order === 'newest';
  let from = request.cursor ? decodeCursor(request.cursor) : null;
  let inclusive = false;
  let target: string | null = null;
  if (request.entryId && isId(request.entryId)) {
    const row = await visibleEntries(db, articleId, nowIso).where('live_entries.id', '=', request.entryId).executeTakeFirst();
    if (row) {
      target = row.id;
      from = { publishedAt: row.published_at!, id: row.id };
      inclusive = true;
    }
  }
  let query = visibleEntries(db, articleId, nowIso);
  if (from) {
    const { publishedAt, id } = from;
    const op = desc ? '<' : '>';
    query = query.where((eb) =>
      eb.or([
        eb('live_entries.published_at', op, publishedAt),
        eb.and([eb('live_entries.published_at', '=', publishedAt), eb('live_entries.id', inclusive ? (desc ? '<=' : '>=') : op, id)]),
      ]),
    );
  }
  const dir = desc ? 'desc' : 'asc';
  const [rows, pinnedRows, keyRows, latest, count] = await Promise.all([
    query
      .orderBy('live_entries.published_at', dir)
      .orderBy('live_entries.id', dir)
      .limit(limit + 1)
      .execute(),
    visibleEntries(db, articleId, nowIso)
      .where('live_entries.pinned', '=', 1)
      .orderBy('live_entries.published_at', 'desc')
      .limit(1)
      .execute(),
    visibleEntries(db, articleId, nowIso)
      .where('live_entries.key_event', '=', 1)
      .orderBy('live_entries.published_at', 'desc')
      .orderBy('live_entries.id', 'desc')
      .limit(KEY_EVENTS_SHOWN)
      .execute(),
    latestChangeCursor(db, articleId, nowIso),
    visibleEntries(db, articleId, nowIso)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  ]);
  const pageRows = rows.slice(0, limit);
  const [entries, pinned, keyEvents] = await Promise.all([
    withAuthors(db, pageRows),
    withAuthors(db, pinnedRows),
    withAuthors(db, keyRows),
  ]);
  const ids = figureIds([...entries, ...pinned].map((e) => e.body));
  return {
    order,
    entries,
    pinned: pinned[0] ?? null,
    keyEvents,
    next: rows.length > limit ? entryCursor(entries.at(-1)!) : null,
    continued: from !== null,
    target,
    streamCursor: latest,
    images: ids.length ? await findImagesByIds(db, ids) : new Map(),
    total: Number(count?.n ?? 0),
  };
}

/** The newest change readers could see (a published entry's last write or its deletion), as a stream cursor. */
export async function latestChangeCursor(db: Db, articleId: string, nowIso: string): Promise<string | null> {
  const row = await changedEntries(db, articleId, nowIso)
    .orderBy('live_entries.modified_at', 'desc')
    .orderBy('live_entries.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? changeCursor(rowToLiveEntry(row)) : null;
}

/** Entries readers saw or can see: published ones, deleted or not, of a visible live blog. */
function changedEntries(db: Db, articleId: string, nowIso: string): ReturnType<typeof visibleEntries> {
  return db
    .selectFrom('live_entries')
    .innerJoin('articles as a', 'a.id', 'live_entries.article_id')
    .selectAll('live_entries')
    .where('live_entries.article_id', '=', articleId)
    .where('a.live_blog', '=', 1)
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .where('live_entries.published_at', 'is not', null)
    .where('live_entries.published_at', '<=', nowIso);
}

export type EntryChange =
  | { kind: 'entry'; cursor: string; entry: PublicLiveEntry; images: Map<string, Image> }
  | { kind: 'delete'; cursor: string; entryId: string };

/**
 * What changed in a visible live blog after `cursor` (a stream's last event id), oldest
 * first: entries published or edited (sent whole), and deletions. At most one batch; the
 * caller asks again from the last cursor until nothing is left.
 */
export async function liveEntryChangesSince(db: Db, articleId: string, nowIso: string, cursor: string | null): Promise<EntryChange[]> {
  let query = changedEntries(db, articleId, nowIso);
  const from = cursor ? decodeCursor(cursor) : null;
  if (from) {
    query = query.where((eb) =>
      eb.or([
        eb('live_entries.modified_at', '>', from.publishedAt),
        eb.and([eb('live_entries.modified_at', '=', from.publishedAt), eb('live_entries.id', '>', from.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('live_entries.modified_at', 'asc').orderBy('live_entries.id', 'asc').limit(STREAM_BATCH).execute();
  const live = await withAuthors(
    db,
    rows.filter((r) => r.deleted_at === null && r.status === 'published'),
  );
  const byId = new Map(live.map((e) => [e.id, e]));
  const ids = figureIds(live.map((e) => e.body));
  const images = ids.length ? await findImagesByIds(db, ids) : new Map<string, Image>();
  return rows.map((r): EntryChange => {
    const entry = byId.get(r.id);
    const c = encodeCursor({ publishedAt: r.modified_at, id: r.id });
    return entry ? { kind: 'entry', cursor: c, entry, images } : { kind: 'delete', cursor: c, entryId: r.id };
  });
}

/** A visible entry by id (the permalink path and the API). */
export async function findVisibleEntry(db: Db, articleId: string, entryId: string, nowIso: string): Promise<PublicLiveEntry | null> {
  if (!isId(entryId)) return null;
  const row = await visibleEntries(db, articleId, nowIso).where('live_entries.id', '=', entryId).executeTakeFirst();
  return row ? (await withAuthors(db, [row]))[0]! : null;
}

/** A live blog as its stream needs it: id, public path and coverage window. */
export interface LiveStoryRef {
  articleId: string;
  path: string;
  live: LiveCoverage;
  /** The story's language (BCP 47): the stream's entries speak the page's interface language. */
  language: string;
}

/** The visible live blog at this public path, or null (not found, not visible, or not live). */
export async function findVisibleLiveStory(db: Db, sectionSlug: string, slug: string, nowIso: string): Promise<LiveStoryRef | null> {
  if (!isSlug(sectionSlug) || !isSlug(slug)) return null;
  const section = await sectionDirectory(db).bySlug(sectionSlug);
  if (!section) return null;
  const row = await db
    .selectFrom('articles as a')
    .select(['a.id', 'a.slug', 'a.live_blog', 'a.coverage_start_at', 'a.coverage_end_at', 'a.created_at', 'a.language'])
    .where('a.section_id', '=', section.id)
    .where('a.slug', '=', slug)
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .executeTakeFirst();
  if (!row || !row.live_blog) return null;
  return {
    articleId: row.id,
    path: articlePath(section.slug, row.slug),
    live: { startAt: row.coverage_start_at ?? row.created_at, endAt: row.coverage_end_at },
    language: row.language,
  };
}
