import { sql } from 'kysely';
import { z } from 'zod';
import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { authorsForArticles, type Author } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import { ARTICLE_STATUSES, type ArticleStatus } from '../articles/article.ts';
import { can } from '../articles/article-policy.ts';
import { parseInput } from '../articles/article-service.ts';
import { storiesMatching } from '../search/search-engine.ts';
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

/** `%`, `_` and `\` are literal in the search text. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of the story list for `actor`; `raw` is the query string. */
export async function listStories(deps: ServiceDeps, actor: Actor, raw: unknown): Promise<StoryListPage> {
  const query = parseInput(storyListQuerySchema, raw);
  const ownOnly = !roleAtLeast(actor.role, 'editor');
  let q = deps.db.selectFrom('articles as a').select([
    'a.id',
    'a.headline',
    'a.slug',
    'a.section_id',
    'a.status',
    'a.modified_at',
    'a.published_at',
    'a.scheduled_at',
    'a.revision',
    'a.created_by',
    // A translation whose source changed since (translation-drift.ts): the desk's list flags the row.
    (eb) =>
      eb
        .selectFrom('translation_links as tl')
        .select('tl.out_of_date_since')
        .whereRef('tl.article_id', '=', 'a.id')
        .as('translation_out_of_date_since'),
  ]);
  if (ownOnly) q = q.where('a.created_by', '=', actor.userId);
  if (query.status) q = q.where('a.status', '=', query.status);
  if (query.section) q = q.where('a.section_id', '=', query.section);
  if (query.author) {
    const authorId = query.author;
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId));
  }
  if (query.q) {
    // The search engine (every story in the index, drafts included: the desk sees them all),
    // or a slug pasted from an address. A box of punctuation alone matches no words.
    const text = parseSearchQuery(query.q);
    const pattern = likePattern(query.q);
    q = q.where((eb) =>
      eb.or([
        ...(text ? [eb('a.id', 'in', storiesMatching(eb, deps.dialect, text))] : []),
        eb(sql`lower(a.slug)`, 'like', sql`${pattern} escape '\\'`),
      ]),
    );
  }
  switch (query.sort) {
    case 'modified_desc':
      q = q.orderBy('a.modified_at', 'desc').orderBy('a.id', 'desc');
      break;
    case 'modified_asc':
      q = q.orderBy('a.modified_at', 'asc').orderBy('a.id', 'asc');
      break;
    case 'created_desc':
      q = q.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc');
      break;
    case 'published_desc':
      // Unpublished stories (no time) last on both databases.
      q = q
        .orderBy(sql`case when a.published_at is null then 1 else 0 end`)
        .orderBy('a.published_at', 'desc')
        .orderBy('a.id', 'desc');
      break;
    case 'headline_asc':
      q = q.orderBy(sql`lower(a.headline)`).orderBy('a.id');
      break;
    default: {
      const exhaustive: never = query.sort;
      throw new Error(`unknown sort ${String(exhaustive)}`);
    }
  }
  const rows = await q
    .limit(STORY_PAGE_SIZE + 1)
    .offset((query.page - 1) * STORY_PAGE_SIZE)
    .execute();
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
