import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SectionTable } from '../../db/schema.ts';
import { preparedQuery } from '../../db/prepared.ts';
import { newId } from '../ids.ts';
import { toSlug } from '../slug.ts';
import { ValidationError } from '../errors.ts';

export interface Section {
  id: string;
  slug: string;
  name: string;
  description: string;
  position: number;
}

/** Paths the site owns; a section may not take them. */
export const RESERVED_SECTION_SLUGS = new Set([
  'authors',
  'tags',
  'newsroom',
  'api',
  'media',
  'static',
  'search',
  'feed',
  'feeds',
  'sitemap',
  'health',
  'robots',
  'favicon',
  'comments',
]);

export function rowToSection(row: Selectable<SectionTable>): Section {
  return { id: row.id, slug: row.slug, name: row.name, description: row.description, position: row.position };
}

const selectSections = preparedQuery<[], Selectable<SectionTable>>((db) =>
  db.selectFrom('sections').selectAll().orderBy('position').orderBy('name'),
);

export async function listSections(db: Db): Promise<Section[]> {
  return (await selectSections(db)).map(rowToSection);
}

export async function findSectionBySlug(db: Db, slug: string): Promise<Section | null> {
  const row = await db.selectFrom('sections').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? rowToSection(row) : null;
}

export async function createSection(
  db: Db,
  input: { name: string; slug?: string; description?: string; position?: number },
  now: Date,
): Promise<Section> {
  const slug = input.slug ?? toSlug(input.name);
  if (RESERVED_SECTION_SLUGS.has(slug)) throw new ValidationError(`The section slug "${slug}" is reserved by the site; choose another.`);
  const row = {
    id: newId(),
    slug,
    name: input.name.trim(),
    description: input.description ?? '',
    position: input.position ?? 0,
    created_at: now.toISOString(),
  };
  await db.insertInto('sections').values(row).execute();
  return rowToSection(row);
}
