import type { Selectable, Transaction } from 'kysely';
import { dialectOf, type Db, type DialectName } from '../../db/database.ts';
import { authorsOf } from '../authors/author.ts';
import { tagsOf } from '../tags/tag.ts';
import type { ArticleTable, Database } from '../../db/schema.ts';
import { preparedQuery } from '../../db/prepared.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import type { Article, ArticleStatus, CommentsPolicy } from './article.ts';
import type { KeywordVector, RankedRelated, RelatedCandidate } from './article-related.ts';
import { visibleToReaders } from './article-visibility.ts';

/** Maps a stored row; `body` may be passed already parsed when the caller needed it earlier. */
export function rowToArticle(
  row: Omit<Selectable<ArticleTable>, 'body_text' | 'keywords' | 'comment_count'> & { body_text?: string },
  authorIds: string[],
  tagIds: string[],
  parsedBody?: ArticleDocument,
): Article {
  return {
    id: row.id,
    slug: row.slug,
    sectionId: row.section_id,
    headline: row.headline,
    standfirst: row.standfirst,
    body: parsedBody ?? (JSON.parse(row.body) as ArticleDocument),
    bodyText: row.body_text ?? '',
    heroImageId: row.hero_image_id,
    language: row.language,
    translationGroupId: row.translation_group_id,
    status: row.status as ArticleStatus,
    commentsPolicy: row.comments_policy as CommentsPolicy,
    seoTitle: row.seo_title,
    seoDescription: row.seo_description,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    embargoUntil: row.embargo_until,
    scheduledAt: row.scheduled_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    revision: row.revision,
    live: row.live_blog ? { startAt: row.coverage_start_at ?? row.created_at, endAt: row.coverage_end_at } : null,
    authorIds,
    tagIds,
  };
}

// comment_count is left out: the comments domain maintains it, article saves never overwrite it.
export function articleToRow(a: Article, keywords: KeywordVector): Omit<Selectable<ArticleTable>, 'comment_count'> {
  return {
    id: a.id,
    slug: a.slug,
    section_id: a.sectionId,
    headline: a.headline,
    standfirst: a.standfirst,
    body: JSON.stringify(a.body),
    body_text: a.bodyText,
    keywords: JSON.stringify(keywords),
    hero_image_id: a.heroImageId,
    language: a.language,
    translation_group_id: a.translationGroupId,
    status: a.status,
    comments_policy: a.commentsPolicy,
    seo_title: a.seoTitle,
    seo_description: a.seoDescription,
    published_at: a.publishedAt,
    updated_at: a.updatedAt,
    created_at: a.createdAt,
    modified_at: a.modifiedAt,
    revision: a.revision,
    embargo_until: a.embargoUntil,
    scheduled_at: a.scheduledAt,
    created_by: a.createdBy,
    live_blog: a.live ? 1 : 0,
    coverage_start_at: a.live?.startAt ?? null,
    coverage_end_at: a.live?.endAt ?? null,
  };
}

export async function insertArticle(db: Db, article: Article, keywords: KeywordVector): Promise<void> {
  await db.insertInto('articles').values(articleToRow(article, keywords)).execute();
  await replaceArticleLinks(db, article);
}

/** Writes a new revision only if the stored one is still `expectedRevision`; returns false on a stale write. */
export async function updateArticleRow(db: Db, article: Article, keywords: KeywordVector, expectedRevision: number): Promise<boolean> {
  const { id, ...row } = articleToRow(article, keywords);
  const result = await db.updateTable('articles').set(row).where('id', '=', id).where('revision', '=', expectedRevision).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await replaceArticleLinks(db, article);
  return true;
}

async function replaceArticleLinks(db: Db, article: Article): Promise<void> {
  await db.deleteFrom('article_authors').where('article_id', '=', article.id).execute();
  await db.deleteFrom('article_tags').where('article_id', '=', article.id).execute();
  if (article.authorIds.length) {
    await db
      .insertInto('article_authors')
      .values(article.authorIds.map((author_id, position) => ({ article_id: article.id, author_id, position })))
      .execute();
  }
  if (article.tagIds.length) {
    await db
      .insertInto('article_tags')
      .values(article.tagIds.map((tag_id, position) => ({ article_id: article.id, tag_id, position, published_at: article.publishedAt })))
      .execute();
  }
}

export async function findArticleById(db: Db, id: string): Promise<Article | null> {
  const row = await db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [authors, tags] = await Promise.all([
    db.selectFrom('article_authors').select('author_id').where('article_id', '=', id).orderBy('position').execute(),
    db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).orderBy('position').execute(),
  ]);
  return rowToArticle(
    row,
    authors.map((r) => r.author_id),
    tags.map((r) => r.tag_id),
  );
}

/**
 * The published article with this slug in this section, with its hero image, bylines and
 * tags, in one query (the article page's hot path). Search and similarity columns are left out.
 */
export const findPublishedArticleRow = preparedQuery<[sectionId: string, slug: string, nowIso: string], PublishedArticleRow>(
  (db, sectionId, slug, nowIso) =>
    db
      .selectFrom('articles as a')
      .leftJoin('images as i', 'i.id', 'a.hero_image_id')
      .select([
        'a.id',
        'a.slug',
        'a.section_id',
        'a.headline',
        'a.standfirst',
        'a.body',
        'a.hero_image_id',
        'a.language',
        'a.translation_group_id',
        'a.status',
        'a.comments_policy',
        'a.seo_title',
        'a.seo_description',
        'a.published_at',
        'a.updated_at',
        'a.created_at',
        'a.modified_at',
        'a.revision',
        'a.embargo_until',
        'a.scheduled_at',
        'a.created_by',
        'a.comment_count',
        'a.live_blog',
        'a.coverage_start_at',
        'a.coverage_end_at',
        'i.storage_key as hero_storage_key',
        'i.mime_type as hero_mime_type',
        'i.width as hero_width',
        'i.height as hero_height',
        'i.rendition_widths as hero_rendition_widths',
        'i.alt_text as hero_alt_text',
        'i.caption as hero_caption',
        'i.credit as hero_credit',
        'i.copyright_notice as hero_copyright_notice',
        'i.creator as hero_creator',
        'i.formats as hero_formats',
        'i.crops as hero_crops',
      ])
      // Its bylines and tags come with it: the page needs them, and each would be a statement.
      .select([authorsOf(dialectOf(db), 'a.id').as('authors'), tagsOf(dialectOf(db), 'a.id').as('tags')])
      .where('a.section_id', '=', sectionId)
      .where('a.slug', '=', slug)
      .where((eb) => visibleToReaders(eb, 'a', nowIso)),
);

export type PublishedArticleRow = Omit<Selectable<ArticleTable>, 'body_text' | 'keywords'> & {
  hero_storage_key: string | null;
  hero_mime_type: string | null;
  hero_width: number | null;
  hero_height: number | null;
  hero_rendition_widths: string | null;
  hero_alt_text: string | null;
  hero_caption: string | null;
  hero_credit: string | null;
  hero_copyright_notice: string | null;
  hero_creator: string | null;
  /** JSON list of rendition formats on disk (null for images recorded before formats were). */
  hero_formats: string | null;
  /** JSON list of the fixed-ratio crops on disk (null: not made yet). */
  hero_crops: string | null;
  /** The bylines (`parseAuthors`) and tags (`parseTags`), in order. */
  authors: unknown;
  tags: unknown;
};

export async function findRedirectTarget(
  db: Db,
  path: string,
  nowIso: string,
): Promise<{ articleId: string; sectionSlug: string; slug: string } | null> {
  const row = await db
    .selectFrom('article_redirects as r')
    .innerJoin('articles as a', 'a.id', 'r.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.id as articleId', 's.slug as sectionSlug', 'a.slug as slug'])
    .where('r.path', '=', path)
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .executeTakeFirst();
  return row ?? null;
}

export async function addRedirect(db: Db, path: string, articleId: string, nowIso: string): Promise<void> {
  // A path that once pointed elsewhere now points here: the newest owner wins.
  await db.deleteFrom('article_redirects').where('path', '=', path).execute();
  await db.insertInto('article_redirects').values({ path, article_id: articleId, created_at: nowIso }).execute();
}

export async function deleteRedirect(db: Db, path: string): Promise<void> {
  await db.deleteFrom('article_redirects').where('path', '=', path).execute();
}

export async function isSlugTaken(db: Db, sectionId: string, slug: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('articles').select('id').where('section_id', '=', sectionId).where('slug', '=', slug);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Recent published articles that share a tag or the section with the target: the ranking pool. */
export async function findRelatedCandidates(
  db: Db,
  target: { id: string; language: string; sectionId: string; tagIds: readonly string[] },
  nowIso: string,
  perSource = 60,
): Promise<RelatedCandidate[]> {
  const base = () =>
    db
      .selectFrom('articles as a')
      .select(['a.id', 'a.section_id', 'a.keywords', 'a.published_at'])
      .where((eb) => visibleToReaders(eb, 'a', nowIso))
      .where('a.id', '!=', target.id)
      .where('a.language', '=', target.language);
  const queries = [base().where('a.section_id', '=', target.sectionId).orderBy('a.published_at', 'desc').limit(perSource).execute()];
  if (target.tagIds.length) {
    queries.push(
      base()
        .where('a.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', 'in', target.tagIds))
        .orderBy('a.published_at', 'desc')
        .limit(perSource * 2)
        .execute(),
    );
  }
  const rows = new Map<string, { id: string; section_id: string; keywords: string; published_at: string | null }>();
  for (const list of await Promise.all(queries)) for (const r of list) rows.set(r.id, r);
  const ids = [...rows.keys()];
  const tagRows = ids.length
    ? await db.selectFrom('article_tags').select(['article_id', 'tag_id']).where('article_id', 'in', ids).execute()
    : [];
  const tagsById = new Map<string, string[]>();
  for (const t of tagRows) (tagsById.get(t.article_id) ?? tagsById.set(t.article_id, []).get(t.article_id)!).push(t.tag_id);
  return [...rows.values()].map((r) => ({
    id: r.id,
    sectionId: r.section_id,
    tagIds: tagsById.get(r.id) ?? [],
    keywords: JSON.parse(r.keywords) as KeywordVector,
    publishedAt: r.published_at ?? nowIso,
  }));
}

/** What ranking an article's related list reads of the article itself. */
export interface RelatedTarget extends RelatedCandidate {
  status: Article['status'];
  language: string;
}

/**
 * The article as its related list is ranked: the stored keyword vector (written with every
 * save from the same text), not the body, so refreshing a neighbourhood of lists neither
 * reads nor re-tokenises a dozen whole stories.
 */
export async function findRelatedTarget(db: Db, id: string): Promise<RelatedTarget | null> {
  const [row, tags] = await Promise.all([
    db
      .selectFrom('articles')
      .select(['id', 'status', 'published_at', 'section_id', 'language', 'keywords'])
      .where('id', '=', id)
      .executeTakeFirst(),
    db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).orderBy('position').execute(),
  ]);
  if (!row) return null;
  return {
    id: row.id,
    status: row.status as Article['status'],
    sectionId: row.section_id,
    language: row.language,
    tagIds: tags.map((t) => t.tag_id),
    keywords: JSON.parse(row.keywords) as KeywordVector,
    publishedAt: row.published_at ?? '',
  };
}

/** An article's stored related list, in rank order. */
export async function storedRelated(db: Db, articleId: string): Promise<string[]> {
  const rows = await db.selectFrom('article_related').select('related_id').where('article_id', '=', articleId).orderBy('rank').execute();
  return rows.map((r) => r.related_id);
}

/** Whether a stored list holds the ranked stories in the same order. */
export function sameList(stored: readonly string[], ranked: readonly RankedRelated[]): boolean {
  return stored.length === ranked.length && stored.every((id, i) => id === ranked[i]!.id);
}

/**
 * Stores an article's related list; answers whether it differs from the list stored before
 * (ids or order). Upsert, then drop the rest, rather than delete and insert: a row that stays
 * is only updated, so deleting a neighbour (which cascades to that row) waits for this
 * transaction instead of deadlocking with it on PostgreSQL.
 */
export async function replaceRelated(db: Db, articleId: string, ranked: readonly RankedRelated[]): Promise<boolean> {
  const changed = !sameList(await storedRelated(db, articleId), ranked);
  if (ranked.length) {
    await db
      .insertInto('article_related')
      .values(ranked.map((r, rank) => ({ article_id: articleId, related_id: r.id, rank, score: r.score })))
      .onConflict((oc) =>
        oc.columns(['article_id', 'related_id']).doUpdateSet((eb) => ({ rank: eb.ref('excluded.rank'), score: eb.ref('excluded.score') })),
      )
      .execute();
  }
  let stale = db.deleteFrom('article_related').where('article_id', '=', articleId);
  if (ranked.length)
    stale = stale.where(
      'related_id',
      'not in',
      ranked.map((r) => r.id),
    );
  await stale.execute();
  return changed;
}

/**
 * Holds the article row until the transaction ends, so writers of data derived from it take
 * turns. `FOR NO KEY UPDATE` (what an UPDATE takes) still lets other rows reference it.
 * SQLite needs none: it runs one write transaction at a time.
 */
export async function lockArticleRow(trx: Transaction<Database>, dialect: DialectName, id: string): Promise<void> {
  if (dialect === 'postgres') await trx.selectFrom('articles').select('id').where('id', '=', id).forNoKeyUpdate().execute();
}

/** Articles whose stored related list points at this one (to refresh them when it changes). */
export async function findArticlesRelatedTo(db: Db, articleId: string): Promise<string[]> {
  const rows = await db.selectFrom('article_related').select('article_id').where('related_id', '=', articleId).execute();
  return rows.map((r) => r.article_id);
}
