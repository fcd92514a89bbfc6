import type { Db } from '../../db/database.ts';
import { preparedQuery } from '../../db/prepared.ts';
import { articlePath } from '../articles/article.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';

/*
 * The versions of one story readers may see in each language: its translation group's
 * members behind the one visibility rule, so an unpublished or embargoed translation never
 * shows in a link or an hreflang.
 */

export interface PublishedTranslation {
  id: string;
  language: string;
  headline: string;
  /** The site's path (`/world/slug`); an edition view turns it into the edition's. */
  path: string;
  publishedAt: string;
}

/** Visible members of each group, oldest first, by group id (only groups with another visible member). */
export async function listPublishedTranslations(
  db: Db,
  groupIds: readonly string[],
  nowIso: string,
): Promise<Map<string, PublishedTranslation[]>> {
  const out = new Map<string, PublishedTranslation[]>();
  if (!groupIds.length) return out;
  const unique = [...new Set(groupIds)];
  // One story's page asks for one group: that query is prepared once (an `in` list cannot be).
  const rows =
    unique.length === 1
      ? await selectGroup(db, unique[0]!, nowIso)
      : await translationsQuery(db, nowIso).where('a.translation_group_id', 'in', unique).execute();
  for (const r of rows) {
    const list = out.get(r.translation_group_id) ?? [];
    list.push({
      id: r.id,
      language: r.language,
      headline: r.headline,
      path: articlePath(r.section_slug, r.slug),
      publishedAt: r.published_at!,
    });
    out.set(r.translation_group_id, list);
  }
  for (const [k, v] of out) if (v.length < 2) out.delete(k);
  return out;
}

function translationsQuery(db: Db, nowIso: string) {
  return db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.id', 'a.translation_group_id', 'a.language', 'a.headline', 'a.slug', 'a.published_at', 's.slug as section_slug'])
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .orderBy('a.published_at')
    .orderBy('a.id');
}

type TranslationRow = Awaited<ReturnType<ReturnType<typeof translationsQuery>['execute']>>[number];

const selectGroup = preparedQuery<[groupId: string, nowIso: string], TranslationRow>((db, groupId, nowIso) =>
  translationsQuery(db, nowIso).where('a.translation_group_id', '=', groupId),
);
