import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { postWebhook, type PostResult } from './webhook-http.ts';
import { signPayload } from './webhook-signature.ts';

/*
 * Sending queued deliveries. A due row is claimed by one conditional UPDATE that matches
 * only the status and time the claimer read (pending → delivering, lease = next_attempt_at),
 * so two workers, on one node or many, never send the same attempt twice. A worker that
 * dies mid-send leaves the row `delivering`; once its lease runs out it is due again and
 * another worker retries it (receivers dedupe on x-masthead-delivery).
 */

/** Delays after attempt 1, 2, … (ms): 1 min, 5 min, 30 min, 2 h, 6 h, 15 h — about 24 h in all. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 54_000_000];

export interface DeliveryOptions {
  /** Allow private, loopback and link-local receivers (MASTHEAD_WEBHOOKS_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** Backoff delays; a delivery is attempted `retrySchedule.length + 1` times. */
  retrySchedule?: readonly number[];
  /** ± share of each delay added at random, so a receiver's outage does not end in a thundering herd. Default 0.1. */
  jitter?: number;
  /** Random number in [0, 1) for the jitter (injectable for tests). */
  random?: () => number;
  /** Whole-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** How long a claim lasts before another worker may retry the row. Default 60 s (well over the timeout). */
  leaseMs?: number;
  /** Rows claimed per check. Default 20. */
  batch?: number;
  /** Requests in flight at once per worker. Default 4. */
  concurrency?: number;
}

export type DeliveryOutcome = {
  id: string;
  webhookId: string;
  outcome: 'succeeded' | 'retry' | 'failed' | 'disabled';
  statusCode: number | null;
  error: string | null;
};

/** The delay before attempt `attempt + 1`, with jitter; null when `attempt` was the last. */
export function retryDelay(attempt: number, options: Pick<DeliveryOptions, 'retrySchedule' | 'jitter' | 'random'> = {}): number | null {
  const schedule = options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE;
  const base = schedule[attempt - 1];
  if (base === undefined) return null;
  const jitter = options.jitter ?? 0.1;
  const r = (options.random ?? Math.random)();
  return Math.max(0, Math.round(base * (1 + jitter * (2 * r - 1))));
}

/** The earliest time any delivery is due (pending, or delivering with an expired lease). */
export async function nextDeliveryDueAt(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', 'in', ['pending', 'delivering'])
    .executeTakeFirst();
  return row?.at ?? null;
}

interface Claimed {
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  attempts: number;
}

/** Claims up to `limit` due deliveries for this worker. */
/**
 * Claims up to `limit` due rows. `more` says whether the query was full: rows another worker
 * claimed first make `claimed` shorter without meaning the queue is empty.
 */
async function claimDue(deps: ServiceDeps, now: Date, leaseMs: number, limit: number): Promise<{ claimed: Claimed[]; more: boolean }> {
  const nowIso = now.toISOString();
  const due = await deps.db
    .selectFrom('webhook_deliveries')
    .select(['id', 'webhook_id', 'event', 'payload', 'status', 'attempts', 'next_attempt_at'])
    .where('status', 'in', ['pending', 'delivering'])
    .where('next_attempt_at', '<=', nowIso)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  const claimed: Claimed[] = [];
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  for (const row of due) {
    const result = await deps.db
      .updateTable('webhook_deliveries')
      .set({ status: 'delivering', attempts: sql<number>`attempts + 1`, next_attempt_at: leaseUntil, last_attempt_at: nowIso })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .where('next_attempt_at', '=', row.next_attempt_at)
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) claimed.push({ ...row, attempts: row.attempts + 1 });
  }
  return { claimed, more: due.length === limit };
}

/** Writes an attempt's result, unless the row was meanwhile reclaimed (lease expired) or reset. */
async function record(db: Db, c: Claimed, values: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set(values)
    .where('id', '=', c.id)
    .where('status', '=', 'delivering')
    .where('attempts', '=', c.attempts)
    .execute();
}

async function deliverOne(deps: ServiceDeps, c: Claimed, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const hook = await deps.db
    .selectFrom('webhooks')
    .select(['id', 'url', 'secret', 'enabled'])
    .where('id', '=', c.webhook_id)
    .executeTakeFirst();
  const maxAttempts = (options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE).length + 1;
  const base = { id: c.id, webhookId: c.webhook_id };
  if (!hook || hook.enabled !== 1) {
    const error = 'The webhook is disabled; the delivery was not sent.';
    await record(deps.db, c, { status: 'failed', last_error: error, attempts: c.attempts - 1 });
    return { ...base, outcome: 'failed', statusCode: null, error };
  }
  const sentAt = deps.clock();
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Masthead-Webhooks/1',
    'x-masthead-event': c.event,
    'x-masthead-delivery': c.id,
    'x-masthead-timestamp': String(timestamp),
    'x-masthead-signature': signPayload(hook.secret, timestamp, c.payload),
  };
  let result: PostResult | null = null;
  let error: string | null = null;
  try {
    result = await postWebhook(hook.url, c.payload, headers, {
      timeoutMs: options.timeoutMs ?? 10_000,
      allowPrivate: options.allowPrivate,
    });
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const now = deps.clock();
  const nowIso = now.toISOString();
  const statusCode = result?.statusCode ?? null;
  const common = { last_status_code: statusCode, response_excerpt: result?.excerpt ?? null, last_attempt_at: nowIso };
  if (result && statusCode !== null && statusCode >= 200 && statusCode < 300) {
    await record(deps.db, c, { ...common, status: 'succeeded', delivered_at: nowIso, last_error: null });
    return { ...base, outcome: 'succeeded', statusCode, error: null };
  }
  if (statusCode === 410) {
    // The receiver says it is gone for good: stop sending it anything until an admin re-enables it.
    const reason = `The receiver answered 410 Gone on ${nowIso.slice(0, 16).replace('T', ' ')} UTC; the webhook was disabled.`;
    // One transaction: the disabled hook is never left without its audit entry.
    await withTransaction(deps.db, async (trx) => {
      await record(trx, c, { ...common, status: 'failed', last_error: 'HTTP 410 Gone: webhook disabled' });
      await trx
        .updateTable('webhooks')
        .set({ enabled: 0, disabled_reason: reason, updated_at: nowIso })
        .where('id', '=', c.webhook_id)
        .execute();
      await recordAudit(trx, {
        at: now,
        actorUserId: null,
        action: 'webhook.disabled',
        subjectType: 'webhook',
        subjectId: c.webhook_id,
        details: { reason: 'http_410', delivery: c.id },
      });
    });
    return { ...base, outcome: 'disabled', statusCode, error: 'HTTP 410 Gone' };
  }
  const message = error ?? `HTTP ${statusCode}`;
  const delay = c.attempts < maxAttempts ? retryDelay(c.attempts, options) : null;
  if (delay === null) {
    await record(deps.db, c, {
      ...common,
      status: 'failed',
      last_error: `${message} (gave up after ${c.attempts} attempt${c.attempts === 1 ? '' : 's'})`,
    });
    return { ...base, outcome: 'failed', statusCode, error: message };
  }
  await record(deps.db, c, {
    ...common,
    status: 'pending',
    last_error: message,
    next_attempt_at: new Date(now.getTime() + delay).toISOString(),
  });
  return { ...base, outcome: 'retry', statusCode, error: message };
}

/**
 * Claims and sends every due delivery (in batches, `concurrency` at a time) and returns
 * what happened to each. Safe to run concurrently from any number of workers.
 */
export async function deliverDue(deps: ServiceDeps, options: DeliveryOptions): Promise<DeliveryOutcome[]> {
  const leaseMs = options.leaseMs ?? 60_000;
  const batch = options.batch ?? 20;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const out: DeliveryOutcome[] = [];
  for (;;) {
    const { claimed, more } = await claimDue(deps, deps.clock(), leaseMs, batch);
    const queue = [...claimed];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) out.push(await deliverOne(deps, c, options));
      }),
    );
    if (!more) return out;
  }
}
