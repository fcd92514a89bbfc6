import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { ArticleTable } from '../../db/schema.ts';

/*
 * The one rule for "readers may see this story now": published, its publication time has come,
 * and no embargo still holds. The workflow keeps published_at >= embargo_until, but an import or
 * a hand edit can break that and a leaked story cannot be recalled, so every public read checks
 * the embargo too. Times are ISO-8601 UTC text on both databases: text order is time order.
 */

/** What the rule reads of a story. */
export type ReaderVisibilityFacts = { status: string; publishedAt: string | null; embargoUntil: string | null };

/** Whether readers may see the story at `nowIso`, for rows already in memory. */
export function isVisibleToReaders<T extends ReaderVisibilityFacts>(article: T, nowIso: string): article is T & { publishedAt: string } {
  const { status, publishedAt, embargoUntil } = article;
  return status === 'published' && publishedAt !== null && publishedAt <= nowIso && (embargoUntil === null || embargoUntil <= nowIso);
}

/**
 * The instant from which the rule holds for a story with these facts and no further write:
 * its publication time, or its embargo's end when that is later; null when it holds at no
 * time (not published). `isVisibleToReaders(f, now)` is exactly `visibleFrom(f) <= now` for a
 * non-null value. A copy kept beside a story's search document lets a public search apply
 * the rule without reading each match's story row (domain/search); it is written with the
 * story in the same transaction.
 */
export function visibleFrom(article: ReaderVisibilityFacts): string | null {
  const { status, publishedAt, embargoUntil } = article;
  if (status !== 'published' || publishedAt === null) return null;
  return embargoUntil !== null && embargoUntil > publishedAt ? embargoUntil : publishedAt;
}

/** The aliases among a query's tables that are the articles table (any other does not type-check). */
type ArticlesAlias<DB, TB extends keyof DB> = { [K in TB]: DB[K] extends ArticleTable ? K : never }[TB] & string;

/**
 * The same rule as a condition on the articles table known as `alias` in the query:
 * `.where((eb) => visibleToReaders(eb, 'a', nowIso))`. `nowIso` stays a bound parameter, so a
 * precompiled query passes its parameter marker and keeps one cached statement.
 */
export function visibleToReaders<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  alias: ArticlesAlias<DB, TB>,
  nowIso: string,
): Expression<SqlBool> {
  const column = (name: 'status' | 'published_at' | 'embargo_until') => sql.ref<string | null>(`${alias}.${name}`);
  const embargo = column('embargo_until');
  return eb.and([
    eb(column('status'), '=', 'published'),
    eb(column('published_at'), '<=', nowIso),
    eb.or([eb(embargo, 'is', null), eb(embargo, '<=', nowIso)]),
  ]);
}
