import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../accounts/role.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { publishStoryChange } from '../changes/cache-tags.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { indexStory, unindexStory } from '../search/search-index.ts';
import { enqueueArticleEvent, type ArticleEventType } from '../webhooks/webhook-article-events.ts';
import type { Article } from './article.ts';
import type { StoryChange } from './article-change.ts';
import { extractKeywords } from './article-related.ts';
import { movesRelatedLists, refreshRelatedLists } from './article-related-refresh.ts';
import { findArticleById, findArticlesRelatedTo, insertArticle, updateArticleRow } from './article-repository.ts';
import { recordRevision } from './article-revisions.ts';
import { flagTranslationsOutOfDate } from '../editions/translation-drift.ts';

/*
 * The one way a story is written. Every change (create, save, workflow step, embargo, note,
 * scheduled publish, delete) runs the same sequence in one transaction: load, check the
 * revision, apply, store with the next revision, search document, snapshot, audit, outbox event. After commit
 * the change is published and told to every `deps.onStoryChanged` subscriber, and the related
 * lists are recomputed as deferred work (after the request is answered).
 */

/** The story to store; writeStory stamps `revision` and `modifiedAt`. */
export type StoryContent = Omit<Article, 'revision' | 'modifiedAt'>;

/** What `apply` decided: the story to store (null deletes it), and what to record about it. */
export interface StoryEdit {
  story: StoryContent | null;
  /** Keep a revision snapshot (default yes; a deleted story keeps none). */
  snapshot?: boolean;
  /** Details of the `article.<action>` audit entry; omitted writes none. */
  audit?: Record<string, unknown>;
  /** Outbox event, built from the story as stored (a deleted one: as it was). */
  event?: ArticleEventType | null;
}

/** `apply` gets the open transaction, for rows of its own (notes, jobs, redirects), and the revision being written. */
type Apply<Current, Result> = (current: Current, ctx: { trx: Transaction<Database>; revision: number }) => Promise<Result>;

interface StoryWriteBase {
  actor: Actor | null;
  /** Names the revision snapshot and the audit entry (`article.<action>`). */
  action: string;
  /** One instant for the whole change: timestamps, snapshot, audit entry and event. */
  now: Date;
}

/** A change to a stored story. `apply` runs inside the transaction; `unchanged` stores nothing. */
export interface StoryChangeWrite extends StoryWriteBase {
  articleId: string;
  /** The revision the writer saw; another stored revision is refused with a ConflictError. */
  expectedRevision?: number;
  /** Whose words a conflict is told in (default `action`). */
  refusal?: keyof typeof REFUSALS;
  /** Refusals that take precedence over a stale revision's. */
  guard?(current: Article): void;
  apply: Apply<Article, StoryEdit | 'unchanged'>;
}

/** A new story. */
export interface NewStoryWrite extends StoryWriteBase {
  articleId: null;
  apply: Apply<null, StoryEdit & { story: StoryContent }>;
}

/**
 * What the writer is told when the story moved on: a save carries the writer's whole version
 * (the newsroom keeps it as a conflict copy), an action only an intent, and the scheduler retries.
 */
const REFUSALS = {
  save: { saw: 'edited', raced: 'This story was changed by someone else while you were saving. Reload to see both versions.' },
  action: { saw: 'loaded', raced: 'This story was changed by someone else meanwhile. Reload and try again.' },
  job: { saw: 'loaded', raced: 'the story changed while it was being published; retrying' },
} as const;

/**
 * Writes one change of one story and returns it as stored (a deleted story as it was; an
 * unchanged one as it is). Opens a transaction, or joins the caller's, in which case the
 * change is told to subscribers after the caller's commit.
 */
export async function writeStory(deps: ServiceDeps, write: StoryChangeWrite | NewStoryWrite): Promise<Article> {
  const nowIso = write.now.toISOString();
  const refusal = REFUSALS[(write.articleId !== null && write.refusal) || 'action'];
  return withTransaction(deps.db, async (trx, afterCommit) => {
    let before: Article | null = null;
    let edit: StoryEdit;
    if (write.articleId === null) {
      edit = await write.apply(null, { trx, revision: 1 });
    } else {
      before = await findArticleById(trx, write.articleId);
      if (!before) throw new NotFoundError('That article does not exist.');
      write.guard?.(before);
      if (write.expectedRevision !== undefined && before.revision !== write.expectedRevision) {
        throw new ConflictError(
          `This story was changed by someone else (now revision ${before.revision}, you ${refusal.saw} revision ${write.expectedRevision}).`,
        );
      }
      const applied = await write.apply(before, { trx, revision: before.revision + 1 });
      if (applied === 'unchanged') return before;
      edit = applied;
    }
    // Read before the write: deleting the story deletes the rows that list it.
    const listedBy = before ? await findArticlesRelatedTo(trx, before.id) : [];
    const after: Article | null = edit.story && { ...edit.story, revision: (before?.revision ?? 0) + 1, modifiedAt: nowIso };
    if (after && before) {
      if (!(await updateArticleRow(trx, after, extractKeywords(after), before.revision))) throw new ConflictError(refusal.raced);
    } else if (after) {
      await insertArticle(trx, after, extractKeywords(after));
    }
    // The search index moves with the story, in its transaction: a rollback leaves it as it was.
    if (after) await indexStory(trx, deps.dialect, after, nowIso);
    else await unindexStory(trx, deps.dialect, before!.id);
    if (after && edit.snapshot !== false) await recordRevision(trx, after, write.action, write.actor, nowIso);
    // Translations made from this story learn it moved on, in the same transaction.
    await flagTranslationsOutOfDate(trx, before, after, write.action, nowIso);
    // Only a change of a stored story can delete it, so one of the two is set.
    const story = (after ?? before)!;
    if (edit.audit) {
      await recordAudit(trx, {
        at: write.now,
        actorUserId: write.actor?.userId ?? null,
        action: `article.${write.action}`,
        subjectType: 'article',
        subjectId: story.id,
        details: edit.audit,
      });
    }
    // Outbox: receivers hear of the change only if this transaction commits. The event reads the
    // story's stored bylines and tags, so a deleted story's event is queued before it goes.
    if (edit.event) await enqueueArticleEvent(trx, edit.event, story, { createdAt: nowIso, siteUrl: deps.siteUrl });
    if (!after) await trx.deleteFrom('articles').where('id', '=', story.id).execute();
    const change: StoryChange = { articleId: story.id, action: write.action, before, after, listedBy };
    afterCommit((db) => tellSubscribers({ ...deps, db }, change));
    return story;
  });
}

/**
 * What readers need at once is done before the write returns (and so before the request is
 * answered): the published change (page caches, other nodes, the CDN), then every
 * `deps.onStoryChanged` subscriber. The related lists (a transaction per story and one for its
 * ~12 neighbours, ~40 ms on PostgreSQL) are deferred work: they publish the boxes they moved
 * when done, and nothing reads them fresh on the write's behalf. The write has committed: a
 * failing subscriber is logged, never turned into a failed request.
 */
async function tellSubscribers(deps: ServiceDeps, change: StoryChange): Promise<void> {
  for (const listener of [publishStoryChange, ...(deps.onStoryChanged ?? [])]) {
    try {
      await listener(deps, change);
    } catch (err) {
      const log = deps.logger ?? { error: (obj: object, msg: string) => console.error(msg, obj) };
      log.error({ err, articleId: change.articleId, action: change.action }, 'after-commit work for a story change failed');
    }
  }
  if (movesRelatedLists(change)) {
    deps.deferredWork.run('related lists', () => refreshRelatedLists(deps, change), { articleId: change.articleId, action: change.action });
  }
}
