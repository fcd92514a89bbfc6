import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Gets the database the transaction ran on: the transaction itself is over when hooks run. */
type Hook = (db: Kysely<Database>) => void | Promise<void>;

/** After-commit hooks of each open outer transaction, so nested calls can queue onto them. */
const openHooks = new WeakMap<Kysely<Database>, Hook[]>();

/**
 * Queues a hook to run after the outer commit of `trx`, for code handed only the open
 * transaction (a helper shared by many services, such as publishing a content change).
 * Outside a transaction opened by withTransaction there is no commit to wait for: refused, so a
 * side effect can never run before (or without) the write it describes.
 */
export function queueAfterCommit(trx: Kysely<Database>, hook: Hook): void {
  const hooks = trx.isTransaction ? openHooks.get(trx) : undefined;
  if (!hooks) throw new Error('queueAfterCommit: not inside a transaction opened by withTransaction');
  hooks.push(hook);
}

/**
 * Runs fn in a transaction, then the queued after-commit hooks (cache purge, webhooks…).
 * Called with a transaction (a service composing other services, e.g. a wire import that
 * creates authors, tags and the article all-or-nothing), fn joins it: no nested transaction,
 * and the hooks wait for the outer commit.
 */
export async function withTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>, afterCommit: (hook: Hook) => void) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) {
    const trx = db as Transaction<Database>;
    const outer = openHooks.get(trx);
    if (!outer) throw new Error('withTransaction: joined a transaction that was not opened by withTransaction');
    return fn(trx, (hook) => outer.push(hook));
  }
  const hooks: Hook[] = [];
  const result = await db.transaction().execute((trx) => {
    openHooks.set(trx, hooks);
    return fn(trx, (hook) => hooks.push(hook));
  });
  for (const hook of hooks) await hook(db);
  return result;
}
