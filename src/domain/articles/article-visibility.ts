import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { ArticleTable } from '../../db/schema.ts';

/*
 * The one rule for "readers may see this story now": it is published, its publication time
 * has come, and no embargo still holds. The workflow keeps published_at >= embargo_until,
 * but an import or a hand edit of the database can break that, and a story leaked before
 * its embargo cannot be taken back, so every public surface checks the embargo itself.
 * Times are ISO-8601 UTC text on both databases: compared as text, they compare as times.
 */

/** What the rule reads of a story. */
export interface ReaderVisibilityFacts {
  status: string;
  publishedAt: string | null;
  embargoUntil: string | null;
}

/** Whether readers may see the story at `nowIso`, for rows already in memory. */
export function isVisibleToReaders<T extends ReaderVisibilityFacts>(article: T, nowIso: string): article is T & { publishedAt: string } {
  return (
    article.status === 'published' &&
    article.publishedAt !== null &&
    article.publishedAt <= nowIso &&
    (article.embargoUntil === null || article.embargoUntil <= nowIso)
  );
}

/** The aliases among a query's tables that are the articles table (anything else does not type-check). */
type ArticlesAlias<DB, TB extends keyof DB> = { [K in TB]: DB[K] extends ArticleTable ? K : never }[TB] & string;

/**
 * The same rule as a SQL condition on the articles table known as `alias` in the query:
 * `.where((eb) => visibleToReaders(eb, 'a', nowIso))`. `nowIso` is a bound parameter, so a
 * precompiled query can pass its own parameter marker and keep one cached statement.
 */
export function visibleToReaders<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, alias: ArticlesAlias<DB, TB>, nowIso: string): Expression<SqlBool> {
  const column = (name: 'status' | 'published_at' | 'embargo_until') => sql.ref<string | null>(`${alias}.${name}`);
  return eb.and([
    eb(column('status'), '=', 'published'),
    eb(column('published_at'), '<=', nowIso),
    eb.or([eb(column('embargo_until'), 'is', null), eb(column('embargo_until'), '<=', nowIso)]),
  ]);
}
