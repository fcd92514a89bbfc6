import { listAuthors, type Author } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import { findImagesByIds, type Image } from '../media/image.ts';
import { listSections, type Section } from '../sections/section.ts';
import type { Tag } from '../tags/tag.ts';

/* The small lists apps need beside articles: sections, tags, authors, and single images. */

export async function listCatalogSections(deps: ServiceDeps): Promise<Section[]> {
  return listSections(deps.db);
}

export async function listCatalogAuthors(deps: ServiceDeps): Promise<Author[]> {
  return listAuthors(deps.db);
}

/** Tags by slug, one keyset page (`after` is the last slug of the previous page). */
export async function listCatalogTags(
  deps: ServiceDeps,
  page: { after?: string | null; limit: number },
): Promise<{ items: Tag[]; next: string | null }> {
  let q = deps.db.selectFrom('tags').select(['id', 'slug', 'name']);
  if (page.after) q = q.where('slug', '>', page.after);
  const rows = await q
    .orderBy('slug')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit);
  return { items, next: rows.length > page.limit ? items[items.length - 1]!.slug : null };
}

export async function getCatalogImage(deps: ServiceDeps, id: string): Promise<Image | null> {
  return (await findImagesByIds(deps.db, [id])).get(id) ?? null;
}
