import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { parseInput } from '../articles/article-service.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { isId } from '../ids.ts';
import { announceTagShownAnew } from '../tags/tag-admin.ts';
import { listEditions, type Edition } from './edition.ts';

/*
 * A tag's name per language edition, as sections have theirs: an editor names `Geneva talks`
 * `Pourparlers de Genève` for the French edition, whose tag page, story tag lists, JSON-LD
 * keywords and feeds then say so; an edition without a name shows the tag's own. Unlike
 * sections, a tag keeps its own address in every edition (tags are many and made as writers
 * type; per-edition slugs would need routing state for each). Names are read per page for
 * the few tags it shows, never held in memory: a site may have hundreds of thousands of tags.
 */

const ONLY_EDITORS = 'Only editors and administrators manage tags.';

/** The names `editionId` gives to some of `tagIds` (only those it named). */
export async function tagNamesInEdition(db: Db, editionId: string, tagIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(tagIds)];
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('tag_editions')
    .select(['tag_id', 'name'])
    .where('edition_id', '=', editionId)
    .where('tag_id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.tag_id, r.name]));
}

/** Tags as `edition` names them: its own name where the newsroom set one, else the tag's. The default edition uses the tags' own. */
export async function tagsInEdition<T extends { id: string; name: string }>(db: Db, edition: Edition, tags: readonly T[]): Promise<T[]> {
  if (edition.isDefault || !tags.length) return [...tags];
  const names = await tagNamesInEdition(
    db,
    edition.id,
    tags.map((t) => t.id),
  );
  return tags.map((t) => (names.has(t.id) ? { ...t, name: names.get(t.id)! } : t));
}

export interface TagNameInEdition {
  editionId: string;
  editionName: string;
  language: string;
  direction: Edition['direction'];
  /** '' where the edition shows the tag's own name. */
  name: string;
}

/** Every edition but the default (whose name is the tag's own) with the tag's name there, for the tag's newsroom page. */
export async function tagNamesByEdition(deps: ServiceDeps, actor: Actor, tagId: string): Promise<TagNameInEdition[]> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const editions = (await listEditions(deps.db)).filter((e) => !e.isDefault);
  if (!editions.length || !isId(tagId)) return [];
  const rows = await deps.db.selectFrom('tag_editions').select(['edition_id', 'name']).where('tag_id', '=', tagId).execute();
  const names = new Map(rows.map((r) => [r.edition_id, r.name]));
  return editions.map((e) => ({
    editionId: e.id,
    editionName: e.name,
    language: e.language,
    direction: e.direction,
    name: names.get(e.id) ?? '',
  }));
}

const tagNameSchema = z.strictObject({
  editionId: z.string().min(1),
  name: z.string().trim().max(80, 'use at most 80 characters'),
});
export type TagNameInput = z.input<typeof tagNameSchema>;

/**
 * Sets the tag's name in each edition given (an empty name: the tag's own there). Every page
 * showing the tag is dropped from the caches after commit, as a rename does.
 */
export async function setTagNamesInEditions(deps: ServiceDeps, actor: Actor, tagId: string, input: readonly TagNameInput[]): Promise<void> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const entries = input.map((e) => parseInput(tagNameSchema, e));
  await withTransaction(deps.db, async (trx) => {
    const tag = isId(tagId) ? await trx.selectFrom('tags').select(['id', 'name']).where('id', '=', tagId).executeTakeFirst() : undefined;
    if (!tag) throw new NotFoundError('There is no such tag.');
    const editions = new Set((await listEditions(trx)).filter((e) => !e.isDefault).map((e) => e.id));
    if (entries.some((e) => !editions.has(e.editionId)))
      throw new ValidationError('editionId: no such edition', [{ path: 'editionId', message: 'unknown edition' }]);
    const ids = entries.map((e) => e.editionId);
    if (ids.length) await trx.deleteFrom('tag_editions').where('tag_id', '=', tagId).where('edition_id', 'in', ids).execute();
    const named = entries.filter((e) => e.name);
    if (named.length)
      await trx
        .insertInto('tag_editions')
        .values(named.map((e) => ({ tag_id: tagId, edition_id: e.editionId, name: e.name })))
        .execute();
    await announceTagShownAnew(deps, trx, tagId, 'tag.editions');
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'tag.edition_names',
      subjectType: 'tag',
      subjectId: tagId,
      details: { name: tag.name, editions: entries.map((e) => ({ id: e.editionId, name: e.name })) },
    });
  });
}
