import type { Actor } from '../accounts/role.ts';
import { assertCan } from '../articles/article-policy.ts';
import { writeStory } from '../articles/article-write.ts';
import type { Article, LiveCoverage } from '../articles/article.ts';
import { storyTag } from '../changes/cache-tags.ts';
import { publishAfterCommit } from '../changes/content-change-publish.ts';
import type { ServiceDeps } from '../deps.ts';
import { ValidationError } from '../errors.ts';

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export interface LiveCoverageInput {
  /** false turns the live blog off (its entries stay stored, and show again if it is turned back on). */
  live: boolean;
  /** ISO-8601 UTC; defaults to now (or the start already set). */
  startAt?: string | null;
  /** ISO-8601 UTC; null or omitted while the end is not known. */
  endAt?: string | null;
}

function coverageFrom(input: LiveCoverageInput, current: LiveCoverage | null, nowIso: string): LiveCoverage | null {
  if (!input.live) return null;
  for (const [field, value] of [
    ['startAt', input.startAt],
    ['endAt', input.endAt],
  ] as const) {
    if (value && !ISO_UTC.test(value)) {
      throw new ValidationError(`${field}: give a UTC time such as 2026-12-04T13:00:00Z.`, [
        { path: field, message: 'not an ISO-8601 UTC time' },
      ]);
    }
  }
  const startAt = input.startAt || current?.startAt || nowIso;
  const endAt = input.endAt || null;
  if (endAt !== null && endAt < startAt) {
    throw new ValidationError('endAt: coverage cannot end before it starts.', [{ path: 'endAt', message: 'before the start' }]);
  }
  return { startAt, endAt };
}

/**
 * Makes a story a live blog, changes its coverage window, or ends it — a story change like any
 * other, through writeStory (revision-checked, snapshot, audit, the story's change event).
 * Open live streams of the story are told too, so they close once coverage has ended.
 */
export async function setLiveCoverage(
  deps: ServiceDeps,
  actor: Actor | null,
  articleId: string,
  input: LiveCoverageInput,
  expectedRevision?: number,
): Promise<Article> {
  const now = deps.clock();
  return writeStory(deps, {
    actor,
    action: 'live_coverage',
    now,
    articleId,
    expectedRevision,
    guard: (current) => {
      if (actor) assertCan(actor, 'edit', current);
    },
    apply: async (current, { trx }) => {
      const live = coverageFrom(input, current.live, now.toISOString());
      if (JSON.stringify(live) === JSON.stringify(current.live)) return 'unchanged';
      publishAfterCommit(deps, trx, { tags: [storyTag(articleId)], cause: 'live.coverage', liveStories: [articleId] });
      return { story: { ...current, live }, snapshot: false, audit: { from: current.live, to: live } };
    },
  });
}
