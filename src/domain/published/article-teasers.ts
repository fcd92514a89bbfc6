import { beforeCursor } from './keyset.ts';
import { dialectOf, type Db } from '../../db/database.ts';
import type { Compilable } from 'kysely';
import { bylinesOf, parseBylines, type Byline } from '../authors/author.ts';
import { limitParam, preparedByIds, preparedQuery, runKeptOnServer } from '../../db/prepared.ts';
import { articlePath } from '../articles/article.ts';
import { isVisibleToReaders, visibleToReaders } from '../articles/article-visibility.ts';
import type { PageCursor } from '../articles/cursor.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import { parseFormats, type RenditionFormat } from '../media/image.ts';
import type { EditionScope } from '../editions/edition.ts';
import { inEditionScope, scopeFilters } from '../editions/edition-scope.ts';

/** What a front, a list or "You might also like" shows of an article. */
export interface Teaser {
  id: string;
  path: string;
  headline: string;
  standfirst: string;
  sectionSlug: string;
  sectionName: string;
  /** The section front's path where it is not `/<sectionSlug>` (a language edition's). */
  sectionPath?: string;
  publishedAt: string;
  updatedAt: string | null;
  hero: TeaserImage | null;
  /** Published comments; fronts show it (related cards leave it out). */
  commentCount?: number;
  /** Set on fronts while the story is a live blog with coverage on (domain/live/live-teaser.ts). */
  live?: TeaserLive;
}

/** A live blog's state on its teaser: its newest entry, if any. */
export interface TeaserLive {
  latest: { id: string; path: string; excerpt: string; publishedAt: string } | null;
}

export interface TeaserImage {
  id: string;
  storageKey: string;
  width: number;
  height: number;
  renditionWidths: number[];
  altText: string;
  /** Rendition formats on disk; absent for images recorded before formats were (all three exist). */
  formats?: RenditionFormat[];
}

/** The hero image columns every teaser query reads (mapped by `teaserImage`). */
const TEASER_IMAGE_COLUMNS = [
  'i.id as image_id',
  'i.storage_key',
  'i.width',
  'i.height',
  'i.rendition_widths',
  'i.alt_text',
  'i.formats',
] as const;

function teaserSelect(db: Db) {
  return db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .leftJoin('images as i', 'i.id', 'a.hero_image_id')
    .select([
      'a.id',
      'a.slug',
      'a.headline',
      'a.standfirst',
      'a.published_at',
      'a.updated_at',
      's.slug as section_slug',
      's.name as section_name',
      'a.comment_count',
      ...TEASER_IMAGE_COLUMNS,
    ]);
}

type TeaserRow = Awaited<ReturnType<ReturnType<typeof teaserSelect>['execute']>>[number];

function rowToTeaser(r: TeaserRow): Teaser {
  return {
    id: r.id,
    path: articlePath(r.section_slug, r.slug),
    headline: r.headline,
    standfirst: r.standfirst,
    sectionSlug: r.section_slug,
    sectionName: r.section_name,
    publishedAt: r.published_at!,
    updatedAt: r.updated_at,
    hero: teaserImage(r),
    commentCount: Number(r.comment_count),
  };
}

/** The hero image columns of a teaser row (null when the story has no photo). */
/** The columns `TEASER_IMAGE_COLUMNS` selects (null when the story has no hero image). */
interface TeaserImageColumns {
  image_id: string | null;
  storage_key: string | null;
  width: number | null;
  height: number | null;
  rendition_widths: string | null;
  alt_text: string | null;
  formats: string | null;
}

function teaserImage(r: TeaserImageColumns): TeaserImage | null {
  if (!r.image_id || !r.storage_key) return null;
  return {
    id: r.image_id,
    storageKey: r.storage_key,
    width: r.width!,
    height: r.height!,
    renditionWidths: JSON.parse(r.rendition_widths ?? '[]') as number[],
    altText: r.alt_text ?? '',
    ...withFormats(parseFormats(r.formats)),
  };
}

function withFormats(formats: RenditionFormat[] | undefined): { formats?: RenditionFormat[] } {
  return formats ? { formats } : {};
}

export interface TeaserFilter {
  /** A language edition's stories only (editions/edition.ts). */
  edition?: EditionScope;
  sectionId?: string;
  tagId?: string;
  authorId?: string;
  language?: string;
  excludeIds?: readonly string[];
}

/**
 * Published articles newest first, keyset-paginated on (published_at, id). Fetches one
 * extra row to know whether an older page exists.
 */
export async function listPublishedTeasers(
  db: Db,
  filter: TeaserFilter,
  page: { before?: PageCursor | null; limit: number },
  nowIso: string,
): Promise<{ items: Teaser[]; hasMore: boolean }> {
  if (!page.before && !filter.tagId && !filter.authorId && !filter.language) {
    return firstPageTeasers(db, filter.sectionId, filter.excludeIds ?? [], page.limit, nowIso, filter.edition);
  }
  if (filter.tagId) return tagTeasers(db, filter.tagId, filter, page, nowIso);
  let q = teaserSelect(db).where((eb) => visibleToReaders(eb, 'a', nowIso));
  const edition = filter.edition;
  if (scopeFilters(edition)) q = q.where((eb) => inEditionScope(eb, 'a', edition));
  if (filter.sectionId) q = q.where('a.section_id', '=', filter.sectionId);
  if (filter.language) q = q.where('a.language', '=', filter.language);
  if (filter.authorId) {
    const authorId = filter.authorId;
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId));
  }
  if (filter.excludeIds?.length) q = q.where('a.id', 'not in', filter.excludeIds);
  const before = page.before;
  if (before) {
    q = q.where((eb) => beforeCursor(eb, before));
  }
  q = q
    .orderBy('a.published_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.limit + 1);
  const rows = filter.excludeIds?.length ? await q.execute() : await runKeptOnServer(db, q);
  return { items: rows.slice(0, page.limit).map(rowToTeaser), hasMore: rows.length > page.limit };
}

/**
 * A tag's stories, driven from its rows in article_tags: their published_at copy (kept by the
 * story write path) puts the tag's stories in page order in the (tag_id, published_at,
 * article_id) index, so any page, however deep, starts with a range scan at its cursor.
 * Visibility is still the one rule, checked on the joined story.
 */
async function tagTeasers(
  db: Db,
  tagId: string,
  filter: TeaserFilter,
  page: { before?: PageCursor | null; limit: number },
  nowIso: string,
): Promise<{ items: Teaser[]; hasMore: boolean }> {
  let q = teaserSelect(db)
    .innerJoin('article_tags as at', 'at.article_id', 'a.id')
    .where('at.tag_id', '=', tagId)
    .where((eb) => visibleToReaders(eb, 'a', nowIso));
  const edition = filter.edition;
  if (scopeFilters(edition)) q = q.where((eb) => inEditionScope(eb, 'a', edition));
  if (filter.sectionId) q = q.where('a.section_id', '=', filter.sectionId);
  if (filter.language) q = q.where('a.language', '=', filter.language);
  if (filter.authorId) {
    const authorId = filter.authorId;
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId));
  }
  if (filter.excludeIds?.length) q = q.where('a.id', 'not in', filter.excludeIds);
  const before = page.before;
  if (before) {
    q = q.where((eb) =>
      eb.and([
        eb('at.published_at', '<=', before.publishedAt),
        eb.or([
          eb('at.published_at', '<', before.publishedAt),
          eb.and([eb('at.published_at', '=', before.publishedAt), eb('at.article_id', '<', before.id)]),
        ]),
      ]),
    );
  }
  q = q
    .orderBy('at.published_at', 'desc')
    .orderBy('at.article_id', 'desc')
    .limit(page.limit + 1);
  const rows = filter.excludeIds?.length ? await q.execute() : await runKeptOnServer(db, q);
  return { items: rows.slice(0, page.limit).map(rowToTeaser), hasMore: rows.length > page.limit };
}

// The home front and the first page of a section front run these on every view. Profiled,
// building and compiling them with Kysely cost about as much as running them, so they are
// precompiled (db/prepared.ts). A `not in` list would change their shape with every list of
// excluded stories, so the excluded rows are fetched too and dropped here instead.
const selectLatestTeasers = preparedQuery<[nowIso: string, limit: number], TeaserRow>((db, nowIso, limit) =>
  teaserSelect(db)
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .orderBy('a.published_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limitParam(limit)),
);

const selectLatestSectionTeasers = preparedQuery<[nowIso: string, sectionId: string, limit: number], TeaserRow>(
  (db, nowIso, sectionId, limit) =>
    teaserSelect(db)
      .where((eb) => visibleToReaders(eb, 'a', nowIso))
      .where('a.section_id', '=', sectionId)
      .orderBy('a.published_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limitParam(limit)),
);

/**
 * The newest visible stories of an edition's scope (of one section, when `inSection`): one
 * precompiled statement per scope (a few constants) and shape, as the unscoped ones above. An
 * edition's home front asks one per section box; building each cost more than running it.
 */
const scopedLatest = new Map<string, (db: Db, nowIso: string, sectionId: string, limit: number) => Promise<TeaserRow[]>>();

function latestInScope(scope: EditionScope, inSection: boolean) {
  const key = `${inSection}|${JSON.stringify(scope)}`;
  let query = scopedLatest.get(key);
  if (!query) {
    query = preparedQuery<[nowIso: string, sectionId: string, limit: number], TeaserRow>((db, nowIso, sectionId, limit) => {
      let q = teaserSelect(db)
        .where((eb) => visibleToReaders(eb, 'a', nowIso))
        .where((eb) => inEditionScope(eb, 'a', scope));
      if (inSection) q = q.where('a.section_id', '=', sectionId);
      return q.orderBy('a.published_at', 'desc').orderBy('a.id', 'desc').limit(limitParam(limit));
    });
    scopedLatest.set(key, query);
  }
  return query;
}

/**
 * The newest visible stories (of one section, when given) other than `excludeIds`: the same
 * rows, in the same order, as `listPublishedTeasers`' general query. At most
 * `excludeIds.length` fetched rows are dropped, so fetching that many more keeps `limit + 1`.
 */
async function firstPageTeasers(
  db: Db,
  sectionId: string | undefined,
  excludeIds: readonly string[],
  limit: number,
  nowIso: string,
  edition: EditionScope | undefined,
): Promise<{ items: Teaser[]; hasMore: boolean }> {
  const fetch = limit + 1 + excludeIds.length;
  const fetched = scopeFilters(edition)
    ? await latestInScope(edition, sectionId !== undefined)(db, nowIso, sectionId ?? '', fetch)
    : sectionId
      ? await selectLatestSectionTeasers(db, nowIso, sectionId, fetch)
      : await selectLatestTeasers(db, nowIso, fetch);
  const rows = excludeIds.length ? fetched.filter((r) => !excludeIds.includes(r.id)).slice(0, limit + 1) : fetched;
  return { items: rows.slice(0, limit).map(rowToTeaser), hasMore: rows.length > limit };
}

// Only the stored list's own key constrains this query, so every planner drives it from
// article_related (a status/date range on articles tempts SQLite into scanning articles).
// Visibility is checked on the few rows returned; sections come from the in-memory
// directory rather than a join (this is on every article page view). Rows come as arrays
// (`RelatedRow`, in this select order): building an object of 14 values per row was a third
// of the query's cost.
const selectRelatedTeasers = preparedQuery<[articleId: string, limit: number], RelatedRow>(
  (db, articleId, limit) =>
    db
      .selectFrom('article_related as r')
      .innerJoin('articles as a', 'a.id', 'r.related_id')
      .leftJoin('images as i', 'i.id', 'a.hero_image_id')
      .select([
        'a.id',
        'a.slug',
        'a.section_id',
        'a.headline',
        'a.status',
        'a.published_at',
        'a.embargo_until',
        // RelatedRow's last seven values, in TEASER_IMAGE_COLUMNS' order.
        ...TEASER_IMAGE_COLUMNS,
      ])
      .where('r.article_id', '=', articleId)
      .orderBy('r.rank')
      .limit(limitParam(limit)),
  { arrays: true },
);

/** Rows read when the whole stored list is wanted: more than any holds (six, article-related-refresh.ts). */
const RELATED_STORED = 12;

/** A row of `selectRelatedTeasers`, in its select order. */
type RelatedRow = readonly [
  id: string,
  slug: string,
  sectionId: string,
  headline: string,
  status: string,
  publishedAt: string | null,
  embargoUntil: string | null,
  imageId: string | null,
  storageKey: string | null,
  width: number | null,
  height: number | null,
  renditionWidths: string | null,
  altText: string | null,
  formats: string | null,
];

function isVisible(r: RelatedRow, nowIso: string): boolean {
  return isVisibleToReaders({ status: r[4], publishedAt: r[5], embargoUntil: r[6] }, nowIso);
}

/**
 * The stored "You might also like" list, keeping only stories readers may still see.
 * Related cards show no standfirst, so it is not read.
 */
export async function listRelatedTeasers(db: Db, articleId: string, limit: number, nowIso: string): Promise<Teaser[]> {
  // Stored lists are refreshed as stories change, so their first rows are nearly always all
  // visible: read only as many as are shown (reading and building a row's 14 values is most
  // of this query's cost), and the whole list only when one of those turns out hidden.
  let rows = await selectRelatedTeasers(db, articleId, limit);
  if (rows.length === limit && !rows.every((r) => isVisible(r, nowIso))) rows = await selectRelatedTeasers(db, articleId, RELATED_STORED);
  const directory = sectionDirectory(db);
  let sections = await directory.byIdMap();
  const out: Teaser[] = [];
  for (const r of rows) {
    if (out.length >= limit) break;
    if (!isVisible(r, nowIso)) continue;
    const [id, slug, sectionId, headline, , publishedAt, , imageId, storageKey, width, height, renditionWidths, altText, formats] = r;
    let section = sections.get(sectionId);
    if (!section) {
      // A section created since the directory was loaded: reload once.
      sections = await directory.byIdMap(true);
      section = sections.get(sectionId);
      if (!section) continue;
    }
    out.push({
      id,
      path: articlePath(section.slug, slug),
      headline,
      standfirst: '',
      sectionSlug: section.slug,
      sectionName: section.name,
      publishedAt: publishedAt!,
      updatedAt: null,
      hero: teaserImage({
        image_id: imageId,
        storage_key: storageKey,
        width,
        height,
        rendition_widths: renditionWidths,
        alt_text: altText,
        formats,
      }),
    });
  }
  return out;
}

/** What `listTeasersByIds` may bring with each teaser, read in the same statement. */
export interface TeaserExtras {
  /** The text the search index keeps of the story (a search result's snippet is cut from it). */
  indexedText?: boolean;
  /** The story's bylines, in order. */
  bylines?: boolean;
}

export type TeaserById<E extends TeaserExtras> = Teaser & { language: string } & (E['indexedText'] extends true
    ? { indexedText: string }
    : unknown) &
  (E['bylines'] extends true ? { bylines: Byline[] } : unknown);

/**
 * The teasers of the given stories that readers may see at `nowIso`, with each story's
 * language, in no particular order (search results put them in their own), and the `extras`
 * asked for: a search page reads its results' teasers, snippet texts and bylines in one
 * statement (on PostgreSQL each statement is a round trip: ~0.2 ms of the server's CPU).
 */
export async function listTeasersByIds<E extends TeaserExtras = Record<never, never>>(
  db: Db,
  ids: readonly string[],
  nowIso: string,
  extras?: E,
): Promise<Map<string, TeaserById<E>>> {
  if (!ids.length) return new Map();
  const indexedText = extras?.indexedText === true;
  const bylines = extras?.bylines === true;
  const rows = await teasersByIds(indexedText, bylines)(db, ids);
  const out = new Map<string, TeaserById<E>>();
  for (const r of rows) {
    if (!isVisibleToReaders({ status: r.status, publishedAt: r.published_at, embargoUntil: r.embargo_until }, nowIso)) continue;
    const teaser: Teaser & { language: string; indexedText?: string; bylines?: Byline[] } = { ...rowToTeaser(r), language: r.language };
    if (indexedText) teaser.indexedText = r.indexed_text ?? '';
    if (bylines) teaser.bylines = parseBylines(r.bylines);
    out.set(r.id, teaser as TeaserById<E>);
  }
  return out;
}

// Every search page runs these: precompiled, one statement per combination of extras. The
// visibility rule is applied to the rows read (their status and times are selected), so the
// query's only parameters are the ids.
type TeaserByIdRow = TeaserRow & {
  language: string;
  status: string;
  embargo_until: string | null;
  indexed_text?: string | null;
  bylines?: unknown;
};
const teasersByIdQueries = new Map<string, (db: Db, ids: readonly string[]) => Promise<TeaserByIdRow[]>>();

function teasersByIds(indexedText: boolean, bylines: boolean) {
  const key = `${indexedText}|${bylines}`;
  let query = teasersByIdQueries.get(key);
  if (!query) {
    query = preparedByIds((db, ids) => {
      let q = teaserSelect(db).select(['a.language', 'a.status', 'a.embargo_until']);
      if (bylines) q = q.select(bylinesOf(dialectOf(db), 'a.id').as('bylines'));
      if (indexedText) q = q.leftJoin('search_documents as sd', 'sd.article_id', 'a.id').select('sd.body as indexed_text');
      return q.where('a.id', 'in', ids) as unknown as Compilable<TeaserByIdRow>;
    });
    teasersByIdQueries.set(key, query);
  }
  return query;
}
