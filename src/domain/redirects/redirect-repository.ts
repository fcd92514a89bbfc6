import type { Db } from '../../db/database.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';

export type RedirectSource = 'wordpress' | 'ghost';

/**
 * Points an old address at a story. The newest owner wins (a re-import that moved a path to
 * another story); the upsert is one statement, so two imports racing on a path cannot fail
 * on the primary key.
 */
export async function saveRedirect(
  db: Db,
  key: string,
  articleId: string,
  source: RedirectSource,
  nowIso: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await db.selectFrom('redirects').select('article_id').where('path', '=', key).executeTakeFirst();
  if (existing?.article_id === articleId) return 'unchanged';
  await db
    .insertInto('redirects')
    .values({ path: key, article_id: articleId, source, created_at: nowIso })
    .onConflict((oc) => oc.column('path').doUpdateSet({ article_id: articleId, source, created_at: nowIso }))
    .execute();
  return existing ? 'updated' : 'created';
}

/** Where an old address leads, only when that story is visible to readers now. */
export async function findVisibleRedirect(
  db: Db,
  key: string,
  nowIso: string,
): Promise<{ articleId: string; sectionSlug: string; slug: string } | null> {
  const row = await db
    .selectFrom('redirects as r')
    .innerJoin('articles as a', 'a.id', 'r.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.id as articleId', 's.slug as sectionSlug', 'a.slug as slug'])
    .where('r.path', '=', key)
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .executeTakeFirst();
  return row ?? null;
}

/** Every old address stored for a story (for reports and tests). */
export async function redirectsForArticle(db: Db, articleId: string): Promise<string[]> {
  const rows = await db.selectFrom('redirects').select('path').where('article_id', '=', articleId).orderBy('path').execute();
  return rows.map((r) => r.path);
}
