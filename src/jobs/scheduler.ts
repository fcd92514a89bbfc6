import type { ServiceDeps } from '../domain/deps.ts';
import { nextDueAt, publishDue } from '../domain/articles/article-scheduler.ts';
import { publishCommentClosings, publishVisibilityStarts } from '../domain/changes/story-visibility-start.ts';
import { publishFrontTakeovers } from '../domain/fronts/front-takeover.ts';
import { backfillVocabularyStep } from '../domain/search/search-vocabulary-backfill.ts';
import { createBackgroundLoop, type BackgroundLoop, type JobLogger } from './background-loop.ts';

export interface SchedulerOptions {
  /** Longest sleep between checks, so jobs scheduled by other nodes are seen within it. Default 1000 ms. */
  maxSleepMs?: number;
  logger?: JobLogger;
  /** Discussions close this many days after publication (0: never); their pages are announced when they do. */
  commentsCloseAfterDays?: number;
}

export type Scheduler = BackgroundLoop;

/** Pause between two batches of a vocabulary back-fill. */
const BACKFILL_PAUSE_MS = 100;

/**
 * The in-process publishing loop. It keeps no state of its own (the jobs live in the
 * database), so any number of app nodes may run it, and a restart simply catches up.
 * It wakes at the next due time, and at least every `maxSleepMs`.
 */
export function createScheduler(deps: ServiceDeps, options: SchedulerOptions = {}): Scheduler {
  const maxSleepMs = options.maxSleepMs ?? 1000;
  const log = options.logger;
  // Visibility that starts with the clock (a future publication time, an embargo ending) is
  // announced from here. Only memory: a node starting up looks back one interval, and an
  // empty cache (just started) has nothing stale anyway.
  let visibleSince: string | undefined;
  // A deferred spelling-vocabulary back-fill (a big archive's migration) is counted a batch per
  // tick; once none is found this node stops asking (only a migration defers one).
  let backfilling = true;

  async function tick(): Promise<number> {
    visibleSince ??= new Date(deps.clock().getTime() - maxSleepMs).toISOString();
    const result = await publishDue(deps);
    const checkedAt = deps.clock().toISOString();
    // A failed check throws before the window moves, so the next tick covers it again.
    await publishVisibilityStarts(deps, visibleSince, checkedAt);
    await publishCommentClosings(deps, visibleSince, checkedAt, options.commentsCloseAfterDays ?? 0);
    // Scheduled front arrangements that took over (domain/fronts/front-takeover.ts).
    await publishFrontTakeovers(deps, visibleSince, checkedAt);
    visibleSince = checkedAt;
    if (result.published.length)
      log?.info(
        { articles: result.published },
        `published ${result.published.length} scheduled stor${result.published.length === 1 ? 'y' : 'ies'}`,
      );
    for (const s of result.skipped) log?.info({ job: s.jobId, article: s.articleId }, `scheduled publish skipped: ${s.reason}`);
    for (const e of result.errors) log?.error({ err: e.error, job: e.jobId, article: e.articleId }, 'scheduled publish failed; will retry');
    if (backfilling) backfilling = await backfillVocabularyStep(deps.db, deps.dialect, checkedAt);
    const next = await nextDueAt(deps.db);
    // Another batch soon, but not at once: requests get the event loop between batches.
    if (backfilling)
      return Math.min(BACKFILL_PAUSE_MS, maxSleepMs, next === null ? Infinity : Math.max(10, Date.parse(next) - deps.clock().getTime()));
    if (next === null) return maxSleepMs;
    const wait = Date.parse(next) - deps.clock().getTime();
    // A job that keeps failing stays due; a small floor keeps that from spinning the CPU.
    return Math.min(maxSleepMs, Math.max(result.errors.length ? 100 : 10, wait));
  }

  // Catch-up is awaited: overdue stories go out before the server reports itself started.
  return createBackgroundLoop({
    tick,
    retryAfterMs: maxSleepMs,
    failureMessage: 'scheduler check failed',
    logger: log,
    awaitCatchUp: true,
  });
}
