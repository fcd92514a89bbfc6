import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { ServiceDeps } from '../deps.ts';
import { newId } from '../ids.ts';
import { transition } from './article-workflow.ts';
import { writeStory } from './article-write.ts';

/*
 * Durable scheduled publishing. All state lives in `scheduled_jobs`, so a restart loses
 * nothing and a late start catches up. A job is claimed by one conditional UPDATE
 * (pending → done) inside the transaction that publishes the story: on PostgreSQL a second
 * node's UPDATE waits for the row lock and then matches nothing; on SQLite writers are
 * serialised. Either way each story is published exactly once, and a crash mid-publish
 * rolls the claim back so the job runs again.
 */

/** After this many failed attempts (unexpected errors) a job is given up as `failed`. */
const MAX_ATTEMPTS = 5;

/** Queues the publication of `articleId` at `runAt`; call in the transaction that schedules it. */
export async function insertPublishJob(
  db: Db,
  articleId: string,
  runAt: string,
  createdBy: string | null,
  nowIso: string,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('scheduled_jobs')
    .values({
      id,
      article_id: articleId,
      action: 'publish',
      run_at: runAt,
      status: 'pending',
      attempts: 0,
      last_error: null,
      created_by: createdBy,
      created_at: nowIso,
      finished_at: null,
    })
    .execute();
  return id;
}

/** Cancels an article's pending jobs (rescheduled, published by hand, cancelled…). */
export async function cancelPendingJobs(db: Db, articleId: string, nowIso: string): Promise<void> {
  await db
    .updateTable('scheduled_jobs')
    .set({ status: 'cancelled', finished_at: nowIso })
    .where('article_id', '=', articleId)
    .where('status', '=', 'pending')
    .execute();
}

/** The earliest pending job's due time, or null when nothing is scheduled. */
export async function nextDueAt(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('scheduled_jobs')
    .select('run_at')
    .where('status', '=', 'pending')
    .orderBy('run_at')
    .limit(1)
    .executeTakeFirst();
  return row?.run_at ?? null;
}

export interface ScheduledJob {
  id: string;
  articleId: string;
  action: string;
  runAt: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

/** An article's jobs, newest first (for the newsroom and tests). */
export async function listJobs(db: Db, articleId: string): Promise<ScheduledJob[]> {
  const rows = await db
    .selectFrom('scheduled_jobs')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    articleId: r.article_id,
    action: r.action,
    runAt: r.run_at,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
  }));
}

export interface PublishDueResult {
  /** Articles this call published. */
  published: string[];
  /** Jobs this call closed without publishing, with the reason. */
  skipped: Array<{ jobId: string; articleId: string; reason: string }>;
  /** Jobs that hit an unexpected error; they stay pending (until MAX_ATTEMPTS) and run again. */
  errors: Array<{ jobId: string; articleId: string; error: unknown }>;
}

type JobOutcome = { kind: 'taken' } | { kind: 'published' } | { kind: 'skipped'; reason: string };

async function runPublishJob(deps: ServiceDeps, job: { id: string; article_id: string; run_at: string }, now: Date): Promise<JobOutcome> {
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    const claimed = await trx
      .updateTable('scheduled_jobs')
      .set({ status: 'done', finished_at: nowIso, attempts: sql<number>`attempts + 1` })
      .where('id', '=', job.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return { kind: 'taken' };
    let skipped = null as string | null;
    const close = async (status: 'cancelled' | 'failed', reason: string) => {
      await trx.updateTable('scheduled_jobs').set({ status, last_error: reason }).where('id', '=', job.id).execute();
      skipped = reason;
      return 'unchanged' as const;
    };
    // The story exists: deleting a story deletes its jobs (ON DELETE CASCADE), so none could be claimed.
    await writeStory(
      { ...deps, db: trx },
      {
        articleId: job.article_id,
        refusal: 'job',
        // The scheduler acts for whoever scheduled the story; the entry names the job, not a person.
        actor: null,
        action: 'publish',
        now,
        apply: async (article, { revision }) => {
          if (article.status !== 'scheduled' || article.scheduledAt !== job.run_at) {
            return close('cancelled', `The story is no longer scheduled for ${job.run_at} (it is ${article.status}).`);
          }
          const result = transition(article, { type: 'publish' }, null, now);
          if (!result.ok) return close('failed', result.reason);
          return {
            story: result.next,
            audit: { from: 'scheduled', to: 'published', revision, scheduledJobId: job.id },
            event: 'article.published',
          };
        },
      },
    );
    return skipped === null ? { kind: 'published' } : { kind: 'skipped', reason: skipped };
  });
}

/**
 * Publishes every story whose scheduled time is at or before `now` (defaults to the
 * clock), oldest first. Safe to call concurrently from several processes or nodes.
 */
export async function publishDue(deps: ServiceDeps, now: Date = deps.clock(), options: { batch?: number } = {}): Promise<PublishDueResult> {
  const batch = options.batch ?? 50;
  const out: PublishDueResult = { published: [], skipped: [], errors: [] };
  const failedThisRun = new Set<string>();
  for (;;) {
    const due = await deps.db
      .selectFrom('scheduled_jobs')
      .select(['id', 'article_id', 'run_at'])
      .where('status', '=', 'pending')
      .where('run_at', '<=', now.toISOString())
      .orderBy('run_at')
      .orderBy('id')
      .limit(batch + failedThisRun.size)
      .execute();
    const todo = due.filter((j) => !failedThisRun.has(j.id));
    for (const job of todo) {
      try {
        const outcome = await runPublishJob(deps, job, now);
        if (outcome.kind === 'published') {
          out.published.push(job.article_id);
        } else if (outcome.kind === 'skipped') {
          out.skipped.push({ jobId: job.id, articleId: job.article_id, reason: outcome.reason });
        }
      } catch (error) {
        failedThisRun.add(job.id);
        out.errors.push({ jobId: job.id, articleId: job.article_id, error });
        await recordAttemptFailure(deps.db, job.id, error, now.toISOString()).catch(() => {});
      }
    }
    if (todo.length < batch) return out;
  }
}

async function recordAttemptFailure(db: Db, jobId: string, error: unknown, nowIso: string): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db
    .updateTable('scheduled_jobs')
    .set((eb) => ({
      attempts: sql<number>`attempts + 1`,
      last_error: message,
      status: eb
        .case()
        .when('attempts', '>=', MAX_ATTEMPTS - 1)
        .then('failed')
        .else('pending')
        .end(),
      finished_at: eb
        .case()
        .when('attempts', '>=', MAX_ATTEMPTS - 1)
        .then(nowIso)
        .else(null)
        .end(),
    }))
    .where('id', '=', jobId)
    .where('status', '=', 'pending')
    .execute();
}
