import type { Db } from '../../db/database.ts';
import { preparedQuery } from '../../db/prepared.ts';
import { articlePath } from '../articles/article.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';
import { changeDroppedMemo } from '../changes/change-dropped-memo.ts';

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

const alertMemo = changeDroppedMemo((db, nowMs) => findActiveAlert(db, new Date(nowMs).toISOString()), ALERT_TRUSTED_MS);

/**
 * The active alert for every public page's chrome, read once for many pages: reading it per
 * page built cost a tenth of an uncached article page. Every committed change drops it
 * (domain/changes/change-dropped-memo.ts: raising or clearing an alert, the alert's story
 * unpublished or embargoed, a lost channel), before the page cache purges, so a purged page is
 * never rebuilt with the old banner; it is read again at the alert's expiry and after
 * ALERT_TRUSTED_MS.
 */
export function activeAlertMemo(db: Db): { find(nowIso: string): Promise<ActiveAlert | null> } {
  const memo = alertMemo(db);
  return {
    async find(nowIso) {
      const now = Date.parse(nowIso);
      const alert = await memo.get(now);
      if (!alert?.expiresAt || nowIso < alert.expiresAt) return alert;
      memo.invalidate();
      return memo.get(now);
    },
  };
}
