import type { Db } from '../../db/database.ts';
import { preparedQuery } from '../../db/prepared.ts';
import { articlePath } from '../articles/article.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';

/*
 * A breaking-news alert: one site-wide banner linking to a story (or live blog). It shows
 * while it is not cleared, not expired, and its story is visible to readers; the newest such
 * alert is the one shown.
 */

/** The stream key open pages follow for alerts (travels as a `liveStories` key on the change bus). */
export const ALERT_STREAM_KEY = 'site:breaking-alert';

/** What readers see of the active alert. */
export interface ActiveAlert {
  id: string;
  text: string;
  /** The story's public path. */
  path: string;
  articleId: string;
  createdAt: string;
  expiresAt: string | null;
}

/** How many of the newest active alerts are checked for a visible story (alerts are few). */
const ACTIVE_ALERTS_CHECKED = 20;

// Every public page's chrome asks these, so they are built once and only their parameters
// change (building the story's query per page cost 15% of an uncached article page). They
// start from the alerts (usually none; raising one clears the others): joined to articles,
// SQLite's planner walked every published story first.
const selectActiveAlerts = preparedQuery<
  [nowIso: string, limit: number],
  { id: string; text: string; created_at: string; expires_at: string | null; article_id: string }
>((db, nowIso, limit) =>
  db
    .selectFrom('breaking_alerts as b')
    .select(['b.id', 'b.text', 'b.created_at', 'b.expires_at', 'b.article_id'])
    .where('b.cleared_at', 'is', null)
    .where((eb) => eb.or([eb('b.expires_at', 'is', null), eb('b.expires_at', '>', nowIso)]))
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(limit),
);

const selectVisibleStory = preparedQuery<[articleId: string, nowIso: string], { slug: string; section_slug: string }>(
  (db, articleId, nowIso) =>
    db
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select(['a.slug', 's.slug as section_slug'])
      .where('a.id', '=', articleId)
      .where((eb) => visibleToReaders(eb, 'a', nowIso)),
);

/** The alert readers see at `nowIso`, or null. */
export async function findActiveAlert(db: Db, nowIso: string): Promise<ActiveAlert | null> {
  for (const alert of await selectActiveAlerts(db, nowIso, ACTIVE_ALERTS_CHECKED)) {
    const [story] = await selectVisibleStory(db, alert.article_id, nowIso);
    if (!story) continue;
    return {
      id: alert.id,
      text: alert.text,
      path: articlePath(story.section_slug, story.slug),
      articleId: alert.article_id,
      createdAt: alert.created_at,
      expiresAt: alert.expires_at,
    };
  }
  return null;
}

/** How long a page build trusts the alert it read, at most (changes drop it at once; see below). */
const ALERT_TRUSTED_MS = 5_000;

interface AlertMemo {
  /** The alert readers see at `nowIso` (the last one read, while it may still be trusted). */
  find(nowIso: string): Promise<ActiveAlert | null>;
  /** Forget what was read: the next page build reads again. */
  invalidate(): void;
}

const memos = new WeakMap<object, AlertMemo>();

/**
 * The active alert for every public page's chrome, read once for many pages: reading it per
 * page built cost a tenth of an uncached article page. Every committed change drops it (the
 * node's change bus, deps.ts: raising or clearing an alert, the alert's story unpublished or
 * embargoed, a lost channel), before the page cache purges, so a purged page is never rebuilt
 * with the old banner; it is read again at the alert's expiry and after ALERT_TRUSTED_MS.
 */
export function activeAlertMemo(db: Db): AlertMemo {
  let memo = memos.get(db);
  if (memo) return memo;
  let read: { at: number; value: Promise<ActiveAlert | null> } | undefined;
  memo = {
    async find(nowIso) {
      const now = Date.parse(nowIso);
      if (read && now >= read.at && now < read.at + ALERT_TRUSTED_MS) {
        const alert = await read.value;
        if (!alert?.expiresAt || nowIso < alert.expiresAt) return alert;
      }
      const value = findActiveAlert(db, nowIso);
      const entry = (read = { at: now, value });
      // A failed read is not kept: the next page asks again.
      value.catch(() => {
        if (read === entry) read = undefined;
      });
      return value;
    },
    invalidate() {
      read = undefined;
    },
  };
  memos.set(db, memo);
  return memo;
}
