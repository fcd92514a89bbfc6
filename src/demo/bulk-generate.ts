import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ArticleAuthorTable, ArticleTable, ArticleTagTable, Database } from '../db/schema.ts';
import { refreshRelated } from '../domain/articles/article-related-refresh.ts';
import { extractKeywords } from '../domain/articles/article-related.ts';
import { visibleFrom, visibleToReaders } from '../domain/articles/article-visibility.ts';
import type { ServiceDeps } from '../domain/deps.ts';
import { clearEverything } from '../domain/changes/content-change.ts';
import { publishNow } from '../domain/changes/content-change-publish.ts';
import { parseArticleDocument } from '../domain/documents/document-schema.ts';
import { compactSearchIndex, searchableBody, writeSearchDocuments, type SearchDocumentInput } from '../domain/search/search-index.ts';
import { documentText } from '../domain/documents/document-text.ts';
import { createAuthor, findAuthorBySlug } from '../domain/authors/author.ts';
import { newId } from '../domain/ids.ts';
import { ingestImage } from '../domain/media/image-ingest.ts';
import { createSection, findSectionBySlug } from '../domain/sections/section.ts';
import { toSlug } from '../domain/slug.ts';
import { ensureTags } from '../domain/tags/tag.ts';
import { makeDemoJpeg, prng } from './demo-images.ts';
import { DEMO_AUTHORS, DEMO_SECTIONS, generateStory } from './story-generator.ts';

/*
 * Bulk path behind `npm run generate`: fills a database with many published articles for
 * benchmarks. Rows have exactly the shape createArticle() writes (validated document JSON,
 * body_text via documentText, keywords via extractKeywords, translation_group_id = id,
 * UUIDv7 ids, bylines and tags, search documents), but are written a few statements per batch
 * (INSERT … unnest on PostgreSQL, multi-row INSERTs on SQLite), one transaction per batch, while
 * the next batch is being built; PostgreSQL writes two batches at once. Memory stays bounded by
 * three batches.
 *
 * Stored "You might also like" lists are computed (with the same refreshRelated() the
 * newsroom uses) only for the newest `related` articles; older generated articles have no
 * stored related list.
 */

export interface BulkGenerateOptions {
  /** How many articles to write (positive integer). */
  articles: number;
  /** Story seed; the same seed yields the same stories. Default 1. */
  seed?: number;
  /** Articles per transaction. Default 1000. */
  batchSize?: number;
  /** How many of the newest articles get a stored related list. Default 1000. */
  related?: number;
  /** Length of the publishing window in days, ending now. Default: about 200 articles a day, 30 days to 10 years. */
  days?: number;
  onProgress?: (progress: BulkProgress) => void;
}

export interface BulkProgress {
  phase: 'articles' | 'related';
  done: number;
  total: number;
}

export interface BulkGenerateResult {
  articles: number;
  related: number;
  /** Publishing window actually used. */
  from: string;
  to: string;
}

export const DEFAULT_BATCH = 1000;
export const DEFAULT_RELATED = 1000;
const HERO_IMAGES = 6;
/** Rows per SQLite INSERT statement; keeps parameters far below its limit of 32,766. */
const ARTICLE_ROWS_PER_INSERT = 500;
const LINK_ROWS_PER_INSERT = 2000;
/** Rows per PostgreSQL INSERT … unnest (a parameter per column: only the statement's size limits it). */
const UNNEST_ROWS = 5000;
/** Batches written at once on PostgreSQL (see bulkGenerate). */
const POSTGRES_WRITERS = 2;
const MINUTE = 60_000;
const DAY = 86_400_000;

export function defaultWindowDays(articles: number): number {
  return Math.min(3650, Math.max(30, Math.ceil(articles / 200)));
}

interface Batch {
  articles: Insertable<ArticleTable>[];
  authors: Insertable<ArticleAuthorTable>[];
  tags: Insertable<ArticleTagTable>[];
  search: SearchDocumentInput[];
}

/** Finds the demo sections by slug, creating the missing ones. */
async function ensureSections(db: Db, now: Date): Promise<Map<string, { id: string; name: string }>> {
  const out = new Map<string, { id: string; name: string }>();
  for (const [position, def] of DEMO_SECTIONS.entries()) {
    const section = (await findSectionBySlug(db, def.slug)) ?? (await createSection(db, { ...def, position }, now));
    out.set(def.slug, { id: section.id, name: section.name });
  }
  return out;
}

/** Finds the demo authors by slug, creating the missing ones; in DEMO_AUTHORS order. */
async function ensureAuthors(db: Db, now: Date): Promise<Array<{ id: string; name: string }>> {
  const out: Array<{ id: string; name: string }> = [];
  for (const def of DEMO_AUTHORS) {
    const author = (await findAuthorBySlug(db, toSlug(def.name))) ?? (await createAuthor(db, def, now));
    out.push({ id: author.id, name: author.name });
  }
  return out;
}

/** A handful of hero images: existing ones when the database has some, else demo photos made once. */
async function ensureHeroImages(deps: ServiceDeps, now: Date): Promise<string[]> {
  const existing = await deps.db.selectFrom('images').select('id').orderBy('created_at', 'desc').orderBy('id').limit(HERO_IMAGES).execute();
  if (existing.length) return existing.map((r) => r.id);
  const ids: string[] = [];
  for (let i = 0; i < HERO_IMAGES; i++) {
    const image = await ingestImage({ db: deps.db, mediaStore: deps.mediaStore, now }, await makeDemoJpeg(100 + i), {
      altText: 'Illustration: an abstract landscape with people in the distance',
      caption: 'Illustrative image.',
      credit: 'Masthead demo',
    });
    ids.push(image.id);
  }
  return ids;
}

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Renames slugs of the batch that already exist in the database (possible only when it had
 * articles before this run, e.g. after deletions or hand-picked slugs).
 */
async function resolveSlugClashes(trx: Db, rows: Insertable<ArticleTable>[]): Promise<void> {
  for (let attempt = 2; ; attempt++) {
    const bySection = new Map<string, Insertable<ArticleTable>[]>();
    for (const r of rows) (bySection.get(r.section_id) ?? bySection.set(r.section_id, []).get(r.section_id)!).push(r);
    const clashing: Insertable<ArticleTable>[] = [];
    for (const [sectionId, list] of bySection) {
      for (const part of chunks(list, ARTICLE_ROWS_PER_INSERT)) {
        const taken = await trx
          .selectFrom('articles')
          .select('slug')
          .where('section_id', '=', sectionId)
          .where(
            'slug',
            'in',
            part.map((r) => r.slug),
          )
          .execute();
        if (!taken.length) continue;
        const set = new Set(taken.map((t) => t.slug));
        for (const r of part) if (set.has(r.slug)) clashing.push(r);
      }
    }
    if (!clashing.length) return;
    for (const r of clashing) r.slug = `${r.slug.replace(/-x\d+$/, '')}-x${attempt}`;
    rows = clashing;
  }
}

/**
 * Inserts rows of one shape. PostgreSQL: INSERT … SELECT FROM unnest(one array per column),
 * a parameter per column instead of one per value, which the server parses and plans far
 * faster than a multi-row VALUES list. SQLite (in process, no parsing of values) keeps the
 * multi-row INSERT. Columns holding numbers are integers in these tables; all others text.
 */
async function insertMany<T extends 'articles' | 'article_authors' | 'article_tags'>(
  trx: Db,
  dialect: ServiceDeps['dialect'],
  table: T,
  rows: readonly Insertable<Database[T]>[],
  rowsPerStatement: number,
): Promise<void> {
  if (!rows.length) return;
  if (dialect === 'sqlite') {
    for (const part of chunks(rows, rowsPerStatement))
      await trx
        .insertInto(table)
        .values(part as never)
        .execute();
    return;
  }
  const columns = Object.keys(rows[0]!) as Array<keyof Insertable<Database[T]> & string>;
  for (const part of chunks(rows, UNNEST_ROWS)) {
    const arrays = columns.map((c) => {
      const values = part.map((r) => r[c] ?? null);
      const type = values.some((v) => typeof v === 'number') ? sql.raw('integer[]') : sql.raw('text[]');
      return sql`${values}::${type}`;
    });
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      select * from unnest(${sql.join(arrays)})`.execute(trx);
  }
}

async function writeBatch(deps: ServiceDeps, batch: Batch, checkSlugs: boolean): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    // Losing the last few batches in a server crash is fine for generated data; waiting for
    // every commit to reach disk is not needed.
    if (deps.dialect === 'postgres') await sql`set local synchronous_commit = off`.execute(trx);
    if (checkSlugs) await resolveSlugClashes(trx, batch.articles);
    await insertMany(trx, deps.dialect, 'articles', batch.articles, ARTICLE_ROWS_PER_INSERT);
    await insertMany(trx, deps.dialect, 'article_authors', batch.authors, LINK_ROWS_PER_INSERT);
    await insertMany(trx, deps.dialect, 'article_tags', batch.tags, LINK_ROWS_PER_INSERT);
    // Written beside writeStory, so the search index is kept here, in the same transaction.
    await writeSearchDocuments(trx, deps.dialect, batch.search);
  });
}

/** Writes `options.articles` generated, published articles; see the module comment. */
export async function bulkGenerate(deps: ServiceDeps, options: BulkGenerateOptions): Promise<BulkGenerateResult> {
  const total = options.articles;
  if (!Number.isSafeInteger(total) || total < 1) throw new RangeError('articles must be a positive integer');
  const seed = options.seed ?? 1;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const relatedCount = options.related ?? DEFAULT_RELATED;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  if (!Number.isSafeInteger(relatedCount) || relatedCount < 0) throw new RangeError('related must be zero or a positive integer');
  const progress = options.onProgress ?? (() => {});

  const now = deps.clock();
  const sections = await ensureSections(deps.db, now);
  const authors = await ensureAuthors(deps.db, now);
  const images = await ensureHeroImages(deps, now);
  const tagIds = new Map<string, string>();
  /** Names as stored (an existing tag keeps its own spelling), for the search documents. */
  const tagNames = new Map<string, string>();

  // Slugs end in a run-wide counter that starts above the number of existing articles, so
  // they are unique among this run's articles and (normally) against earlier ones too.
  const existing = Number(
    (
      await deps.db
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const checkSlugs = existing > 0;

  const windowMs = (options.days ?? defaultWindowDays(total)) * DAY;
  const end = now.getTime() - MINUTE;
  const start = end - windowMs;
  const step = windowMs / total;

  async function buildBatch(from: number, to: number): Promise<Batch> {
    const batch: Batch = { articles: [], authors: [], tags: [], search: [] };
    const stories = [];
    const missingTags = new Set<string>();
    for (let i = from; i < to; i++) {
      const story = generateStory(seed, i);
      for (const name of story.tags) if (!tagIds.has(name)) missingTags.add(name);
      stories.push(story);
    }
    if (missingTags.size) {
      const created = await ensureTags(deps.db, [...missingTags], now);
      [...missingTags].forEach((name, k) => {
        tagIds.set(name, created[k]!.id);
        tagNames.set(created[k]!.id, created[k]!.name);
      });
    }
    for (let i = from; i < to; i++) {
      const story = stories[i - from]!;
      const rand = prng((seed * 2_654_435_761 + i * 40_503) >>> 0);
      const id = newId();
      const body = parseArticleDocument(story.body);
      const bodyText = documentText(body);
      const keywords = extractKeywords({ headline: story.headline, standfirst: story.standfirst, bodyText });
      // Oldest first, so publication order follows id (creation) order as in a real newsroom.
      const published = Math.min(end, Math.floor(start + (i + story.age) * step));
      const updated = rand() < 0.1 ? published + Math.floor((1 + rand() * 47) * 60 * MINUTE) : null;
      const updatedAt = updated !== null && updated <= end ? new Date(updated).toISOString() : null;
      const publishedAt = new Date(published).toISOString();
      const suffix = `-${existing + i + 1}`;
      const slug =
        toSlug(story.headline)
          .slice(0, 120 - suffix.length)
          .replace(/-+$/, '') + suffix;
      const policy = rand();
      batch.articles.push({
        id,
        slug,
        section_id: sections.get(story.sectionSlug)!.id,
        headline: story.headline,
        standfirst: story.standfirst,
        body: JSON.stringify(body),
        body_text: bodyText,
        keywords: JSON.stringify(keywords),
        hero_image_id: rand() < 0.9 ? images[i % images.length]! : null,
        language: 'en',
        translation_group_id: id,
        status: 'published',
        comments_policy: policy < 0.85 ? 'open' : policy < 0.95 ? 'moderated' : 'closed',
        seo_title: null,
        seo_description: null,
        published_at: publishedAt,
        updated_at: updatedAt,
        created_at: new Date(published - Math.floor((5 + rand() * 235) * MINUTE)).toISOString(),
        modified_at: updatedAt ?? publishedAt,
        revision: 1,
      });
      const byline = [authors[story.authorIndex]!];
      if (rand() < 0.1) {
        const second = authors[Math.floor(rand() * authors.length)]!;
        if (second !== byline[0]) byline.push(second);
      }
      byline.forEach((author, position) => batch.authors.push({ article_id: id, author_id: author.id, position }));
      const storyTagIds = [...new Set(story.tags.map((name) => tagIds.get(name)!))];
      batch.search.push({
        id,
        language: 'en',
        revision: 1,
        // Published no later than the run's end, without embargo: readers see it, so its words may be suggested.
        visible: true,
        publishedAt,
        sectionId: sections.get(story.sectionSlug)!.id,
        visibleFrom: visibleFrom({ status: 'published', publishedAt, embargoUntil: null }),
        fields: {
          headline: story.headline,
          standfirst: story.standfirst,
          body: searchableBody(body),
          // As indexStory's loadMeta: bylines, then tags, in position order, then the section.
          meta: [...byline.map((a) => a.name), ...storyTagIds.map((t) => tagNames.get(t)!), sections.get(story.sectionSlug)!.name].join(
            ' ',
          ),
        },
      });
      storyTagIds.forEach((tag_id, position) => batch.tags.push({ article_id: id, tag_id, position, published_at: publishedAt }));
    }
    return batch;
  }

  let done = 0;
  // Batches written at once: PostgreSQL computes each batch's search vectors and index entries
  // in its own backend, so two writers use both cores while the next batch is built here.
  // SQLite has one connection and writes in this thread anyway.
  const writers = deps.dialect === 'postgres' ? POSTGRES_WRITERS : 1;
  const writing: Promise<void>[] = [];
  progress({ phase: 'articles', done, total });
  try {
    for (let from = 0; from < total; from += batchSize) {
      const to = Math.min(total, from + batchSize);
      const batch = await buildBatch(from, to);
      if (writing.length >= writers) await writing.shift();
      const write = writeBatch(deps, batch, checkSlugs).then(() => {
        done += to - from;
        progress({ phase: 'articles', done, total });
      });
      // Keep an unawaited rejection from being reported before we await it.
      write.catch(() => {});
      writing.push(write);
    }
    await Promise.all(writing);
  } catch (err) {
    // No write may still be running when the caller closes the database.
    await Promise.allSettled(writing);
    throw err;
  }

  // Fresh planner statistics: without them PostgreSQL plans the related-candidate queries for
  // an empty table until autovacuum catches up, which makes the related phase crawl.
  // (Search documents too, for the search benchmarks.) The full-text index written batch by
  // batch is merged, as after a reindex.
  if (deps.dialect === 'postgres') await sql`analyze articles, article_authors, article_tags, search_documents`.execute(deps.db);
  await compactSearchIndex(deps.db, deps.dialect);

  const related = await refreshNewestRelated(deps, relatedCount, progress);
  // Stories were inserted beside the story write path: a running site's caches cannot know which lists changed.
  await publishNow(deps, clearEverything('demo.generate'));
  return { articles: total, related, from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** Recomputes the stored related lists of the newest `limit` published articles. */
export async function refreshNewestRelated(
  deps: ServiceDeps,
  limit: number,
  progress: (p: BulkProgress) => void = () => {},
): Promise<number> {
  if (limit <= 0) return 0;
  const nowIso = deps.clock().toISOString();
  const ids = (
    await deps.db
      .selectFrom('articles')
      .select('id')
      .where((eb) => visibleToReaders(eb, 'articles', nowIso))
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  let done = 0;
  let next = 0;
  progress({ phase: 'related', done, total: ids.length });
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      await refreshRelated(deps, id);
      done++;
      progress({ phase: 'related', done, total: ids.length });
    }
  };
  // SQLite serialises queries on its one connection; PostgreSQL can use a few.
  await Promise.all(Array.from({ length: deps.dialect === 'postgres' ? 4 : 1 }, worker));
  return ids.length;
}
