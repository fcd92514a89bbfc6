import { afterCursor } from './keyset.ts';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import { limitParam, preparedQuery } from '../../db/prepared.ts';
import type { Database } from '../../db/schema.ts';
import { authorsForArticles, findAuthorBySlug, type Author } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { findImagesByIds, type Image } from '../media/image.ts';
import { findSectionBySlug } from '../sections/section.ts';
import { isSlug } from '../slug.ts';
import { findTagBySlug, tagsForArticles, type Tag } from '../tags/tag.ts';
import { articlePath } from '../articles/article.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';
import type { PageCursor } from '../articles/cursor.ts';
import type { EditionScope } from '../editions/edition.ts';
import { inEditionScope, scopeFilters } from '../editions/edition-scope.ts';

/*
 * Read models for syndication feeds and sitemaps. Every query here shows only what readers
 * may see (article-visibility.ts).
 * Sitemap reads walk (published_at, id) with keyset batches, never OFFSET, so a million
 * stories stream in constant memory.
 */

export const FEED_SIZE = 30;
export const NEWS_SITEMAP_MAX = 1_000;
export const NEWS_SITEMAP_WINDOW_MS = 2 * 24 * 3600 * 1000;

export type FeedScope =
  { kind: 'site' } | { kind: 'section'; slug: string } | { kind: 'tag'; slug: string } | { kind: 'author'; slug: string };

export interface FeedItem {
  id: string;
  path: string;
  headline: string;
  standfirst: string;
  language: string;
  section: { slug: string; name: string };
  publishedAt: string;
  /** Editorial update shown to readers, if any. */
  updatedAt: string | null;
  /** Last change of any kind, or the moment it became visible if later (embargo lift). */
  changedAt: string;
  hero: Image | null;
  authors: Author[];
  tags: Tag[];
  body: ArticleDocument;
  /** Images referenced by figure blocks, by id. */
  images: Map<string, Image>;
}

export interface Feed {
  /** What the feed is about: null title for the whole site. */
  /** `id` of the section, tag, author or live blog (its story; domain/live/live-feed.ts) … */
  /** `id` of the section, tag or author (null for the site): what a page cache tags the feed with. */
  subject: { kind: FeedScope['kind'] | 'live'; id: string | null; slug: string | null; name: string | null };
  items: FeedItem[];
  /** Newest `changedAt` among the items; null for an empty feed. */
  lastChangedAt: string | null;
  /** Changes whenever an item appears, disappears or changes. */
  version: string;
}

/** Visible stories, of one language edition when a scope is given. */
function visibleArticles(db: Kysely<Database>, nowIso: string, edition?: EditionScope) {
  const q = db.selectFrom('articles as a').where((eb) => visibleToReaders(eb, 'a', nowIso));
  return scopeFilters(edition) ? q.where((eb) => inEditionScope(eb, 'a', edition)) : q;
}

const later = (a: string, b: string | null): string => (b !== null && b > a ? b : a);

function feedSelect(db: Kysely<Database>, nowIso: string, edition: EditionScope | undefined) {
  return visibleArticles(db, nowIso, edition)
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .leftJoin('images as i', 'i.id', 'a.hero_image_id')
    .select([
      'a.id',
      'a.slug',
      'a.headline',
      'a.standfirst',
      'a.language',
      'a.body',
      'a.published_at',
      'a.updated_at',
      'a.modified_at',
      's.slug as section_slug',
      's.name as section_name',
      'i.id as image_id',
      'i.storage_key',
      'i.mime_type',
      'i.width',
      'i.height',
      'i.rendition_widths',
      'i.alt_text',
      'i.caption',
      'i.credit',
      'i.copyright_notice',
      'i.creator',
    ]);
}

type FeedRow = Awaited<ReturnType<ReturnType<typeof feedSelect>['execute']>>[number];
type FeedQuery = (db: Db, nowIso: string, subjectId: string, limit: number) => Promise<FeedRow[]>;

/**
 * The newest visible stories of a feed's subject: one precompiled statement per kind of feed
 * and edition scope (a few constants), the values as parameters. A feed is asked on every
 * uncached request, and building its query cost more than running it.
 */
const feedQueries = new Map<string, FeedQuery>();

function feedQuery(kind: FeedScope['kind'], edition: EditionScope | undefined): FeedQuery {
  const scope = scopeFilters(edition) ? edition : undefined;
  const key = `${kind}|${scope ? JSON.stringify(scope) : ''}`;
  let query = feedQueries.get(key);
  if (!query) {
    query = preparedQuery<[nowIso: string, subjectId: string, limit: number], FeedRow>((db, nowIso, subjectId, limit) => {
      let q = feedSelect(db, nowIso, scope);
      if (kind === 'section') q = q.where('a.section_id', '=', subjectId);
      if (kind === 'tag')
        q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', subjectId));
      if (kind === 'author')
        q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('author_id', '=', subjectId));
      return q.orderBy('a.published_at', 'desc').orderBy('a.id', 'desc').limit(limitParam(limit));
    });
    feedQueries.set(key, query);
  }
  return query;
}

/** The newest published items of a feed; null when its section, tag or author does not exist. */
export async function getFeed(deps: ServiceDeps, scope: FeedScope, limit = FEED_SIZE, edition?: EditionScope): Promise<Feed | null> {
  const db = deps.db;
  const nowIso = deps.clock().toISOString();
  let subject: Feed['subject'] = { kind: 'site', id: null, slug: null, name: null };
  if (scope.kind !== 'site') {
    if (!isSlug(scope.slug)) return null;
    const found =
      scope.kind === 'section'
        ? await findSectionBySlug(db, scope.slug)
        : scope.kind === 'tag'
          ? await findTagBySlug(db, scope.slug)
          : await findAuthorBySlug(db, scope.slug);
    if (!found) return null;
    subject = { kind: scope.kind, id: found.id, slug: found.slug, name: found.name };
  }
  const rows = await feedQuery(scope.kind, edition)(db, nowIso, subject.id ?? '', limit);
  const ids = rows.map((r) => r.id);
  const bodies = rows.map((r) => JSON.parse(r.body) as ArticleDocument);
  const figureIds = bodies.flatMap((b) => b.blocks.flatMap((block) => (block.type === 'figure' ? [block.imageId] : [])));
  const [authors, tags, images] = await Promise.all([
    authorsForArticles(db, ids),
    tagsForArticles(db, ids),
    findImagesByIds(db, figureIds),
  ]);
  const items = rows.map((r, n): FeedItem => {
    const body = bodies[n]!;
    const own = new Map<string, Image>();
    for (const block of body.blocks)
      if (block.type === 'figure' && images.has(block.imageId)) own.set(block.imageId, images.get(block.imageId)!);
    return {
      id: r.id,
      path: articlePath(r.section_slug, r.slug),
      headline: r.headline,
      standfirst: r.standfirst,
      language: r.language,
      section: { slug: r.section_slug, name: r.section_name },
      publishedAt: r.published_at!,
      updatedAt: r.updated_at,
      changedAt: later(later(r.modified_at, r.updated_at), r.published_at),
      hero:
        r.image_id && r.storage_key
          ? {
              id: r.image_id,
              storageKey: r.storage_key,
              mimeType: r.mime_type!,
              width: r.width!,
              height: r.height!,
              renditionWidths: JSON.parse(r.rendition_widths ?? '[]') as number[],
              altText: r.alt_text ?? '',
              caption: r.caption ?? '',
              credit: r.credit ?? '',
              copyrightNotice: r.copyright_notice ?? '',
              creator: r.creator ?? '',
            }
          : null,
      authors: authors.get(r.id) ?? [],
      tags: tags.get(r.id) ?? [],
      body,
      images: own,
    };
  });
  const lastChangedAt = items.reduce<string | null>((max, i) => (max === null || i.changedAt > max ? i.changedAt : max), null);
  const version = items.map((i) => `${i.id}@${i.changedAt}`).join(',');
  return { subject, items, lastChangedAt, version };
}

export interface SitemapArticle {
  id: string;
  path: string;
  language: string;
  translationGroupId: string;
  /** hreflang links to the story's published translations (set by a language edition's sitemap). */
  alternates?: ReadonlyArray<{ hreflang: string; href: string }>;
  publishedAt: string;
  lastModified: string;
  /** Hero image, for `image:image`. */
  hero: { storageKey: string; renditionWidths: number[] } | null;
}

/**
 * One keyset batch of visible articles, oldest first, starting at `from` (inclusive) or
 * after `after` (exclusive).
 */
export async function listSitemapArticles(
  deps: ServiceDeps,
  page: { from?: PageCursor | null; after?: PageCursor | null; limit: number },
  edition?: EditionScope,
): Promise<SitemapArticle[]> {
  let q = visibleArticles(deps.db, deps.clock().toISOString(), edition);
  const { from, after } = page;
  if (from) q = q.where((eb) => afterCursor(eb, from, true));
  if (after) q = q.where((eb) => afterCursor(eb, after));
  const rows = await q
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .leftJoin('images as i', 'i.id', 'a.hero_image_id')
    .select([
      'a.id',
      'a.slug',
      'a.language',
      'a.translation_group_id',
      'a.published_at',
      'a.updated_at',
      'a.modified_at',
      's.slug as section_slug',
      'i.storage_key',
      'i.rendition_widths',
    ])
    .orderBy('a.published_at', 'asc')
    .orderBy('a.id', 'asc')
    .limit(page.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    path: articlePath(r.section_slug, r.slug),
    language: r.language,
    translationGroupId: r.translation_group_id,
    publishedAt: r.published_at!,
    lastModified: later(later(r.modified_at, r.updated_at), r.published_at),
    hero: r.storage_key ? { storageKey: r.storage_key, renditionWidths: JSON.parse(r.rendition_widths ?? '[]') as number[] } : null,
  }));
}

export interface SitemapPage {
  /** Key of the page's first article. */
  start: PageCursor;
  count: number;
  lastModified: string;
}

/**
 * Splits all visible articles into pages of `pageSize`, oldest first, by walking the
 * (status, published_at, id) index in keyset batches. Yields one page at a time.
 */
export async function* walkSitemapPages(deps: ServiceDeps, pageSize: number, edition?: EditionScope): AsyncGenerator<SitemapPage> {
  const nowIso = deps.clock().toISOString();
  let after: PageCursor | null = null;
  for (;;) {
    let q = visibleArticles(deps.db, nowIso, edition);
    const a: PageCursor | null = after;
    if (a) q = q.where((eb) => afterCursor(eb, a));
    const rows = await q
      .select(['a.id', 'a.published_at', 'a.updated_at', 'a.modified_at'])
      .orderBy('a.published_at', 'asc')
      .orderBy('a.id', 'asc')
      .limit(pageSize)
      .execute();
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last) return;
    let lastModified = '';
    for (const r of rows) lastModified = later(lastModified, later(later(r.modified_at, r.updated_at), r.published_at));
    yield { start: { publishedAt: first.published_at!, id: first.id }, count: rows.length, lastModified };
    if (rows.length < pageSize) return;
    after = { publishedAt: last.published_at!, id: last.id };
  }
}

export interface NewsSitemapItem {
  path: string;
  headline: string;
  language: string;
  publishedAt: string;
}

/** Stories first published in the last two days, newest first, at most 1,000 (Google News rules). */
export async function listNewsSitemapItems(deps: ServiceDeps, edition?: EditionScope): Promise<NewsSitemapItem[]> {
  const now = deps.clock();
  const since = new Date(now.getTime() - NEWS_SITEMAP_WINDOW_MS).toISOString();
  const rows = await visibleArticles(deps.db, now.toISOString(), edition)
    .where('a.published_at', '>=', since)
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.slug', 'a.headline', 'a.language', 'a.published_at', 's.slug as section_slug'])
    .orderBy('a.published_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(NEWS_SITEMAP_MAX)
    .execute();
  return rows.map((r) => ({
    path: articlePath(r.section_slug, r.slug),
    headline: r.headline,
    language: r.language,
    publishedAt: r.published_at!,
  }));
}

export interface ListingPage {
  slug: string;
  /** Newest visible story on the page, for `lastmod`. */
  lastModified: string | null;
}

/** Sections in navigation order with the time of their newest visible story. */
export async function listSitemapSections(deps: ServiceDeps): Promise<ListingPage[]> {
  const nowIso = deps.clock().toISOString();
  const rows = await deps.db
    .selectFrom('sections as s')
    .select((eb) => [
      's.slug',
      eb
        .selectFrom('articles as a')
        .select((e) => e.fn.max('a.published_at').as('m'))
        .whereRef('a.section_id', '=', 's.id')
        .where((e) => visibleToReaders(e, 'a', nowIso))
        .as('last_published'),
    ])
    .orderBy('s.position')
    .orderBy('s.slug')
    .execute();
  return rows.map((r) => ({ slug: r.slug, lastModified: r.last_published ?? null }));
}

/**
 * One keyset batch (by slug) of tags or authors that have at least one visible story (in
 * the edition, when its scope filters), so the sitemap never lists an empty page.
 */
export async function listSitemapListings(
  deps: ServiceDeps,
  kind: 'tags' | 'authors',
  afterSlug: string | null,
  limit: number,
  edition: EditionScope = {},
): Promise<string[]> {
  const nowIso = deps.clock().toISOString();
  const db = deps.db;
  const rows =
    kind === 'tags'
      ? await db
          .selectFrom('tags as t')
          .select('t.slug')
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('article_tags as x')
                .innerJoin('articles as a', 'a.id', 'x.article_id')
                .select('a.id')
                .whereRef('x.tag_id', '=', 't.id')
                .where((e) => visibleToReaders(e, 'a', nowIso))
                .$if(scopeFilters(edition), (q) => q.where((e) => inEditionScope(e, 'a', edition))),
            ),
          )
          .$if(afterSlug !== null, (q) => q.where('t.slug', '>', afterSlug!))
          .orderBy('t.slug')
          .limit(limit)
          .execute()
      : await db
          .selectFrom('authors as t')
          .select('t.slug')
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('article_authors as x')
                .innerJoin('articles as a', 'a.id', 'x.article_id')
                .select('a.id')
                .whereRef('x.author_id', '=', 't.id')
                .where((e) => visibleToReaders(e, 'a', nowIso))
                .$if(scopeFilters(edition), (q) => q.where((e) => inEditionScope(e, 'a', edition))),
            ),
          )
          .$if(afterSlug !== null, (q) => q.where('t.slug', '>', afterSlug!))
          .orderBy('t.slug')
          .limit(limit)
          .execute();
  return rows.map((r) => r.slug);
}
