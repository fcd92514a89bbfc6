import type { Db } from '../../db/database.ts';

/*
 * How far behind the durable queues are, for operators (metrics): the publishing scheduler's
 * jobs and the webhook outbox. Both read the queues' own indexes ((status, run_at) and
 * (status, next_attempt_at)), so a scrape costs two small aggregate queries.
 */

export interface SchedulerBacklog {
  /** Pending publish jobs already due. */
  overdue: number;
  /** Seconds since the oldest of them was due; 0 when none is (a healthy scheduler stays near 0). */
  lagSeconds: number;
}

export interface WebhookOutbox {
  /** Deliveries not yet sent for good: pending (waiting or retrying) and in flight. */
  depth: number;
  /** Seconds since the oldest of them was queued; 0 when the outbox is empty. */
  oldestAgeSeconds: number;
}

const ageSeconds = (iso: string | null | undefined, now: Date) => (iso ? Math.max(0, (now.getTime() - Date.parse(iso)) / 1000) : 0);

export async function schedulerBacklog(db: Db, now: Date): Promise<SchedulerBacklog> {
  const row = await db
    .selectFrom('scheduled_jobs')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('run_at').as('oldest')])
    .where('status', '=', 'pending')
    .where('run_at', '<=', now.toISOString())
    .executeTakeFirst();
  return { overdue: Number(row?.n ?? 0), lagSeconds: ageSeconds(row?.oldest, now) };
}

export async function webhookOutbox(db: Db, now: Date): Promise<WebhookOutbox> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('status', 'in', ['pending', 'delivering'])
    .executeTakeFirst();
  return { depth: Number(row?.n ?? 0), oldestAgeSeconds: ageSeconds(row?.oldest, now) };
}
