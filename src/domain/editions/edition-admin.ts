import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { languageSchema } from '../articles/article-schemas.ts';
import { parseInput } from '../articles/article-service.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { clearEverything } from '../changes/content-change.ts';
import { publishAfterCommit } from '../changes/content-change-publish.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { RESERVED_SECTION_SLUGS } from '../sections/section.ts';
import { isSlug } from '../slug.ts';
import { rowToEdition, type Edition } from './edition.ts';
import { editionDirectory } from './edition-directory.ts';

/*
 * Administrators manage the editions. An edition changes every public address it serves and
 * the lists every other edition shows (the default lists what no other edition claims), so any
 * change drops every cached page (a clear) rather than guessing which.
 */

const ONLY_ADMINS = 'Only administrators manage editions.';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `use at most ${max} characters`)
    .default('')
    .transform((v) => v || null);

export const editionInputSchema = z.strictObject({
  code: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{2,8}(?:-[a-z0-9]{1,8})*$/, 'use a short code such as "fr" or "pt-br"'),
  language: languageSchema,
  locale: z
    .string()
    .trim()
    .refine((v) => {
      try {
        return Intl.getCanonicalLocales(v).length === 1;
      } catch {
        return false;
      }
    }, 'must be a locale such as "fr-FR"'),
  direction: z.enum(['ltr', 'rtl'], { error: 'choose left-to-right or right-to-left' }),
  name: z.string().trim().min(1, 'enter a name').max(80, 'use at most 80 characters'),
  siteName: optionalText(120),
  /** Empty for the default edition or one on its own host. */
  pathPrefix: optionalText(40).refine((v) => v === null || isSlug(v), 'use lower-case letters, digits and hyphens, such as "fr"'),
  host: optionalText(253).refine(
    (v) =>
      v === null || /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?$/.test(v),
    'enter a host name such as "fr.example.com"',
  ),
  isDefault: z.boolean().default(false),
  position: z.coerce.number({ error: 'enter a whole number' }).int('enter a whole number').min(0).max(9999).default(0),
});
export type EditionInput = z.input<typeof editionInputSchema>;
type EditionData = z.output<typeof editionInputSchema>;

function checkAddress(data: EditionData): void {
  if (data.isDefault && (data.pathPrefix || data.host)) {
    throw new ValidationError('pathPrefix: the default edition keeps the site’s own addresses; leave the prefix and host empty', [
      { path: 'pathPrefix', message: 'default edition has no prefix' },
    ]);
  }
  if (!data.isDefault && !data.pathPrefix && !data.host) {
    throw new ValidationError('pathPrefix: give the edition a path prefix (such as "fr") or a host of its own', [
      { path: 'pathPrefix', message: 'required' },
    ]);
  }
  if (data.pathPrefix && RESERVED_SECTION_SLUGS.has(data.pathPrefix)) {
    throw new ValidationError(`pathPrefix: "/${data.pathPrefix}/" is an address the site uses itself; choose another`, [
      { path: 'pathPrefix', message: 'reserved' },
    ]);
  }
}

async function assertFree(db: Db, data: EditionData, exceptId?: string): Promise<void> {
  const others = (await db.selectFrom('editions').selectAll().execute()).filter((r) => r.id !== exceptId).map(rowToEdition);
  const clash =
    others.find((e) => e.code === data.code) ??
    others.find((e) => e.language.toLowerCase() === data.language.toLowerCase()) ??
    (data.pathPrefix ? others.find((e) => e.pathPrefix === data.pathPrefix) : undefined) ??
    (data.host ? others.find((e) => e.host === data.host) : undefined) ??
    (data.isDefault ? others.find((e) => e.isDefault) : undefined);
  if (clash) throw new ConflictError(`The edition "${clash.name}" already uses that code, language, address or the default place.`);
  if (data.pathPrefix) {
    const section = await db.selectFrom('sections').select('name').where('slug', '=', data.pathPrefix).executeTakeFirst();
    if (section)
      throw new ConflictError(`The section "${section.name}" already uses the address /${data.pathPrefix}; choose another prefix.`);
  }
}

async function findRow(db: Db, id: string) {
  const row = await db.selectFrom('editions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('There is no such edition.');
  return row;
}

function rowValues(data: EditionData) {
  return {
    code: data.code,
    language: data.language,
    locale: Intl.getCanonicalLocales(data.locale)[0]!,
    direction: data.direction,
    name: data.name,
    site_name: data.siteName,
    path_prefix: data.pathPrefix,
    host: data.host,
    is_default: data.isDefault ? 1 : 0,
    position: data.position,
  };
}

/** What changed between two versions of an edition, for the audit entry. */
function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  return Object.fromEntries(
    Object.keys(after)
      .filter((k) => after[k] !== before[k])
      .map((k) => [k, { from: before[k], to: after[k] }]),
  );
}

export async function listEditionsAsAdmin(deps: ServiceDeps, actor: Actor): Promise<Edition[]> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  return (await deps.db.selectFrom('editions').selectAll().orderBy('position').orderBy('code').execute()).map(rowToEdition);
}

export async function getEditionAsAdmin(deps: ServiceDeps, actor: Actor, id: string): Promise<Edition> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  return rowToEdition(await findRow(deps.db, id));
}

/** After any edition change: this node's directory at once, every page cache dropped. */
function afterChange(deps: ServiceDeps, trx: Db, afterCommit: (fn: () => Promise<void>) => void, cause: string) {
  // Awaited before the request answers: the next request is routed with the new editions.
  afterCommit(() => editionDirectory(deps.db).invalidate());
  publishAfterCommit(deps, trx, clearEverything(cause));
}

export async function createEditionAsAdmin(deps: ServiceDeps, actor: Actor, input: EditionInput): Promise<Edition> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const data = parseInput(editionInputSchema, input);
  checkAddress(data);
  const now = deps.clock().toISOString();
  const row = { id: newId(), ...rowValues(data), created_at: now, updated_at: now };
  await withTransaction(deps.db, async (trx, afterCommit) => {
    await assertFree(trx, data);
    await trx.insertInto('editions').values(row).execute();
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'edition.created',
      subjectType: 'edition',
      subjectId: row.id,
      details: rowValues(data),
    });
    afterChange(deps, trx, afterCommit, 'edition.create');
  });
  return rowToEdition(row);
}

export async function updateEditionAsAdmin(deps: ServiceDeps, actor: Actor, id: string, input: EditionInput): Promise<Edition> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const data = parseInput(editionInputSchema, input);
  checkAddress(data);
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const before = await findRow(trx, id);
    await assertFree(trx, data, id);
    const values = rowValues(data);
    await trx
      .updateTable('editions')
      .set({ ...values, updated_at: deps.clock().toISOString() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'edition.updated',
      subjectType: 'edition',
      subjectId: id,
      details: diff(before, values),
    });
    afterChange(deps, trx, afterCommit, 'edition.update');
    return rowToEdition({ ...before, ...values });
  });
}

/** Deletes an edition other than the default; its stories then belong to the default edition. */
export async function deleteEditionAsAdmin(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const row = await findRow(trx, id);
    if (Number(row.is_default) === 1) throw new ConflictError('The default edition cannot be deleted.');
    await trx.deleteFrom('editions').where('id', '=', id).execute();
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'edition.deleted',
      subjectType: 'edition',
      subjectId: id,
      details: { code: row.code, name: row.name },
    });
    afterChange(deps, trx, afterCommit, 'edition.delete');
  });
}

const sectionNameSchema = z.strictObject({
  sectionId: z.string().min(1),
  name: z.string().trim().max(80, 'use at most 80 characters'),
  slug: z.string().trim().toLowerCase().max(120, 'use at most 120 characters'),
});

/**
 * Sets the sections' names and slugs in one edition (an empty name leaves the section under
 * its own name and slug there). Slugs are unique within the edition.
 */
export async function setEditionSectionNames(
  deps: ServiceDeps,
  actor: Actor,
  editionId: string,
  input: ReadonlyArray<z.input<typeof sectionNameSchema>>,
): Promise<void> {
  assertRole(actor, 'admin', ONLY_ADMINS);
  const entries = input.map((e) => parseInput(sectionNameSchema, e));
  const named = entries.filter((e) => e.name);
  for (const e of named) {
    if (!isSlug(e.slug) || RESERVED_SECTION_SLUGS.has(e.slug)) {
      throw new ValidationError(`slug: "${e.slug}" cannot be a section address; use lower-case letters, digits and hyphens`, [
        { path: 'slug', message: 'not a slug' },
      ]);
    }
  }
  const slugs = named.map((e) => e.slug);
  if (new Set(slugs).size !== slugs.length) throw new ConflictError('Two sections cannot share an address in one edition.');
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const edition = await findRow(trx, editionId);
    const known = new Set((await trx.selectFrom('sections').select('id').execute()).map((r) => r.id));
    const unknown = entries.find((e) => !known.has(e.sectionId));
    if (unknown) throw new ValidationError('sectionId: no such section', [{ path: 'sectionId', message: 'unknown section' }]);
    await trx.deleteFrom('section_editions').where('edition_id', '=', editionId).execute();
    if (named.length) {
      await trx
        .insertInto('section_editions')
        .values(named.map((e) => ({ section_id: e.sectionId, edition_id: editionId, name: e.name, slug: e.slug })))
        .execute();
    }
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'edition.sections_named',
      subjectType: 'edition',
      subjectId: editionId,
      details: { code: edition.code, sections: named.map((e) => ({ id: e.sectionId, name: e.name, slug: e.slug })) },
    });
    afterChange(deps, trx, afterCommit, 'edition.sections');
  });
}
