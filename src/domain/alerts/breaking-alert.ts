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

// Every public page's chrome asks this, so it is built once and only its parameters change.
const selectActiveAlert = preparedQuery<
  [nowIso: string],
  { id: string; text: string; created_at: string; expires_at: string | null; article_id: string; slug: string; section_slug: string }
>((db, nowIso) =>
  db
    .selectFrom('breaking_alerts as b')
    .innerJoin('articles as a', 'a.id', 'b.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['b.id', 'b.text', 'b.created_at', 'b.expires_at', 'a.id as article_id', 'a.slug', 's.slug as section_slug'])
    .where('b.cleared_at', 'is', null)
    .where((eb) => eb.or([eb('b.expires_at', 'is', null), eb('b.expires_at', '>', nowIso)]))
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(1),
);

/** The alert readers see at `nowIso`, or null. */
export async function findActiveAlert(db: Db, nowIso: string): Promise<ActiveAlert | null> {
  const [row] = await selectActiveAlert(db, nowIso);
  return row
    ? {
        id: row.id,
        text: row.text,
        path: articlePath(row.section_slug, row.slug),
        articleId: row.article_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    : null;
}
