import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db, DialectName } from '../../db/database.ts';
import { jsonRows, readJsonRows } from '../../db/json-rows.ts';
import type { AuthorTable } from '../../db/schema.ts';
import { preparedByIds, preparedQuery } from '../../db/prepared.ts';
import { newId } from '../ids.ts';
import { toSlug } from '../slug.ts';

export interface Author {
  id: string;
  slug: string;
  name: string;
  bio: string;
  roleTitle: string;
  photoImageId: string | null;
}

/** An author as a byline in a list names them: who, and where their page is. */
export interface Byline {
  id: string;
  slug: string;
  name: string;
}

/** The bylines of the story whose id is in `articleIdColumn`, in order, as one JSON value of the row that reads the story (db/json-rows.ts). */
export function bylinesOf(dialect: DialectName, articleIdColumn: string): RawBuilder<unknown> {
  return jsonRows(dialect, ['au.id', 'au.slug', 'au.name'], authorsOfStory(articleIdColumn), 'aa.position');
}

export function parseBylines(value: unknown): Byline[] {
  return readJsonRows<[string, string, string]>(value).map(([id, slug, name]) => ({ id, slug, name }));
}

/** The story's authors in byline order, whole (an article page's byline shows roles), as `bylinesOf`. */
export function authorsOf(dialect: DialectName, articleIdColumn: string): RawBuilder<unknown> {
  return jsonRows(
    dialect,
    ['au.id', 'au.slug', 'au.name', 'au.bio', 'au.role_title', 'au.photo_image_id'],
    authorsOfStory(articleIdColumn),
    'aa.position',
  );
}

export function parseAuthors(value: unknown): Author[] {
  return readJsonRows<[string, string, string, string, string, string | null]>(value).map(
    ([id, slug, name, bio, roleTitle, photoImageId]) => ({ id, slug, name, bio, roleTitle, photoImageId }),
  );
}

function authorsOfStory(articleIdColumn: string): RawBuilder<unknown> {
  return sql`article_authors as aa join authors as au on au.id = aa.author_id where aa.article_id = ${sql.ref(articleIdColumn)}`;
}

export function rowToAuthor(row: Selectable<AuthorTable>): Author {
  return { id: row.id, slug: row.slug, name: row.name, bio: row.bio, roleTitle: row.role_title, photoImageId: row.photo_image_id };
}

export async function findAuthorBySlug(db: Db, slug: string): Promise<Author | null> {
  const row = await db.selectFrom('authors').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? rowToAuthor(row) : null;
}

export async function listAuthors(db: Db): Promise<Author[]> {
  return (await db.selectFrom('authors').selectAll().orderBy('name').execute()).map(rowToAuthor);
}

const selectBylines = preparedQuery<[articleId: string], Selectable<AuthorTable>>((db, articleId) =>
  db
    .selectFrom('article_authors as aa')
    .innerJoin('authors as a', 'a.id', 'aa.author_id')
    .selectAll('a')
    .where('aa.article_id', '=', articleId)
    .orderBy('aa.position'),
);

/** One article's bylines, in order. */
export async function authorsForArticle(db: Db, articleId: string): Promise<Author[]> {
  return (await selectBylines(db, articleId)).map(rowToAuthor);
}

// Every list, feed and search page reads bylines: precompiled.
const selectBylinesOf = preparedByIds((db, ids) =>
  db
    .selectFrom('article_authors as aa')
    .innerJoin('authors as a', 'a.id', 'aa.author_id')
    .selectAll('a')
    .select('aa.article_id')
    .where('aa.article_id', 'in', ids)
    .orderBy('aa.article_id')
    .orderBy('aa.position'),
);

/** Bylines of several articles at once, in byline order. */
export async function authorsForArticles(db: Db, articleIds: readonly string[]): Promise<Map<string, Author[]>> {
  const out = new Map<string, Author[]>();
  if (!articleIds.length) return out;
  const rows = await selectBylinesOf(db, articleIds);
  for (const row of rows) {
    const list = out.get(row.article_id) ?? [];
    list.push(rowToAuthor(row));
    out.set(row.article_id, list);
  }
  return out;
}

export async function createAuthor(
  db: Db,
  input: { name: string; slug?: string; bio?: string; roleTitle?: string; photoImageId?: string | null },
  now: Date,
): Promise<Author> {
  const row = {
    id: newId(),
    slug: input.slug ?? toSlug(input.name),
    name: input.name.trim(),
    bio: input.bio ?? '',
    role_title: input.roleTitle ?? '',
    photo_image_id: input.photoImageId ?? null,
    created_at: now.toISOString(),
  };
  await db.insertInto('authors').values(row).execute();
  return rowToAuthor(row);
}

/**
 * The author with this slug, created with `name` when there is none. Safe when several imports
 * name the same new person at once: the insert yields to a row another transaction created
 * (`on conflict do nothing` waits for that transaction on PostgreSQL), then the row is read.
 */
export async function findOrCreateAuthor(db: Db, name: string, slug: string, now: Date): Promise<Author> {
  const existing = await findAuthorBySlug(db, slug);
  if (existing) return existing;
  await db
    .insertInto('authors')
    .values({ id: newId(), slug, name: name.trim(), bio: '', role_title: '', photo_image_id: null, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  const author = await findAuthorBySlug(db, slug);
  if (!author) throw new Error(`author ${slug} neither inserted nor found`);
  return author;
}
