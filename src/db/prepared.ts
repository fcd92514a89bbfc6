import { sql, type Compilable, type CompiledQuery, type Kysely, type RawBuilder } from 'kysely';
import { directReader, keepPreparedOnServer, offThreadReader, type Db } from './database.ts';
import type { Database } from './schema.ts';

/*
 * Hot read paths (the public pages) run the same few queries thousands of times a second.
 * Building and compiling a Kysely query costs more than running it, so these queries are
 * built once per database with marker values, and later runs only swap the parameters.
 */

const MARKER_PREFIX = '\u0000masthead-param-';

type Slot = { kind: 'param'; index: number } | { kind: 'const'; value: unknown };

interface Compiled<R> {
  query: CompiledQuery<R>;
  slots: Slot[];
}

/**
 * Defines a read query whose shape never changes, only its parameter values. `build` receives
 * one marker per parameter and must use each marker as a plain value (not in an `in` list).
 * Never use it for writes: on SQLite files it runs on a read-only connection (with `offThread`,
 * one on a worker thread: for reads that cost milliseconds, not for small indexed ones).
 */
export function preparedQuery<P extends readonly unknown[], R>(
  build: (db: Kysely<Database>, ...params: { [K in keyof P]: any }) => Compilable<R>,
  options?: { offThread?: boolean },
): (db: Db, ...params: P) => Promise<R[]>;
/**
 * With `arrays`, each row is the array of its values in the order the query selects them (`R`
 * the caller's tuple type of them): a hot read of many rows and columns skips building an
 * object per row (a third of the related stories' query on SQLite). Selected names must be
 * distinct, as they must for object rows.
 */
export function preparedQuery<P extends readonly unknown[], R extends readonly unknown[]>(
  build: (db: Kysely<Database>, ...params: { [K in keyof P]: any }) => Compilable<unknown>,
  options: { offThread?: boolean; arrays: true },
): (db: Db, ...params: P) => Promise<R[]>;
export function preparedQuery<P extends readonly unknown[], R>(
  build: (db: Kysely<Database>, ...params: { [K in keyof P]: any }) => Compilable<R>,
  options: { offThread?: boolean; arrays?: boolean } = {},
): (db: Db, ...params: P) => Promise<R[]> {
  // Where rows come as objects (PostgreSQL, Kysely's connection, the worker), their values
  // are in select order: drivers set properties column by column.
  const shape = (rows: unknown[]): R[] => (options.arrays ? rows.map((r) => Object.values(r as object)) : rows) as R[];
  const perDb = new WeakMap<object, Compiled<R>>();
  return async (db, ...params) => {
    let compiled = perDb.get(db);
    if (!compiled) {
      const markers = params.map((_, i) => `${MARKER_PREFIX}${i}`);
      const query = build(db as Kysely<Database>, ...(markers as never)).compile();
      const slots: Slot[] = query.parameters.map((value) =>
        typeof value === 'string' && value.startsWith(MARKER_PREFIX)
          ? { kind: 'param', index: Number(value.slice(MARKER_PREFIX.length)) }
          : { kind: 'const', value },
      );
      compiled = { query, slots };
      perDb.set(db, compiled);
      keepPreparedOnServer(query.sql);
    }
    const parameters = compiled.slots.map((s) => (s.kind === 'param' ? params[s.index] : s.value));
    // A heavy read runs beside the event loop on SQLite (db/sqlite-read-worker.ts).
    const offThread = options.offThread ? offThreadReader(db) : undefined;
    if (offThread) return shape(await offThread(compiled.query.sql, parameters));
    const direct = directReader(db);
    if (direct) return direct(compiled.query.sql, parameters, options.arrays) as R[];
    const result = await db.executeQuery<R>({ ...compiled.query, parameters });
    return shape(result.rows);
  };
}

/**
 * The LIMIT of a prepared query whose row count is one of its parameters, as `.limit(limitParam(n))`.
 * SQLite's planner reads the value bound to a bare `LIMIT ?`, which marks the statement to be
 * compiled again whenever a value is bound: on every run (~30 µs for the related stories'
 * query against ~25 µs for running it). Cast, the parameter is the same number to SQLite and
 * PostgreSQL but none the planner looks at, so the statement compiled once is reused.
 * Only for queries whose plan does not depend on how many rows are asked for.
 */
export function limitParam(limit: number): RawBuilder<number> {
  return sql<number>`cast(${limit} as integer)`;
}

/** Ids per run of a `preparedByIds` query. */
const IDS_PER_QUERY = 10;

/**
 * A prepared read of the rows of a list of ids (text keys), for lists of any length: `build`
 * receives IDS_PER_QUERY markers to put in one `in (…)` list; longer lists run in several
 * queries and a short one is padded with '' (no row's id), so the query keeps one shape.
 */
export function preparedByIds<R>(
  build: (db: Kysely<Database>, ids: any[]) => Compilable<R>,
): (db: Db, ids: readonly string[]) => Promise<R[]> {
  const query = preparedQuery<string[], R>((db, ...ids) => build(db, ids));
  return async (db, ids) => {
    // Each id once, as one `in` list would read it, whichever chunk it falls in.
    const unique = [...new Set(ids)];
    const rows: R[] = [];
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      const chunk = unique.slice(i, i + IDS_PER_QUERY);
      while (chunk.length < IDS_PER_QUERY) chunk.push('');
      rows.push(...(await query(db, ...chunk)));
    }
    return rows;
  };
}

/**
 * Runs a query built per call whose shapes come from a small set (a list page's few optional
 * filters, never a list of values of varying length), as a named statement on PostgreSQL: a
 * deep list page's query took ~5 ms to plan against ~0.3 ms to run on 1,000,000 stories.
 */
export async function runKeptOnServer<R>(db: Db, query: Compilable<R>): Promise<R[]> {
  const compiled = query.compile();
  keepPreparedOnServer(compiled.sql);
  return (await db.executeQuery(compiled)).rows;
}
