import { beforeCursor } from './keyset.ts';
import type { Db } from '../../db/database.ts';
import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { articlePath, type ArticleStatus } from '../articles/article.ts';
import type { PageCursor } from '../articles/cursor.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';
import { authorsForArticles, findAuthorBySlug } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { findImagesByIds, type Image } from '../media/image.ts';
import { findSectionBySlug } from '../sections/section.ts';
import { findTagBySlug, tagsForArticles } from '../tags/tag.ts';
import type { CatalogArticle } from './catalog-article.ts';
import type { EditionScope } from '../editions/edition.ts';
import { inEditionScope, scopeFilters } from '../editions/edition-scope.ts';

/*
 * Article reads for the Content and Admin APIs. Public reads show only what readers may
 * see (article-visibility.ts).
 * Pages are keyset-paginated on (published_at, id), newest first, never OFFSET.
 */

export interface CatalogFilter {
  /** Section, tag and author by slug; an unknown slug matches nothing. */
  section?: string;
  tag?: string;
  author?: string;
  language?: string;
  /** One edition's stories (its scope, as its fronts list them). */
  edition?: EditionScope;
  /** Only stories changed (or made visible) at or after this ISO time. */
  updatedSince?: string;
}

export interface CatalogPage {
  items: CatalogArticle[];
  /** Cursor of the last item when an older page exists. */
  next: PageCursor | null;
}

const ARTICLE_COLUMNS = [
  'a.id',
  'a.slug',
  'a.headline',
  'a.standfirst',
  'a.language',
  'a.translation_group_id',
  'a.body',
  'a.hero_image_id',
  'a.published_at',
  'a.updated_at',
  'a.modified_at',
  'a.seo_title',
  'a.seo_description',
  'a.status',
  'a.revision',
  'a.scheduled_at',
  'a.embargo_until',
  'a.created_by',
  'a.created_at',
  'a.comments_policy',
  's.id as section_id',
  's.slug as section_slug',
  's.name as section_name',
] as const;

function articleSelect(db: Db) {
  return db.selectFrom('articles as a').innerJoin('sections as s', 's.id', 'a.section_id').select(ARTICLE_COLUMNS);
}

type ArticleRow = Awaited<ReturnType<ReturnType<typeof articleSelect>['execute']>>[number];

const later = (a: string, b: string | null): string => (b !== null && b > a ? b : a);

/** Maps rows with their bylines, tags and images, fetched in three batched queries. */
async function hydrate(db: Db, rows: ArticleRow[], withEditorial: boolean): Promise<CatalogArticle[]> {
  const ids = rows.map((r) => r.id);
  const bodies = rows.map((r) => JSON.parse(r.body) as ArticleDocument);
  const imageIds = rows.flatMap((r, n) => [
    ...(r.hero_image_id ? [r.hero_image_id] : []),
    ...bodies[n]!.blocks.flatMap((b) => (b.type === 'figure' ? [b.imageId] : [])),
  ]);
  const [authors, tags, images] = await Promise.all([authorsForArticles(db, ids), tagsForArticles(db, ids), findImagesByIds(db, imageIds)]);
  return rows.map((r, n): CatalogArticle => {
    const body = bodies[n]!;
    const own = new Map<string, Image>();
    for (const b of body.blocks) if (b.type === 'figure' && images.has(b.imageId)) own.set(b.imageId, images.get(b.imageId)!);
    return {
      id: r.id,
      slug: r.slug,
      path: articlePath(r.section_slug, r.slug),
      headline: r.headline,
      standfirst: r.standfirst,
      language: r.language,
      translationGroupId: r.translation_group_id,
      section: { id: r.section_id, slug: r.section_slug, name: r.section_name },
      authors: authors.get(r.id) ?? [],
      tags: tags.get(r.id) ?? [],
      hero: (r.hero_image_id && images.get(r.hero_image_id)) || null,
      body,
      images: own,
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
      changedAt: later(later(r.modified_at, r.updated_at), r.published_at),
      seoTitle: r.seo_title,
      seoDescription: r.seo_description,
      ...(withEditorial
        ? {
            editorial: {
              status: r.status as ArticleStatus,
              revision: r.revision,
              scheduledAt: r.scheduled_at,
              embargoUntil: r.embargo_until,
              createdBy: r.created_by,
              createdAt: r.created_at,
              modifiedAt: r.modified_at,
              commentsPolicy: r.comments_policy,
            },
          }
        : {}),
    };
  });
}

/** Visible articles matching the filter, newest first, one keyset page. */
export async function listCatalogArticles(
  deps: ServiceDeps,
  filter: CatalogFilter,
  page: { before?: PageCursor | null; limit: number },
): Promise<CatalogPage> {
  const db = deps.db;
  const nowIso = deps.clock().toISOString();
  let q = articleSelect(db).where((eb) => visibleToReaders(eb, 'a', nowIso));
  if (filter.section) {
    const section = await findSectionBySlug(db, filter.section);
    if (!section) return { items: [], next: null };
    q = q.where('a.section_id', '=', section.id);
  }
  if (filter.tag) {
    const tag = await findTagBySlug(db, filter.tag);
    if (!tag) return { items: [], next: null };
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tag.id));
  }
  if (filter.author) {
    const author = await findAuthorBySlug(db, filter.author);
    if (!author) return { items: [], next: null };
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('author_id', '=', author.id));
  }
  if (filter.language) q = q.where('a.language', '=', filter.language);
  const edition = filter.edition;
  if (scopeFilters(edition)) q = q.where((eb) => inEditionScope(eb, 'a', edition));
  if (filter.updatedSince) {
    const since = filter.updatedSince;
    q = q.where((eb) => eb.or([eb('a.modified_at', '>=', since), eb('a.updated_at', '>=', since), eb('a.published_at', '>=', since)]));
  }
  const before = page.before;
  if (before) {
    q = q.where((eb) => beforeCursor(eb, before));
  }
  const rows = await q
    .orderBy('a.published_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = await hydrate(db, rows.slice(0, page.limit), false);
  const last = items[items.length - 1];
  return { items, next: rows.length > page.limit && last ? { publishedAt: last.publishedAt!, id: last.id } : null };
}

/** One visible article by id, or null (drafts, scheduled and embargoed stories are not found). */
export async function getCatalogArticle(deps: ServiceDeps, id: string): Promise<CatalogArticle | null> {
  const nowIso = deps.clock().toISOString();
  const rows = await articleSelect(deps.db)
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .where('a.id', '=', id)
    .execute();
  return (await hydrate(deps.db, rows, false))[0] ?? null;
}

/** Editors and admins see every story; other roles only the stories they created (as in the newsroom). */
function canRead(actor: Actor, createdBy: string | null): boolean {
  return roleAtLeast(actor.role, 'editor') || (createdBy !== null && createdBy === actor.userId);
}

/** Any story by id with its workflow state, for the Admin API. */
export async function getEditorialArticle(deps: ServiceDeps, actor: Actor, id: string): Promise<CatalogArticle> {
  const rows = await articleSelect(deps.db).where('a.id', '=', id).execute();
  const row = rows[0];
  if (!row) throw new NotFoundError('There is no article with that id.');
  if (!canRead(actor, row.created_by)) throw new ForbiddenError('This story belongs to someone else; ask an editor.');
  return (await hydrate(deps.db, rows, true))[0]!;
}

/**
 * Stories in any status (optionally one), most recently modified first, for the Admin API.
 * The cursor's time is the story's modified_at.
 */
export async function listEditorialArticles(
  deps: ServiceDeps,
  actor: Actor,
  filter: { status?: ArticleStatus },
  page: { before?: PageCursor | null; limit: number },
): Promise<CatalogPage> {
  let q = articleSelect(deps.db);
  if (!roleAtLeast(actor.role, 'editor')) q = q.where('a.created_by', '=', actor.userId);
  if (filter.status) q = q.where('a.status', '=', filter.status);
  const before = page.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('a.modified_at', '<', before.publishedAt),
        eb.and([eb('a.modified_at', '=', before.publishedAt), eb('a.id', '<', before.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('a.modified_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = await hydrate(deps.db, rows.slice(0, page.limit), true);
  const last = items[items.length - 1];
  return { items, next: rows.length > page.limit && last ? { publishedAt: last.editorial!.modifiedAt, id: last.id } : null };
}
