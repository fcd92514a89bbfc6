import { findAuthorBySlug, type Author } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import { findSectionBySlug, listSections, type Section } from '../sections/section.ts';
import { isSlug } from '../slug.ts';
import { findTagBySlug, type Tag } from '../tags/tag.ts';
import { decodeCursor, encodeCursor } from '../articles/cursor.ts';
import { listPublishedTeasers, type Teaser, type TeaserFilter } from './article-teasers.ts';
import type { EditionScope } from '../editions/edition.ts';

export const FRONT_PAGE_SIZE = 20;

export interface TeaserPage {
  items: Teaser[];
  /** Cursor for the next (older) page, if there is one. */
  olderCursor: string | null;
  isFirstPage: boolean;
}

export interface HomeFront {
  lead: Teaser | null;
  latest: Teaser[];
  sections: Array<{ section: Section; items: Teaser[] }>;
}

/** Home: the newest story leads, then the latest list, then a block per section. */
export async function getHomeFront(deps: ServiceDeps, edition: EditionScope = {}): Promise<HomeFront> {
  const nowIso = deps.clock().toISOString();
  const [{ items }, sections] = await Promise.all([
    listPublishedTeasers(deps.db, { edition }, { limit: 9 }, nowIso),
    listSections(deps.db),
  ]);
  const lead = items[0] ?? null;
  const shown = items.map((t) => t.id);
  const blocks = await Promise.all(
    sections.map(async (section) => ({
      section,
      items: (await listPublishedTeasers(deps.db, { edition, sectionId: section.id, excludeIds: shown }, { limit: 4 }, nowIso)).items,
    })),
  );
  return { lead, latest: items.slice(1), sections: blocks.filter((b) => b.items.length > 0) };
}

/** One page of a list; `before` is the reader-supplied cursor (null when absent). Invalid cursors → null result. */
async function teaserPage(deps: ServiceDeps, filter: TeaserFilter, before: string | undefined): Promise<TeaserPage | null> {
  const cursor = before === undefined ? null : decodeCursor(before);
  if (before !== undefined && !cursor) return null;
  const { items, hasMore } = await listPublishedTeasers(
    deps.db,
    filter,
    { before: cursor, limit: FRONT_PAGE_SIZE },
    deps.clock().toISOString(),
  );
  if (cursor && items.length === 0) return null;
  const last = items[items.length - 1];
  return {
    items,
    olderCursor: hasMore && last ? encodeCursor({ publishedAt: last.publishedAt, id: last.id }) : null,
    isFirstPage: !cursor,
  };
}

export async function getSectionFront(
  deps: ServiceDeps,
  slug: string,
  before?: string,
  edition: EditionScope = {},
): Promise<{ section: Section; page: TeaserPage } | null> {
  if (!isSlug(slug)) return null;
  const section = await findSectionBySlug(deps.db, slug);
  if (!section) return null;
  const page = await teaserPage(deps, { edition, sectionId: section.id }, before);
  return page ? { section, page } : null;
}

export async function getTagFront(
  deps: ServiceDeps,
  slug: string,
  before?: string,
  edition: EditionScope = {},
): Promise<{ tag: Tag; page: TeaserPage } | null> {
  if (!isSlug(slug)) return null;
  const tag = await findTagBySlug(deps.db, slug);
  if (!tag) return null;
  const page = await teaserPage(deps, { edition, tagId: tag.id }, before);
  return page ? { tag, page } : null;
}

export async function getAuthorFront(
  deps: ServiceDeps,
  slug: string,
  before?: string,
  edition: EditionScope = {},
): Promise<{ author: Author; page: TeaserPage } | null> {
  if (!isSlug(slug)) return null;
  const author = await findAuthorBySlug(deps.db, slug);
  if (!author) return null;
  const page = await teaserPage(deps, { edition, authorId: author.id }, before);
  return page ? { author, page } : null;
}
