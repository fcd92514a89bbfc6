import { findAuthorBySlug, type Author } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import { findSectionBySlug, listSections, type Section } from '../sections/section.ts';
import { isSlug } from '../slug.ts';
import { findTagBySlug, type Tag } from '../tags/tag.ts';
import { decodeCursor, encodeCursor } from '../articles/cursor.ts';
import { listPublishedTeasers, type Teaser, type TeaserFilter } from './article-teasers.ts';
import { frontArrangementCache } from '../fronts/front-arrangement-cache.ts';
import { frontKeyFor, type Arrangement, type FrontKey } from '../fronts/front-arrangement.ts';
import { arrangeFront, type ArrangedBlock, type ArrangedFront } from './arranged-front.ts';
import { withLiveCoverage } from '../live/live-teaser.ts';
import type { EditionScope } from '../editions/edition.ts';

export const FRONT_PAGE_SIZE = 20;

export interface TeaserPage {
  items: Teaser[];
  /** Cursor for the next (older) page, if there is one. */
  olderCursor: string | null;
  isFirstPage: boolean;
}

/** An arrangement shown instead of the one in force: the newsroom's preview (never cached). */
export interface ArrangementPreview {
  arrangement: Arrangement;
  version: number;
}

export interface HomeFront {
  /** The front's arrangement key (its edition's home): pages carry it so a new arrangement drops them. */
  frontKey: FrontKey;
  lead: Teaser | null;
  latest: Teaser[];
  sections: Array<{ section: Section; items: Teaser[] }>;
  /** Set when an editor's arrangement is in force: `lead` and `latest` (top stories) come from it, and its named blocks. */
  arranged?: { version: number; blocks: ArrangedBlock[]; pinnedIds: string[] };
}

/**
 * Home: the newest story leads, then the latest list, then a block per section; under an
 * editor's arrangement (domain/fronts/), its lead, top stories and named blocks come first.
 * Each language edition has its own arrangement (its key names the edition's language), filled
 * from the edition's own stories.
 */
export async function getHomeFront(deps: ServiceDeps, edition: EditionScope = {}, preview?: ArrangementPreview): Promise<HomeFront> {
  const nowIso = deps.clock().toISOString();
  const frontKey = frontKeyFor(null, edition.language);
  const inForce = preview ?? (await frontArrangementCache(deps.db).inForce(frontKey, nowIso));
  if (inForce)
    return arrangedHomeFront(
      deps,
      frontKey,
      await arrangeFront(deps.db, inForce.arrangement, inForce.version, null, nowIso, edition),
      nowIso,
      edition,
    );
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
  // Live blogs show their newest entry (teasers are fresh objects, marked in place).
  await withLiveCoverage(deps.db, [...items, ...blocks.flatMap((b) => b.items)], nowIso);
  return { frontKey, lead, latest: items.slice(1), sections: blocks.filter((b) => b.items.length > 0) };
}

async function arrangedHomeFront(
  deps: ServiceDeps,
  frontKey: FrontKey,
  arranged: ArrangedFront,
  nowIso: string,
  edition: EditionScope,
): Promise<HomeFront> {
  const sections = await listSections(deps.db);
  const blocks = await Promise.all(
    sections.map(async (section) => ({
      section,
      items: (await listPublishedTeasers(deps.db, { edition, sectionId: section.id, excludeIds: arranged.shownIds }, { limit: 4 }, nowIso))
        .items,
    })),
  );
  await withLiveCoverage(deps.db, [...arrangedTeasers(arranged), ...blocks.flatMap((b) => b.items)], nowIso);
  return {
    frontKey,
    lead: arranged.lead,
    latest: arranged.top,
    sections: blocks.filter((b) => b.items.length > 0),
    arranged: { version: arranged.version, blocks: arranged.blocks, pinnedIds: arranged.pinnedIds },
  };
}

/** Every teaser an arrangement shows (lead, top stories, named blocks). */
function arrangedTeasers(arranged: ArrangedFront): Teaser[] {
  return [...(arranged.lead ? [arranged.lead] : []), ...arranged.top, ...arranged.blocks.flatMap((b) => b.items)];
}

/** One page of a list; `before` is the reader-supplied cursor (null when absent). Invalid cursors → null result. */
async function teaserPage(deps: ServiceDeps, filter: TeaserFilter, before: string | undefined): Promise<TeaserPage | null> {
  const cursor = before === undefined ? null : decodeCursor(before);
  if (before !== undefined && !cursor) return null;
  const nowIso = deps.clock().toISOString();
  const { items, hasMore } = await listPublishedTeasers(deps.db, filter, { before: cursor, limit: FRONT_PAGE_SIZE }, nowIso);
  await withLiveCoverage(deps.db, items, nowIso);
  if (cursor && items.length === 0) return null;
  const last = items[items.length - 1];
  return {
    items,
    olderCursor: hasMore && last ? encodeCursor({ publishedAt: last.publishedAt, id: last.id }) : null,
    isFirstPage: !cursor,
  };
}

export interface SectionFront {
  /** The section front's arrangement key in the edition read (see HomeFront). */
  frontKey: FrontKey;
  section: Section;
  page: TeaserPage;
  /** Page one under an editor's arrangement: its blocks lead the page, and the list below leaves out what they show. */
  arranged?: ArrangedFront;
}

export async function getSectionFront(
  deps: ServiceDeps,
  slug: string,
  before?: string,
  edition: EditionScope = {},
  preview?: ArrangementPreview,
): Promise<SectionFront | null> {
  if (!isSlug(slug)) return null;
  const section = await findSectionBySlug(deps.db, slug);
  if (!section) return null;
  const nowIso = deps.clock().toISOString();
  const frontKey = frontKeyFor(section.id, edition.language);
  const inForce = before !== undefined ? null : (preview ?? (await frontArrangementCache(deps.db).inForce(frontKey, nowIso)));
  if (inForce) {
    const arranged = await arrangeFront(deps.db, inForce.arrangement, inForce.version, section.id, nowIso, edition);
    const page = await teaserPage(deps, { edition, sectionId: section.id, excludeIds: arranged.shownIds }, undefined);
    await withLiveCoverage(deps.db, arrangedTeasers(arranged), nowIso);
    return page ? { frontKey, section, page, arranged } : null;
  }
  const page = await teaserPage(deps, { edition, sectionId: section.id }, before);
  return page ? { frontKey, section, page } : null;
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
