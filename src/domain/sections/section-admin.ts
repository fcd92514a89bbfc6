import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { queueAfterCommit, withTransaction } from '../../db/transaction.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { parseInput } from '../articles/article-service.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { isSlug, toSlug } from '../slug.ts';
import { RESERVED_SECTION_SLUGS, rowToSection, type Section } from './section.ts';
import { sectionDirectory } from './section-directory.ts';
import { CHROME_TAG, sectionTag, TAXONOMY_TAG } from '../changes/cache-tags.ts';
import { visibleStoryTags } from '../changes/cache-tags-query.ts';
import { changeNaming, publishAfterCommit } from '../changes/content-change-publish.ts';

/*
 * Editors manage the site's sections. A section's slug is the first segment of every story
 * address in it, so once a story in it has been published the slug is frozen (refused with a
 * clear message, rather than silently breaking links or fanning out redirects); the name,
 * description and position can always change. A section is deleted only when empty.
 */

const ONLY_EDITORS = 'Only editors and administrators manage sections.';

export const sectionInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'enter a name').max(80, 'use at most 80 characters'),
  /** Empty means "from the name". */
  slug: z.string().trim().toLowerCase().max(120, 'use at most 120 characters').default(''),
  description: z.string().trim().max(500, 'use at most 500 characters').default(''),
  position: z.coerce
    .number({ error: 'enter a whole number' })
    .int('enter a whole number')
    .min(0, 'use 0 or more')
    .max(9999, 'use at most 9999')
    .default(0),
});
export type SectionInput = z.input<typeof sectionInputSchema>;

/** A section as the newsroom lists it, with how many stories are filed in it. */
export interface SectionSummary extends Section {
  storyCount: number;
  publishedCount: number;
}

function slugFor(data: z.output<typeof sectionInputSchema>): string {
  const slug = data.slug || toSlug(data.name);
  if (!isSlug(slug))
    throw new ValidationError('slug: use lower-case letters, digits and single hyphens (for example "world-news")', [
      { path: 'slug', message: 'not a slug' },
    ]);
  if (RESERVED_SECTION_SLUGS.has(slug)) {
    throw new ValidationError(`slug: "${slug}" is an address the site uses itself; choose another`, [
      { path: 'slug', message: 'reserved' },
    ]);
  }
  return slug;
}

async function assertSlugFree(db: Db, slug: string, exceptId?: string): Promise<void> {
  let q = db.selectFrom('sections').select(['id', 'name']).where('slug', '=', slug);
  if (exceptId) q = q.where('id', '<>', exceptId);
  const other = await q.executeTakeFirst();
  if (other) throw new ConflictError(`The section "${other.name}" already uses the address /${slug}; choose another slug.`);
}

async function counts(db: Db, sectionId?: string) {
  let q = db
    .selectFrom('articles')
    .select([
      'section_id',
      sql<number>`count(*)`.as('stories'),
      sql<number>`sum(case when published_at is not null then 1 else 0 end)`.as('published'),
    ])
    .groupBy('section_id');
  if (sectionId) q = q.where('section_id', '=', sectionId);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.section_id, { storyCount: Number(r.stories), publishedCount: Number(r.published ?? 0) }]));
}

async function findRow(db: Db, id: string) {
  const row = await db.selectFrom('sections').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('There is no such section.');
  return row;
}

/** Every section in navigation order, with story counts. */
export async function listSectionSummaries(deps: ServiceDeps, actor: Actor): Promise<SectionSummary[]> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const [rows, byId] = await Promise.all([
    deps.db.selectFrom('sections').selectAll().orderBy('position').orderBy('name').execute(),
    counts(deps.db),
  ]);
  return rows.map((r) => ({ ...rowToSection(r), ...(byId.get(r.id) ?? { storyCount: 0, publishedCount: 0 }) }));
}

export async function getSectionSummary(deps: ServiceDeps, actor: Actor, id: string): Promise<SectionSummary> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const row = await findRow(deps.db, id);
  return { ...rowToSection(row), ...((await counts(deps.db, id)).get(id) ?? { storyCount: 0, publishedCount: 0 }) };
}

/** Creates a section; it shows in the public navigation at once on this node (within seconds elsewhere). */
export async function createSectionAsEditor(deps: ServiceDeps, actor: Actor, input: SectionInput): Promise<Section> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const data = parseInput(sectionInputSchema, input);
  const slug = slugFor(data);
  const now = deps.clock().toISOString();
  const row = { id: newId(), slug, name: data.name, description: data.description, position: data.position, created_at: now };
  await withTransaction(deps.db, async (trx, afterCommit) => {
    await assertSlugFree(trx, slug);
    await trx.insertInto('sections').values(row).execute();
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'section.created',
      subjectType: 'section',
      subjectId: row.id,
      details: { name: row.name, slug },
    });
    afterCommit(() => sectionDirectory(deps.db).invalidate());
    // The navigation every page carries lists sections.
    publishAfterCommit(deps, trx, changeNaming('section.create', [CHROME_TAG, TAXONOMY_TAG, sectionTag(row.id)]));
  });
  return rowToSection(row);
}

/**
 * The first section of a site that has none, made by an import that has nowhere else to file
 * its story (any role that may import: there is nothing yet an editor could have chosen).
 * Runs in the import's transaction; a section with this slug that a simultaneous import created
 * is used instead (`on conflict do nothing` waits for that transaction on PostgreSQL).
 */
export async function createFirstSection(
  deps: ServiceDeps,
  trx: Transaction<Database>,
  actorUserId: string | null,
  input: { name: string; slug: string },
): Promise<{ section: Section; created: boolean }> {
  if (!isSlug(input.slug) || RESERVED_SECTION_SLUGS.has(input.slug)) {
    throw new ValidationError(`section: "${input.slug}" cannot be a section address; choose another slug.`, [
      { path: 'section', message: 'not a usable slug' },
    ]);
  }
  const row = { id: newId(), slug: input.slug, name: input.name, description: '', position: 0, created_at: deps.clock().toISOString() };
  const inserted = await trx
    .insertInto('sections')
    .values(row)
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await trx.selectFrom('sections').selectAll().where('slug', '=', input.slug).executeTakeFirstOrThrow();
    return { section: rowToSection(existing), created: false };
  }
  await recordAudit(trx, {
    at: deps.clock(),
    actorUserId,
    action: 'section.created',
    subjectType: 'section',
    subjectId: row.id,
    details: { name: row.name, slug: row.slug, by: 'import' },
  });
  queueAfterCommit(trx, () => sectionDirectory(deps.db).invalidate());
  publishAfterCommit(deps, trx, changeNaming('section.create', [CHROME_TAG, TAXONOMY_TAG, sectionTag(row.id)]));
  return { section: rowToSection(row), created: true };
}

/** Changes a section; a new slug is refused once a story in the section has been published. */
export async function updateSectionAsEditor(deps: ServiceDeps, actor: Actor, id: string, input: SectionInput): Promise<Section> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const data = parseInput(sectionInputSchema, input);
  const slug = slugFor(data);
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const before = await findRow(trx, id);
    if (slug !== before.slug) {
      await assertSlugFree(trx, slug, id);
      const published = (await counts(trx, id)).get(id)?.publishedCount ?? 0;
      if (published > 0) {
        throw new ConflictError(
          `The address /${before.slug} cannot change: ${published} published ${published === 1 ? 'story uses' : 'stories use'} it in ${published === 1 ? 'its' : 'their'} links. You can still rename the section; or create a new section and move the stories.`,
        );
      }
    }
    const after = { name: data.name, slug, description: data.description, position: data.position };
    await trx.updateTable('sections').set(after).where('id', '=', id).execute();
    const changed = Object.fromEntries(
      (Object.keys(after) as Array<keyof typeof after>)
        .filter((k) => after[k] !== before[k])
        .map((k) => [k, { from: before[k], to: after[k] }]),
    );
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'section.updated',
      subjectType: 'section',
      subjectId: id,
      details: changed,
    });
    afterCommit(() => sectionDirectory(deps.db).invalidate());
    // Navigation and the section's lists; a new name or address also shows on each of its
    // stories (HTML pages carry the chrome tag, but API items and feeds name the section too).
    const renamed = after.name !== before.name || after.slug !== before.slug;
    const stories = renamed ? await visibleStoryTags(trx, { sectionId: id }, deps.clock().toISOString()) : [];
    publishAfterCommit(deps, trx, changeNaming('section.update', [CHROME_TAG, TAXONOMY_TAG, sectionTag(id)], stories));
    return { id, ...after };
  });
}

/** Deletes an empty section; a section with stories (any status) is a 409 naming how many. */
export async function deleteSectionAsEditor(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const row = await findRow(trx, id);
    const used = (await counts(trx, id)).get(id)?.storyCount ?? 0;
    if (used > 0) {
      throw new ConflictError(
        `The section "${row.name}" still has ${used} ${used === 1 ? 'story' : 'stories'} (drafts included). Move or delete ${used === 1 ? 'it' : 'them'} first.`,
      );
    }
    await trx.deleteFrom('sections').where('id', '=', id).execute();
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'section.deleted',
      subjectType: 'section',
      subjectId: id,
      details: { name: row.name, slug: row.slug },
    });
    afterCommit(() => sectionDirectory(deps.db).invalidate());
    publishAfterCommit(deps, trx, changeNaming('section.delete', [CHROME_TAG, TAXONOMY_TAG, sectionTag(id)]));
  });
}
