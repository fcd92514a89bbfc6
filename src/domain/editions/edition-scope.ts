import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { EditionScope } from './edition.ts';

/*
 * The edition's stories as a condition on the articles table known as `alias`: its language,
 * or (the default edition) no other edition's. With a single edition the scope is empty and
 * this is `true`, so callers may skip it and keep their precompiled queries.
 */
export function inEditionScope<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  alias: string,
  scope: EditionScope,
): Expression<SqlBool> {
  const language = sql.ref<string>(`${alias}.language`);
  if (scope.language) return eb(language, '=', scope.language);
  if (scope.languagesNotIn?.length) return eb(language, 'not in', [...scope.languagesNotIn]);
  return sql<SqlBool>`1 = 1`;
}

/** Whether a scope filters at all. */
export function scopeFilters(scope: EditionScope | undefined): scope is EditionScope {
  return Boolean(scope && (scope.language || scope.languagesNotIn?.length));
}
