import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { parseInput } from '../articles/article-service.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import { isSlug, toSlug } from '../slug.ts';
import { rowToAuthor, type Author } from './author.ts';
import { authorTag, TAXONOMY_TAG } from '../changes/cache-tags.ts';
import { visibleStoryTags } from '../changes/cache-tags-query.ts';
import { changeNaming, publishAfterCommit } from '../changes/content-change-publish.ts';

/*
 * Editors manage the people stories are bylined to (authors are not newsroom accounts: a
 * freelancer or an agency has a byline but no login). The public page /authors/<slug> lists
 * an author's published stories. A byline in use keeps its author: deleting is refused.
 */

const ONLY_EDITORS = 'Only editors and administrators manage authors.';

export const authorInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'enter a name').max(120, 'use at most 120 characters'),
  slug: z.string().trim().toLowerCase().max(120, 'use at most 120 characters').default(''),
  roleTitle: z.string().trim().max(120, 'use at most 120 characters').default(''),
  bio: z.string().trim().max(2000, 'use at most 2,000 characters').default(''),
  /** An image id from the media library; empty for none. */
  photoImageId: z.string().trim().default(''),
});
export type AuthorInput = z.input<typeof authorInputSchema>;

export interface AuthorSummary extends Author {
  /** Stories bylined to the author, any status. */
  storyCount: number;
}

async function findRow(db: Db, id: string) {
  const row = isId(id) ? await db.selectFrom('authors').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError('There is no such author.');
  return row;
}

async function bylineCount(db: Db, authorId: string): Promise<number> {
  const row = await db
    .selectFrom('article_authors')
    .select(sql<number>`count(*)`.as('n'))
    .where('author_id', '=', authorId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Validates the input and resolves slug and photo (which must be in the media library). */
async function checked(db: Db, input: AuthorInput, exceptId?: string) {
  const data = parseInput(authorInputSchema, input);
  const slug = data.slug || toSlug(data.name);
  if (!isSlug(slug))
    throw new ValidationError('slug: use lower-case letters, digits and single hyphens (for example "jane-doe")', [
      { path: 'slug', message: 'not a slug' },
    ]);
  let q = db.selectFrom('authors').select('name').where('slug', '=', slug);
  if (exceptId) q = q.where('id', '<>', exceptId);
  const other = await q.executeTakeFirst();
  if (other) throw new ConflictError(`The author "${other.name}" already has the address /authors/${slug}; choose another slug.`);
  const photo = data.photoImageId || null;
  if (photo && !(isId(photo) && (await db.selectFrom('images').select('id').where('id', '=', photo).executeTakeFirst()))) {
    throw new ValidationError('photoImageId: no image in the media library has this id; choose one from the list', [
      { path: 'photoImageId', message: 'unknown image' },
    ]);
  }
  return { name: data.name, slug, role_title: data.roleTitle, bio: data.bio, photo_image_id: photo };
}

/** All authors by name, with byline counts. */
export async function listAuthorSummaries(deps: ServiceDeps, actor: Actor): Promise<AuthorSummary[]> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const [rows, counts] = await Promise.all([
    deps.db.selectFrom('authors').selectAll().orderBy('name').execute(),
    deps.db
      .selectFrom('article_authors')
      .select(['author_id', sql<number>`count(*)`.as('n')])
      .groupBy('author_id')
      .execute(),
  ]);
  const byId = new Map(counts.map((c) => [c.author_id, Number(c.n)]));
  return rows.map((r) => ({ ...rowToAuthor(r), storyCount: byId.get(r.id) ?? 0 }));
}

export async function getAuthorSummary(deps: ServiceDeps, actor: Actor, id: string): Promise<AuthorSummary> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const row = await findRow(deps.db, id);
  return { ...rowToAuthor(row), storyCount: await bylineCount(deps.db, id) };
}

export async function createAuthorAsEditor(deps: ServiceDeps, actor: Actor, input: AuthorInput): Promise<Author> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  return withTransaction(deps.db, async (trx) => {
    const row = { id: newId(), ...(await checked(trx, input)), created_at: deps.clock().toISOString() };
    await trx.insertInto('authors').values(row).execute();
    publishAfterCommit(deps, trx, changeNaming('author.create', [TAXONOMY_TAG, authorTag(row.id)]));
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'author.created',
      subjectType: 'author',
      subjectId: row.id,
      details: { name: row.name, slug: row.slug },
    });
    return rowToAuthor(row);
  });
}

/** Updates an author; a new slug moves the public page (the old address answers 404). */
export async function updateAuthorAsEditor(deps: ServiceDeps, actor: Actor, id: string, input: AuthorInput): Promise<Author> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  return withTransaction(deps.db, async (trx) => {
    const before = await findRow(trx, id);
    const after = await checked(trx, input, id);
    await trx.updateTable('authors').set(after).where('id', '=', id).execute();
    // The author's page and lists, and every story whose byline renders from this row.
    const stories = await visibleStoryTags(trx, { authorId: id }, deps.clock().toISOString());
    publishAfterCommit(deps, trx, changeNaming('author.update', [TAXONOMY_TAG, authorTag(id)], stories));
    const changed = (Object.keys(after) as Array<keyof typeof after>).filter((k) => after[k] !== before[k]);
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'author.updated',
      subjectType: 'author',
      subjectId: id,
      details: { name: after.name, slug: after.slug, changed },
    });
    return rowToAuthor({ ...before, ...after });
  });
}

/** Deletes an author no story is bylined to; otherwise a 409 naming the count. */
export async function deleteAuthorAsEditor(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  await withTransaction(deps.db, async (trx) => {
    const row = await findRow(trx, id);
    const used = await bylineCount(trx, id);
    if (used > 0)
      throw new ConflictError(
        `${row.name} is in the byline of ${used} ${used === 1 ? 'story' : 'stories'} (drafts included). Remove the byline first.`,
      );
    await trx.deleteFrom('authors').where('id', '=', id).execute();
    publishAfterCommit(deps, trx, changeNaming('author.delete', [TAXONOMY_TAG, authorTag(id)]));
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'author.deleted',
      subjectType: 'author',
      subjectId: id,
      details: { name: row.name, slug: row.slug },
    });
  });
}
