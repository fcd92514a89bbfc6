import type { Db } from '../../db/database.ts';

/*
 * A fact the public pages ask on every request but that only a committed change can alter
 * (the breaking alert every page's chrome shows, the languages the search index holds), read
 * once for many requests. Every committed change drops every such memo of its database:
 * `publishNow` (content-change-publish.ts) as this node publishes it, bus or not, and the
 * node's change bus (deps.ts) as it hears it, from this node or another; a lost channel is
 * heard as a change too. Each memo is also read again once `trustedMs` has passed, for what
 * changes without telling anyone (a bulk import in another process).
 */

export interface ChangeDroppedMemo<T> {
  /** The value read at most `trustedMs` before `nowMs` and not dropped since; else a fresh read. */
  get(nowMs: number): Promise<T>;
  /** Forget the value: the next `get` reads again. */
  invalidate(): void;
}

const memosOf = new WeakMap<object, Set<ChangeDroppedMemo<unknown>>>();

/**
 * A memo of `read` per database (created on first use), dropped by `dropChangeDroppedMemos`.
 * `read` is told the time it reads at (the value may depend on it: what is visible then).
 */
export function changeDroppedMemo<T>(read: (db: Db, nowMs: number) => Promise<T>, trustedMs: number): (db: Db) => ChangeDroppedMemo<T> {
  const perDb = new WeakMap<object, ChangeDroppedMemo<T>>();
  return (db) => {
    let memo = perDb.get(db);
    if (memo) return memo;
    let last: { at: number; value: Promise<T> } | undefined;
    memo = {
      get(nowMs) {
        if (last && nowMs >= last.at && nowMs < last.at + trustedMs) return last.value;
        const value = read(db, nowMs);
        const entry = (last = { at: nowMs, value });
        // A failed read is not kept: the next request asks again.
        value.catch(() => {
          if (last === entry) last = undefined;
        });
        return value;
      },
      invalidate() {
        last = undefined;
      },
    };
    perDb.set(db, memo);
    let all = memosOf.get(db);
    if (!all) memosOf.set(db, (all = new Set()));
    all.add(memo as ChangeDroppedMemo<unknown>);
    return memo;
  };
}

/** Drops every memo of `db`: called for each committed change, before the page cache purges. */
export function dropChangeDroppedMemos(db: Db): void {
  for (const memo of memosOf.get(db) ?? []) memo.invalidate();
}
