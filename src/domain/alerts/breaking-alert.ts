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

// Every public page's chrome asks this, so it is built once and only its parameters change. It
// starts from the alerts (usually none): joined to articles, SQLite's planner walked every
// published story first.
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

/** The alert readers see at `nowIso`, or null. */
export async function findActiveAlert(db: Db, nowIso: string): Promise<ActiveAlert | null> {
  const alerts = await selectActiveAlerts(db, nowIso, ACTIVE_ALERTS_CHECKED);
  if (!alerts.length) return null;
  const stories = await db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.id', 'a.slug', 's.slug as section_slug'])
    .where('a.id', 'in', [...new Set(alerts.map((a) => a.article_id))])
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .execute();
  const visible = new Map(stories.map((st) => [st.id, st]));
  const alert = alerts.find((a) => visible.has(a.article_id));
  const story = alert && visible.get(alert.article_id)!;
  return alert && story
    ? {
        id: alert.id,
        text: alert.text,
        path: articlePath(story.section_slug, story.slug),
        articleId: alert.article_id,
        createdAt: alert.created_at,
        expiresAt: alert.expires_at,
      }
    : null;
}
