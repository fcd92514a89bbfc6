import type { LogEvent } from 'kysely';

/*
 * What operators may watch of a database handle (http/metrics.ts reads it): the time of every
 * query, through Kysely's log hook and the SQLite reader's direct path, and PostgreSQL's pool.
 * Listeners are kept per handle, so several apps in one process (tests) never mix their counts.
 */

export interface PoolStats {
  /** Connections open (idle and in use). */
  total: number;
  idle: number;
  /** Queries waiting for a free connection. */
  waiting: number;
  max: number;
}

export type QueryListener = (durationMs: number, failed: boolean) => void;

export interface DatabaseObserver {
  /** Hears every query's duration; returns the unsubscribe. */
  onQuery(listener: QueryListener): () => void;
  /** PostgreSQL's pool now; undefined for SQLite (one connection, no pool). */
  pool(): PoolStats | undefined;
}

/** The hooks database.ts wires into a handle it opens. */
export interface ObserverHooks {
  observer: DatabaseObserver;
  /** Kysely's `log` option. */
  log(event: LogEvent): void;
  /** Reports a query timed outside Kysely (the SQLite direct reader). */
  report(durationMs: number, failed: boolean): void;
}

export function createObserverHooks(pool?: () => PoolStats): ObserverHooks {
  const listeners = new Set<QueryListener>();
  const report = (ms: number, failed: boolean) => {
    for (const l of listeners) l(ms, failed);
  };
  return {
    report,
    log: (event) => {
      if (listeners.size) report(event.queryDurationMillis, event.level === 'error');
    },
    observer: {
      onQuery(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      pool: () => pool?.(),
    },
  };
}

const observers = new WeakMap<object, DatabaseObserver>();

export function registerObserver(db: object, observer: DatabaseObserver): void {
  observers.set(db, observer);
}

/** The observer of a handle opened by `openDatabase` (undefined for one built another way). */
export function databaseObserver(db: object): DatabaseObserver | undefined {
  return observers.get(db);
}
