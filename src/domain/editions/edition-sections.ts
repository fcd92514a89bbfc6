import type { Db } from '../../db/database.ts';

/** Every section with its name and slug in one edition ('' where the edition uses the section's own). */
export async function editionSectionNames(
  db: Db,
  editionId: string,
): Promise<Array<{ sectionId: string; sectionName: string; sectionSlug: string; name: string; slug: string }>> {
  const rows = await db
    .selectFrom('sections as s')
    .leftJoin('section_editions as se', (j) => j.onRef('se.section_id', '=', 's.id').on('se.edition_id', '=', editionId))
    .select(['s.id', 's.name', 's.slug', 'se.name as ed_name', 'se.slug as ed_slug'])
    .orderBy('s.position')
    .orderBy('s.name')
    .execute();
  return rows.map((r) => ({ sectionId: r.id, sectionName: r.name, sectionSlug: r.slug, name: r.ed_name ?? '', slug: r.ed_slug ?? '' }));
}
