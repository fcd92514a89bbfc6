import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from './database.ts';

/*
 * A short list that belongs to a row (a story's bylines, its tags) read with the row, as one
 * JSON value of a correlated subquery, instead of by a statement of its own: on PostgreSQL
 * each statement is a round trip (~0.1–0.2 ms of the server's CPU under load), on SQLite one
 * more statement to step through.
 */

/**
 * `(select <JSON array of [columns…] per row, in orderBy order> from <from>)`: `columns` and
 * `orderBy` are column references of `from` (`au.name`). Read it back with `readJsonRows`.
 */
export function jsonRows(
  dialect: DialectName,
  columns: readonly string[],
  from: RawBuilder<unknown>,
  orderBy: string,
): RawBuilder<unknown> {
  if (dialect === 'postgres') {
    return sql`(select json_agg(json_build_array(${sql.join(columns.map((c) => sql.ref(c)))}) order by ${sql.ref(orderBy)}) from ${from})`;
  }
  // SQLite sorts for an ORDER BY inside an aggregate in a temporary b-tree even when an index
  // gives the rows in that order (a third of the statement's time on an article page); fed
  // from a subquery in order, json_group_array keeps that order (as Kysely's jsonArrayFrom relies on).
  const named = sql.join(columns.map((c, i) => sql`${sql.ref(c)} as ${sql.ref(`v${i}`)}`));
  const values = sql.join(columns.map((_, i) => sql.ref(`v${i}`)));
  return sql`(select json_group_array(json_array(${values})) from (select ${named} from ${from} order by ${sql.ref(orderBy)}))`;
}

/** A `jsonRows` value as read: JSON text (SQLite), an array already (pg parses json), or null (no row, PostgreSQL). */
export function readJsonRows<T extends readonly unknown[]>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as T[];
}
