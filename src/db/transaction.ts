import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Runs fn in a transaction, then the queued after-commit hooks (cache purge, webhooks…). */
export async function withTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>, afterCommit: (hook: () => void | Promise<void>) => void) => Promise<T>,
): Promise<T> {
  const hooks: Array<() => void | Promise<void>> = [];
  const result = await db.transaction().execute((trx) => fn(trx, (hook) => hooks.push(hook)));
  for (const hook of hooks) await hook();
  return result;
}
