import type { Db } from '../../db/database.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';
import { storyTag } from './cache-tags.ts';

/**
 * More stories than this in one change (renaming a tag on thousands of stories) and naming them
 * costs more than it saves: the change clears everything instead. Such edits are rare.
 */
export const MAX_STORY_TAGS = 1000;

/** Which stories: those carrying a tag, bylined to an author, filed in a section, or listed by id. */
export type StoriesOf = { tagId: string } | { authorId: string } | { sectionId: string } | { articleIds: readonly string[] };

/**
 * The story tags of the stories readers can see at `nowIso` among `of` (only those appear in any
 * public response), or null when there are more than MAX_STORY_TAGS: the caller then clears
 * everything. Read inside the write's transaction, so it names what the commit changes.
 */
export async function visibleStoryTags(db: Db, of: StoriesOf, nowIso: string): Promise<string[] | null> {
  if ('articleIds' in of && !of.articleIds.length) return [];
  let q = db
    .selectFrom('articles as a')
    .select('a.id')
    .where((eb) => visibleToReaders(eb, 'a', nowIso));
  if ('tagId' in of) q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', of.tagId));
  else if ('authorId' in of)
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('author_id', '=', of.authorId));
  else if ('sectionId' in of) q = q.where('a.section_id', '=', of.sectionId);
  else q = q.where('a.id', 'in', [...of.articleIds].slice(0, MAX_STORY_TAGS + 1));
  if ('articleIds' in of && of.articleIds.length > MAX_STORY_TAGS) return null;
  const rows = await q.limit(MAX_STORY_TAGS + 1).execute();
  return rows.length > MAX_STORY_TAGS ? null : rows.map((r) => storyTag(r.id));
}
