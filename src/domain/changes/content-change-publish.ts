import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { queueAfterCommit } from '../../db/transaction.ts';
import type { ServiceDeps } from '../deps.ts';
import { dropChangeDroppedMemos } from './change-dropped-memo.ts';
import { clearEverything, type ContentChange } from './content-change.ts';

/** What publishing needs: the database written, the sink (unset in unit tests: nothing to tell) and where failures go. */
export type ChangeDeps = Pick<ServiceDeps, 'db' | 'changes' | 'logger'>;

/**
 * The one way a write outside the story write path announces what readers may see: called
 * inside the write's transaction, it publishes `change` once the outer transaction commits,
 * and never on rollback. The write has committed by then, so a failed publish is logged,
 * never turned into a failed request.
 */
export function publishAfterCommit(deps: ChangeDeps, trx: Kysely<Database>, change: ContentChange): void {
  queueAfterCommit(trx, () => publishNow(deps, change));
}

/** Publishes a change that follows no transaction of its own (time passing, a bulk load); failures are logged. */
export async function publishNow(deps: ChangeDeps, change: ContentChange): Promise<void> {
  // Nothing readers see changed (an unused image described, a pending comment edited).
  if (!change.clear && !change.tags.length) return;
  // This node's memos of what every request reads, whether or not a bus listens (the bus drops
  // them again on every node, deps.ts).
  dropChangeDroppedMemos(deps.db);
  if (!deps.changes) return;
  try {
    await deps.changes.publish(change);
  } catch (err) {
    const log = deps.logger ?? { error: (obj: object, msg: string) => console.error(msg, obj) };
    log.error({ err, cause: change.cause }, 'publishing a content change failed');
  }
}

/**
 * A change naming `tags` and the given story tags; null story tags (too many to name, see
 * cache-tags-query.ts) make it a clear.
 */
export function changeNaming(cause: string, tags: readonly string[], storyTags: readonly string[] | null = []): ContentChange {
  return storyTags ? { tags: [...new Set([...tags, ...storyTags])], cause } : clearEverything(cause);
}
