import { z } from 'zod';
import { findAuthorBySlug, type Byline } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import { listPublishedTeasers, listTeasersByIds, type Teaser } from '../published/article-teasers.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import { SLUG_RE } from '../slug.ts';
import { findTagBySlug } from '../tags/tag.ts';
import { COUNT_CAP, searchVisibleStories, type SearchFilters, type SearchSort } from './search-engine.ts';
import { parseSearchQuery, queryWords, type SearchQuery } from './search-query.ts';
import { buildSnippet, type SnippetPart } from './search-snippet.ts';
import { suggestQuery } from './search-suggest.ts';
import type { EditionScope } from '../editions/edition.ts';

/*
 * Public search, as the site's /search page and the Content API's /v1/search ask it: validated
 * input (one schema for both), the engine's page of hits, then teasers, bylines and snippets
 * for that page. Results are what readers may see now: the engine applies the visibility rule
 * and the teasers are loaded through it again.
 */

/** Deepest result reachable: pages stop at COUNT_CAP results (bounded pagination). */
export const MAX_RESULTS = COUNT_CAP;

const slug = z.string().regex(SLUG_RE, 'must be a slug such as "world"');
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-31')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'must be a real date');

/** The search's inputs; blank form fields count as absent. */
export const searchInputSchema = z.object({
  q: z.string().max(2000, 'is far too long').default('').meta({ description: 'What to search for: words, "a phrase", -excluded, a OR b' }),
  section: slug.optional().meta({ description: 'Only stories in this section (slug)' }),
  author: slug.optional().meta({ description: 'Only stories by this author (slug)' }),
  tag: slug.optional().meta({ description: 'Only stories with this tag (slug)' }),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'must be a language code such as "fr"')
    .optional()
    .meta({ description: 'Only stories in this language (primary subtag, e.g. `fr`)' }),
  from: day.optional().meta({ description: 'Published on or after this day (UTC, YYYY-MM-DD)' }),
  to: day.optional().meta({ description: 'Published on or before this day (UTC, YYYY-MM-DD)' }),
  sort: z.enum(['relevance', 'newest']).default('relevance').meta({ description: 'Best match first, or newest first' }),
  page: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(1)
    .meta({ description: 'Page number (1-based)' }),
});

export type SearchInput = z.infer<typeof searchInputSchema>;

export interface SearchResult {
  teaser: Teaser & { language: string };
  bylines: Byline[];
  score: number;
  snippet: SnippetPart[];
}

export interface SearchAnswer {
  input: SearchInput;
  /** Null when there was nothing to search for (an empty box). */
  query: SearchQuery | null;
  results: SearchResult[];
  /** Matches counted: up to RANK_CANDIDATES ("200+" past it; a page beyond the candidates counts to MAX_RESULTS). */
  total: number;
  /** True when there may be more matches than `total` says (counting stopped there). */
  totalCapped: boolean;
  page: number;
  pageSize: number;
  hasNextPage: boolean;
  /** The newest stories, offered when nothing matched. */
  recent: Teaser[];
  /** "Did you mean": the query with misspelt words corrected, when that finds more; else null. */
  suggestion: string | null;
}

/** Below this many matches the query's words are checked for misspellings. */
export const SUGGEST_BELOW = 3;

async function resolveFilters(deps: ServiceDeps, input: SearchInput, edition: EditionScope | undefined): Promise<SearchFilters | null> {
  // Sections from the in-memory directory (every page reads it; a miss reloads it at once).
  const [section, author, tag] = await Promise.all([
    input.section
      ? sectionDirectory(deps.db)
          .bySlug(input.section)
          .then((s) => s ?? null)
      : undefined,
    input.author ? findAuthorBySlug(deps.db, input.author) : undefined,
    input.tag ? findTagBySlug(deps.db, input.tag) : undefined,
  ]);
  // An unknown section, author or tag matches nothing (as the Content API's lists do).
  if (section === null || author === null || tag === null) return null;
  const filters: SearchFilters = {};
  if (section) filters.sectionId = section.id;
  if (author) filters.authorId = author.id;
  if (tag) filters.tagId = tag.id;
  if (input.language) filters.language = input.language;
  if (edition) filters.edition = edition;
  if (input.from) filters.from = `${input.from}T00:00:00.000Z`;
  if (input.to) filters.until = new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000).toISOString();
  return filters;
}

/**
 * Runs a public search, within one edition's stories when `edition` is given (the search page
 * under an edition's address, the API's `edition=`). Refuses (ValidationError) abusive
 * queries; an empty one answers no results.
 */
export async function searchPublished(
  deps: ServiceDeps,
  input: SearchInput,
  pageSize: number,
  edition?: EditionScope,
): Promise<SearchAnswer> {
  const query = parseSearchQuery(input.q);
  const nowIso = deps.clock().toISOString();
  const offset = (input.page - 1) * pageSize;
  const empty: SearchAnswer = {
    input,
    query,
    results: [],
    total: 0,
    totalCapped: false,
    page: input.page,
    pageSize,
    hasNextPage: false,
    recent: [],
    suggestion: null,
  };
  const filters = query ? await resolveFilters(deps, input, edition) : null;
  if (!query || !filters || offset >= MAX_RESULTS) return withRecent(deps, empty, nowIso, query !== null, edition);
  const { hits, total, capped, reachable } = await searchVisibleStories(deps.db, deps.dialect, {
    query,
    filters,
    sort: input.sort as SearchSort,
    offset,
    limit: pageSize,
    nowIso,
  });
  // With each teaser, the text its snippet is cut from and its bylines: one statement.
  const teasers = await listTeasersByIds(
    deps.db,
    hits.map((h) => h.articleId),
    nowIso,
    { indexedText: true, bylines: true },
  );
  const highlight = queryWords(query);
  const results: SearchResult[] = [];
  for (const hit of hits) {
    const found = teasers.get(hit.articleId);
    if (!found) continue;
    const { indexedText, bylines, ...teaser } = found;
    results.push({ teaser, bylines, score: hit.score, snippet: buildSnippet(indexedText, teaser.language, highlight) });
  }
  const answer: SearchAnswer = {
    ...empty,
    results,
    total,
    totalCapped: capped,
    // Pages reach as far as the ranked results do (the count may look further).
    hasNextPage: offset + pageSize < Math.min(reachable, MAX_RESULTS),
    suggestion: total < SUGGEST_BELOW && input.page === 1 ? await checkedSuggestion(deps, query, filters, total, nowIso) : null,
  };
  return total === 0 ? withRecent(deps, answer, nowIso, true, edition) : answer;
}

/** A corrected query, offered only when it finds more than the reader's own did (with the same filters). */
async function checkedSuggestion(
  deps: ServiceDeps,
  query: SearchQuery,
  filters: SearchFilters,
  total: number,
  nowIso: string,
): Promise<string | null> {
  const text = await suggestQuery(deps.db, deps.dialect, query);
  const corrected = text === null ? null : parseSearchQuery(text);
  if (!text || !corrected) return null;
  const found = await searchVisibleStories(deps.db, deps.dialect, {
    query: corrected,
    filters,
    sort: 'relevance',
    offset: 0,
    limit: 1,
    nowIso,
  });
  return found.total > total ? text : null;
}

async function withRecent(
  deps: ServiceDeps,
  answer: SearchAnswer,
  nowIso: string,
  searched: boolean,
  edition: EditionScope | undefined,
): Promise<SearchAnswer> {
  if (!searched) return answer;
  // The edition's newest stories, as its front lists them.
  const { items } = await listPublishedTeasers(deps.db, edition ? { edition } : {}, { limit: 5 }, nowIso);
  return { ...answer, recent: items };
}
