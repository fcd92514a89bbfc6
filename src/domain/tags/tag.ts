import { sql, type RawBuilder } from 'kysely';
import type { Db, DialectName } from '../../db/database.ts';
import { jsonRows, readJsonRows } from '../../db/json-rows.ts';
import { preparedByIds, preparedQuery } from '../../db/prepared.ts';
import { newId } from '../ids.ts';
import { toSlug } from '../slug.ts';

export interface Tag {
  id: string;
  slug: string;
  name: string;
}

// Every tag page and tag-filtered search starts here: precompiled (db/prepared.ts).
const selectTagBySlug = preparedQuery<[slug: string], Tag>((db, slug) =>
  db.selectFrom('tags').select(['id', 'slug', 'name']).where('slug', '=', slug),
);

export async function findTagBySlug(db: Db, slug: string): Promise<Tag | null> {
  const [row] = await selectTagBySlug(db, slug);
  return row ?? null;
}

const selectArticleTags = preparedQuery<[articleId: string], Tag>((db, articleId) =>
  db
    .selectFrom('article_tags as at')
    .innerJoin('tags as t', 't.id', 'at.tag_id')
    .select(['t.id', 't.slug', 't.name'])
    .where('at.article_id', '=', articleId)
    .orderBy('at.position'),
);

/** The tags of the story whose id is in `articleIdColumn`, in the editor's order, as one JSON value of the row that reads the story (db/json-rows.ts). */
export function tagsOf(dialect: DialectName, articleIdColumn: string): RawBuilder<unknown> {
  return jsonRows(
    dialect,
    ['t.id', 't.slug', 't.name'],
    sql`article_tags as at join tags as t on t.id = at.tag_id where at.article_id = ${sql.ref(articleIdColumn)}`,
    'at.position',
  );
}

export function parseTags(value: unknown): Tag[] {
  return readJsonRows<[string, string, string]>(value).map(([id, slug, name]) => ({ id, slug, name }));
}

/** One article's tags, in the editor's order. */
export async function tagsForArticle(db: Db, articleId: string): Promise<Tag[]> {
  return selectArticleTags(db, articleId);
}

/** Tags by id, in the order given (unknown ids skipped). */
export async function findTagsByIds(db: Db, ids: readonly string[]): Promise<Tag[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('tags')
    .select(['id', 'slug', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Tags of several articles at once, in the order the editor gave them. */
// Every list, feed and search page reads tags: precompiled.
const selectTagsOf = preparedByIds((db, ids) =>
  db
    .selectFrom('article_tags as at')
    .innerJoin('tags as t', 't.id', 'at.tag_id')
    .select(['t.id', 't.slug', 't.name', 'at.article_id'])
    .where('at.article_id', 'in', ids)
    .orderBy('at.article_id')
    .orderBy('at.position'),
);

export async function tagsForArticles(db: Db, articleIds: readonly string[]): Promise<Map<string, Tag[]>> {
  const out = new Map<string, Tag[]>();
  if (!articleIds.length) return out;
  const rows = await selectTagsOf(db, articleIds);
  for (const { article_id, ...tag } of rows) {
    const list = out.get(article_id) ?? [];
    list.push(tag);
    out.set(article_id, list);
  }
  return out;
}

/** Finds tags by name (case-insensitive slug match) or creates them; returns them in input order. */
export async function ensureTags(db: Db, names: readonly string[], now: Date): Promise<Tag[]> {
  const out: Tag[] = [];
  for (const name of names) {
    const slug = toSlug(name);
    const existing = await findTagBySlug(db, slug);
    if (existing) {
      out.push(existing);
      continue;
    }
    // Another transaction (a simultaneous import or save) may create the same tag: yield to its
    // row instead of failing on the unique slug, then read whichever row won.
    await db
      .insertInto('tags')
      .values({ id: newId(), slug, name: name.trim(), created_at: now.toISOString() })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
    const tag = await findTagBySlug(db, slug);
    if (!tag) throw new Error(`tag ${slug} neither inserted nor found`);
    out.push(tag);
  }
  return out;
}
