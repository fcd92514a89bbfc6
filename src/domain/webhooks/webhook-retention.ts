import type { ServiceDeps } from '../deps.ts';

/** Rows deleted per statement, so a first prune of a large log never holds a long lock. */
const BATCH = 1000;

/**
 * Deletes webhook deliveries finished (sent, or failed for good) before the retention window:
 * the newsroom's delivery log keeps the recent ones, the table stops growing forever. Pending
 * and in-flight deliveries are never touched, however old: they are still owed to a receiver.
 * Returns how many rows were deleted.
 */
export async function pruneWebhookDeliveries(deps: Pick<ServiceDeps, 'db' | 'clock'>, retentionDays: number): Promise<number> {
  const cutoff = new Date(deps.clock().getTime() - retentionDays * 24 * 3600 * 1000).toISOString();
  let deleted = 0;
  for (;;) {
    // Portable batched delete (SQLite has no DELETE … LIMIT by default, PostgreSQL none at all).
    const result = await deps.db
      .deleteFrom('webhook_deliveries')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('status', 'in', ['succeeded', 'failed'])
          .where('created_at', '<', cutoff)
          .limit(BATCH),
      )
      .executeTakeFirst();
    const n = Number(result.numDeletedRows);
    deleted += n;
    if (n < BATCH) return deleted;
  }
}
