import type { Db } from '../../db/database.ts';
import { preparedByIds } from '../../db/prepared.ts';
import type { Teaser } from '../published/article-teasers.ts';
import { latestVisibleEntries } from './live-entries-read.ts';
import { coverageEnded, entryExcerpt, entryPermalink } from './live-entry.ts';

/*
 * Fronts show a live blog as live (a label and its newest entry) while its coverage is on.
 * One query finds which teasers are live blogs; each of those (a few at most) reads its newest
 * visible entry. Front pages are tagged with every story they show, so an entry's change event
 * purges them.
 */

const EXCERPT_CHARS = 140;

// Every front asks it for its teasers: precompiled (db/prepared.ts).
const selectLiveBlogs = preparedByIds((db, ids) =>
  db
    .selectFrom('articles')
    .select(['id', 'coverage_start_at', 'coverage_end_at', 'created_at'])
    .where('id', 'in', ids)
    .where('live_blog', '=', 1),
);

/** The teasers with `live` set on those whose live coverage is on at `nowIso` (in place; returned for chaining). */
export async function withLiveCoverage<T extends Teaser>(db: Db, teasers: T[], nowIso: string): Promise<T[]> {
  const ids = [...new Set(teasers.map((t) => t.id))];
  if (!ids.length) return teasers;
  const rows = await selectLiveBlogs(db, ids);
  const on = rows.filter((r) => (r.coverage_start_at ?? r.created_at) <= nowIso && !coverageEnded({ endAt: r.coverage_end_at }, nowIso));
  if (!on.length) return teasers;
  const latest = new Map(
    await Promise.all(on.map(async (r) => [r.id, (await latestVisibleEntries(db, r.id, nowIso, 1)).entries[0] ?? null] as const)),
  );
  for (const t of teasers) {
    if (!latest.has(t.id)) continue;
    const e = latest.get(t.id);
    t.live = {
      latest: e
        ? { id: e.id, path: entryPermalink(t.path, e.id), excerpt: entryExcerpt(e.body, EXCERPT_CHARS), publishedAt: e.publishedAt }
        : null,
    };
  }
  return teasers;
}
