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

// Every public page's chrome asks this, so it is one statement, built once, whose parameters
// alone change (building a second query per page for the alert's story cost 15% of an uncached
// article page). It starts from the alerts (usually none) and CROSS JOIN keeps that order on
// SQLite: joined freely, its planner walked every published story first.
const selectActiveAlert = preparedQuery<
  [nowIso: string, limit: number],
  {
    id: string;
    text: string;
    created_at: string;
    expires_at: string | null;
    article_id: string;
    slug: string;
    section_slug: string;
  }
>((db, nowIso, limit) =>
  db
    .selectFrom(
      db
        .selectFrom('breaking_alerts as b')
        .select(['b.id', 'b.text', 'b.created_at', 'b.expires_at', 'b.article_id'])
        .where('b.cleared_at', 'is', null)
        .where((eb) => eb.or([eb('b.expires_at', 'is', null), eb('b.expires_at', '>', nowIso)]))
        .orderBy('b.created_at', 'desc')
        .orderBy('b.id', 'desc')
        .limit(limit)
        .as('b'),
    )
    .crossJoin('articles as a')
    .crossJoin('sections as s')
    .whereRef('a.id', '=', 'b.article_id')
    .whereRef('s.id', '=', 'a.section_id')
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .select(['b.id', 'b.text', 'b.created_at', 'b.expires_at', 'b.article_id', 'a.slug', 's.slug as section_slug'])
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(1),
);

/** The alert readers see at `nowIso`, or null. */
export async function findActiveAlert(db: Db, nowIso: string): Promise<ActiveAlert | null> {
  const [alert] = await selectActiveAlert(db, nowIso, ACTIVE_ALERTS_CHECKED);
  return alert
    ? {
        id: alert.id,
        text: alert.text,
        path: articlePath(alert.section_slug, alert.slug),
        articleId: alert.article_id,
        createdAt: alert.created_at,
        expiresAt: alert.expires_at,
      }
    : null;
}
