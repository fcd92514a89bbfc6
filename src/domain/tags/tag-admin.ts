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
import { isId } from '../ids.ts';
import { isSlug, toSlug } from '../slug.ts';
import type { Tag } from './tag.ts';
import { tagTag, TAXONOMY_TAG } from '../changes/cache-tags.ts';
import { visibleStoryTags } from '../changes/cache-tags-query.ts';
import { changeNaming, publishAfterCommit } from '../changes/content-change-publish.ts';

/*
 * Editors tidy the tags writers create as they type: rename, merge duplicates, delete unused
 * ones. A renamed tag's page moves to its new address and the old /tags/<slug> answers 404
 * (tags are cheap and search engines recrawl; keeping redirects would need a table for a rare
 * case). Merging moves every story to the surviving tag in one transaction.
 */

const ONLY_EDITORS = 'Only editors and administrators manage tags.';
const LIST_LIMIT = 200;

export interface TagSummary extends Tag {
  /** Stories carrying the tag, any status. */
  storyCount: number;
}

export const tagRenameSchema = z.strictObject({
  name: z.string().trim().min(1, 'enter a name').max(80, 'use at most 80 characters'),
  slug: z.string().trim().toLowerCase().max(120, 'use at most 120 characters').default(''),
});
export type TagRenameInput = z.input<typeof tagRenameSchema>;

const listQuerySchema = z.strictObject({ q: z.string().trim().max(100, 'q: use at most 100 characters').default('') });

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

async function findRow(db: Db, id: string): Promise<Tag & { created_at: string }> {
  const row = isId(id) ? await db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError('There is no such tag.');
  return row;
}

async function usage(db: Db, tagId: string): Promise<number> {
  const row = await db
    .selectFrom('article_tags')
    .select(sql<number>`count(*)`.as('n'))
    .where('tag_id', '=', tagId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Tags with their story counts, most used first; `q` matches name or slug (at most 200 shown). */
export async function listTagSummaries(deps: ServiceDeps, actor: Actor, input: { q?: string } = {}): Promise<TagSummary[]> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const { q } = parseInput(listQuerySchema, input);
  let query = deps.db
    .selectFrom('tags as t')
    .leftJoin('article_tags as at', 'at.tag_id', 't.id')
    .select(['t.id', 't.slug', 't.name', sql<number>`count(at.article_id)`.as('story_count')])
    .groupBy(['t.id', 't.slug', 't.name']);
  if (q) {
    const pattern = `%${escapeLike(q.toLowerCase())}%`;
    query = query.where((eb) =>
      eb.or([sql<boolean>`lower(t.name) like ${pattern} escape '\\'`, sql<boolean>`t.slug like ${pattern} escape '\\'`]),
    );
  }
  const rows = await query
    .orderBy(sql`count(at.article_id)`, 'desc')
    .orderBy('t.name')
    .limit(LIST_LIMIT)
    .execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, storyCount: Number(r.story_count) }));
}

export async function getTagSummary(deps: ServiceDeps, actor: Actor, id: string): Promise<TagSummary> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const row = await findRow(deps.db, id);
  return { id: row.id, slug: row.slug, name: row.name, storyCount: await usage(deps.db, id) };
}

/**
 * After commit, drops every page that shows the tag's name or link (its lists and each story
 * carrying it): a rename, or its name in an edition (domain/editions/edition-tags.ts).
 */
export async function announceTagShownAnew(deps: ServiceDeps, trx: Db, tagId: string, cause: string): Promise<void> {
  const stories = await visibleStoryTags(trx, { tagId }, deps.clock().toISOString());
  publishAfterCommit(deps, trx, changeNaming(cause, [TAXONOMY_TAG, tagTag(tagId)], stories));
}

/** Renames a tag (and its address if the slug changes); a slug another tag has is a 409 pointing at merge. */
export async function renameTag(deps: ServiceDeps, actor: Actor, id: string, input: TagRenameInput): Promise<Tag> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const data = parseInput(tagRenameSchema, input);
  const slug = data.slug || toSlug(data.name);
  if (!isSlug(slug))
    throw new ValidationError('slug: use lower-case letters, digits and single hyphens (for example "climate-change")', [
      { path: 'slug', message: 'not a slug' },
    ]);
  return withTransaction(deps.db, async (trx) => {
    const before = await findRow(trx, id);
    const other = await trx.selectFrom('tags').select('name').where('slug', '=', slug).where('id', '<>', id).executeTakeFirst();
    if (other)
      throw new ConflictError(`The tag "${other.name}" already has the address /tags/${slug}. To combine the two, merge this tag into it.`);
    await trx.updateTable('tags').set({ name: data.name, slug }).where('id', '=', id).execute();
    await announceTagShownAnew(deps, trx, id, 'tag.rename');
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'tag.renamed',
      subjectType: 'tag',
      subjectId: id,
      details: { from: { name: before.name, slug: before.slug }, to: { name: data.name, slug } },
    });
    return { id, name: data.name, slug };
  });
}

/**
 * Moves every story from `sourceId` to the tag `into` (its id, slug or name; a story that has
 * both keeps one) and deletes the source tag, all or nothing. Returns how many stories now
 * carry the target instead of the source.
 */
export async function mergeTags(deps: ServiceDeps, actor: Actor, sourceId: string, into: string): Promise<{ moved: number; target: Tag }> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const wanted = into.trim();
  if (!wanted) throw new ValidationError('into: enter the tag to merge into', [{ path: 'into', message: 'required' }]);
  return withTransaction(deps.db, async (trx) => {
    const source = await findRow(trx, sourceId);
    const target = await trx
      .selectFrom('tags')
      .select(['id', 'slug', 'name'])
      .where(isId(wanted) ? 'id' : 'slug', '=', isId(wanted) ? wanted : toSlug(wanted))
      .executeTakeFirst();
    if (!target)
      throw new ValidationError(`into: there is no tag "${wanted}"; choose one from the list`, [{ path: 'into', message: 'unknown tag' }]);
    if (target.id === source.id)
      throw new ValidationError('into: choose a different tag to merge into', [{ path: 'into', message: 'same tag' }]);
    const targetId = target.id;
    // Read before the move: the stories that showed the source tag now show the target.
    const stories = await visibleStoryTags(trx, { tagId: sourceId }, deps.clock().toISOString());
    publishAfterCommit(deps, trx, changeNaming('tag.merge', [TAXONOMY_TAG, tagTag(sourceId), tagTag(targetId)], stories));
    // Stories already carrying the target just lose the source row; the others move over.
    const both = trx.selectFrom('article_tags as t2').select('t2.article_id').where('t2.tag_id', '=', targetId);
    const dropped = await trx.deleteFrom('article_tags').where('tag_id', '=', sourceId).where('article_id', 'in', both).executeTakeFirst();
    const moved = await trx.updateTable('article_tags').set({ tag_id: targetId }).where('tag_id', '=', sourceId).executeTakeFirst();
    await trx.deleteFrom('tags').where('id', '=', sourceId).execute();
    const details = {
      from: { name: source.name, slug: source.slug },
      into: { id: target.id, name: target.name, slug: target.slug },
      moved: Number(moved.numUpdatedRows),
      alreadyTagged: Number(dropped.numDeletedRows),
    };
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'tag.merged',
      subjectType: 'tag',
      subjectId: sourceId,
      details,
    });
    return { moved: details.moved + details.alreadyTagged, target };
  });
}

/** Deletes a tag no story carries; otherwise a 409 naming the count (merge it instead). */
export async function deleteTag(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  await withTransaction(deps.db, async (trx) => {
    const row = await findRow(trx, id);
    const used = await usage(trx, id);
    if (used > 0)
      throw new ConflictError(
        `The tag "${row.name}" is on ${used} ${used === 1 ? 'story' : 'stories'}. Remove it from ${used === 1 ? 'that story' : 'them'} or merge it into another tag.`,
      );
    await trx.deleteFrom('tags').where('id', '=', id).execute();
    publishAfterCommit(deps, trx, changeNaming('tag.delete', [TAXONOMY_TAG, tagTag(id)]));
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'tag.deleted',
      subjectType: 'tag',
      subjectId: id,
      details: { name: row.name, slug: row.slug },
    });
  });
}
