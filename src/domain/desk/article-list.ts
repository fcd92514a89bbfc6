import { sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { authorsForArticles, type Author } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import { ARTICLE_STATUSES, type ArticleStatus } from '../articles/article.ts';
import { can } from '../articles/article-policy.ts';
import { parseInput } from '../articles/article-service.ts';
import type { Db } from '../../db/database.ts';
import { deskQueryIsDense, storyAmongMatches, storyMatches } from '../search/search-engine.ts';
import { SLUG_RE } from '../slug.ts';
import { parseSearchQuery } from '../search/search-query.ts';

/*
 * The newsroom story list: every story an actor may open, filtered and sorted, a page at a
 * time. Editors and admins see the whole newsroom; contributors and authors their own.
 */

export const STORY_SORTS = ['modified_desc', 'modified_asc', 'created_desc', 'published_desc', 'headline_asc'] as const;
export type StorySort = (typeof STORY_SORTS)[number];

export const STORY_PAGE_SIZE = 25;

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

/** Query-string filters; blank fields mean "any". Unknown values are a 400 naming the field. */
export const storyListQuerySchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(ARTICLE_STATUSES, 'not a story status').optional()),
  section: z.preprocess(blankToUndefined, z.string().max(100).optional()),
  author: z.preprocess(blankToUndefined, z.string().max(100).optional()),
  q: z.preprocess(blankToUndefined, z.string().trim().max(200, 'at most 200 characters').optional()),
  sort: z.preprocess(blankToUndefined, z.enum(STORY_SORTS, 'not a sort order').default('modified_desc')),
  page: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'not a page number' }).int('not a page number').min(1).max(10_000).default(1),
  ),
});

export type StoryListQuery = z.output<typeof storyListQuerySchema>;

export interface StoryListItem {
  id: string;
  headline: string;
  slug: string;
  sectionId: string;
  status: ArticleStatus;
  modifiedAt: string;
  publishedAt: string | null;
  scheduledAt: string | null;
  revision: number;
  createdBy: string | null;
  authors: Author[];
  /** A translation whose source changed after it was made (until an editor confirms it): since when. */
  translationOutOfDateSince: string | null;
  /** Whether this actor may edit it now (a contributor's submitted story is read-only). */
  editable: boolean;
}

export interface StoryListPage {
  query: StoryListQuery;
  items: StoryListItem[];
  hasNext: boolean;
  /** True when the actor sees only their own stories. */
  ownOnly: boolean;
}

/**
 * The story a pasted address or slug names ("/world/some-story", "some-story"): the last path
 * segment, when it is a slug with at least one hyphen (a single word is searched as a word).
 */
function pastedSlug(text: string): string | null {
  const path = text.trim().replace(/[?#].*$/, '');
  const last = path.split('/').filter(Boolean).pop()?.toLowerCase() ?? '';
  return SLUG_RE.test(last) && last.includes('-') ? last : null;
}

// Every list query reads the same columns in the same order, from the articles table or from a
// stretch of it: typed by the columns the sorts name.
type ListQuery = SelectQueryBuilder<any, 'a', any>;

function inListOrder<Q extends ListQuery>(q: Q, sort: StorySort): Q {
  switch (sort) {
    case 'modified_desc':
      return q.orderBy('a.modified_at', 'desc').orderBy('a.id', 'desc') as Q;
    case 'modified_asc':
      return q.orderBy('a.modified_at', 'asc').orderBy('a.id', 'asc') as Q;
    case 'created_desc':
      return q.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc') as Q;
    case 'published_desc':
      // Unpublished stories (no time) last on both databases.
      return q
        .orderBy(sql`case when a.published_at is null then 1 else 0 end`)
        .orderBy('a.published_at', 'desc')
        .orderBy('a.id', 'desc') as Q;
    case 'headline_asc':
      return q.orderBy(sql`lower(a.headline)`).orderBy('a.id') as Q;
    default: {
      const exhaustive: never = sort;
      throw new Error(`unknown sort ${String(exhaustive)}`);
    }
  }
}

/** Whether a stretch of the list (its first `length` stories at most) is the whole list. */
async function stretchIsAll(db: Db, stretch: ListQuery, length: number): Promise<boolean> {
  const { n } = await db
    .selectFrom(
      stretch
        .clearSelect()
        .clearOrderBy()
        .select(sql<number>`1`.as('one'))
        .as('s'),
    )
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(n) < length;
}

/** The columns a list row shows (the sorts read created_at too). */
const LISTED_COLUMNS = [
  'id',
  'headline',
  'slug',
  'section_id',
  'status',
  'modified_at',
  'published_at',
  'scheduled_at',
  'revision',
  'created_by',
] as const;

/** How the text filter bounds its work (search-engine.ts, deskQueryIsDense); tests shrink them. */
export interface DeskSearchBounds {
  /** A query whose every required word is in more visible stories than this walks the list (default: search-engine.ts, deskCommonWordDocs). */
  commonWordDocs?: number;
  /** Stories walked checking each, past the page's offset, before the query's matches are taken as a set. */
  walkAtMost: number;
}

const DESK_SEARCH_BOUNDS: DeskSearchBounds = { walkAtMost: 10_000 };

/** One page of the story list for `actor`; `raw` is the query string. */
export async function listStories(
  deps: ServiceDeps,
  actor: Actor,
  raw: unknown,
  bounds: DeskSearchBounds = DESK_SEARCH_BOUNDS,
): Promise<StoryListPage> {
  const query = parseInput(storyListQuerySchema, raw);
  const ownOnly = !roleAtLeast(actor.role, 'editor');
  // The stories the actor may list, filtered. Unordered unless asked: PostgreSQL plans an ordered
  // subquery on its own (sorting every story: 4–6 s a page at a million) where it would walk an
  // index for the page's own ORDER BY and LIMIT.
  const listed = (ordered = false) => {
    let q = deps.db.selectFrom('articles as a').select([...LISTED_COLUMNS.map((c) => `a.${c}` as const), 'a.created_at']);
    if (ownOnly) q = q.where('a.created_by', '=', actor.userId);
    if (query.status) q = q.where('a.status', '=', query.status);
    if (query.section) q = q.where('a.section_id', '=', query.section);
    if (query.author) {
      const authorId = query.author;
      q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId));
    }
    return ordered ? inListOrder(q, query.sort) : q;
  };
  const wanted = STORY_PAGE_SIZE + 1;
  const offset = (query.page - 1) * STORY_PAGE_SIZE;
  const page = (source: ReturnType<typeof listed>, condition?: RawBuilder<SqlBool>, inOrder = false) => {
    let q = deps.db.selectFrom(source.as('a')).select([
      ...LISTED_COLUMNS.map((c) => `a.${c}` as const),
      // A translation whose source changed since (translation-drift.ts): the desk's list flags the row.
      (eb) =>
        eb
          .selectFrom('translation_links as tl')
          .select('tl.out_of_date_since')
          .whereRef('tl.article_id', '=', 'a.id')
          .as('translation_out_of_date_since'),
    ]);
    if (condition) q = q.where(condition);
    // A stretch comes in the list's order already. Sorted again, its every story would be
    // checked before the first page came out (SQLite and PostgreSQL both read a sort's whole input).
    return (inOrder ? q : inListOrder(q, query.sort)).limit(wanted).offset(offset).execute();
  };
  // A pasted address or slug lists the story it names; when none does, its words are searched.
  const slug = query.q ? pastedSlug(query.q) : null;
  let rows = slug === null ? [] : await page(listed(), sql<SqlBool>`a.slug = ${slug}`);
  if (!rows.length && !query.q) rows = await page(listed());
  else if (!rows.length) {
    // The search engine (search-engine.ts: deskQueryIsDense), drafts included: the desk sees
    // them all. A box of punctuation alone matches nothing.
    const text = parseSearchQuery(query.q!);
    let walked = false;
    if (text && (await deskQueryIsDense(deps.db, deps.dialect, text, bounds.commonWordDocs))) {
      // Many matches: walk the list's own order checking each story, over a bounded stretch
      // (all of it when the page is not filled sooner).
      const stretch = listed(true).limit(offset + bounds.walkAtMost);
      rows = await page(stretch, storyMatches(deps.dialect, text), true);
      walked = rows.length === wanted || (await stretchIsAll(deps.db, stretch, offset + bounds.walkAtMost));
    }
    if (text && !walked) rows = await page(listed(), await storyAmongMatches(deps.db, deps.dialect, text));
  }
  const hasNext = rows.length > STORY_PAGE_SIZE;
  const pageRows = rows.slice(0, STORY_PAGE_SIZE);
  const authors = await authorsForArticles(
    deps.db,
    pageRows.map((r) => r.id),
  );
  const items = pageRows.map((r): StoryListItem => {
    const status = r.status as ArticleStatus;
    return {
      id: r.id,
      headline: r.headline,
      slug: r.slug,
      sectionId: r.section_id,
      status,
      modifiedAt: r.modified_at,
      publishedAt: r.published_at,
      scheduledAt: r.scheduled_at,
      revision: r.revision,
      createdBy: r.created_by,
      authors: authors.get(r.id) ?? [],
      translationOutOfDateSince: r.translation_out_of_date_since ?? null,
      editable: can(actor, 'edit', { status, createdBy: r.created_by }),
    };
  });
  return { query, items, hasNext, ownOnly };
}
