import type { Db } from '../../db/database.ts';
import type { ArticlePendingChangeTable } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import { assertRole, roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { documentText } from '../documents/document-text.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Article } from './article.ts';
import { assertCan } from './article-policy.ts';
import { findArticleById } from './article-repository.ts';
import { articleInputSchema, type ArticleInput, type ParsedArticleInput } from './article-schemas.ts';
import { parseInput, updateArticle } from './article-service.ts';

/*
 * Staged changes to live stories. An edit to a published story may be kept as a pending change
 * (one per story, in its own table) instead of being written: the story, its page, feeds and
 * API stay as they are, no change event is raised and no cache is purged. An editor compares
 * it with the live story and publishes it, which is an ordinary revision-checked save through
 * `updateArticle` → `writeStory` (so the event, the purge, the snapshot and the audit entry
 * come from the one write path), or discards it.
 */

export interface PendingChange {
  id: string;
  articleId: string;
  /** The live revision the change was started from. */
  baseRevision: number;
  /** The change's own revision: every save of it is checked against it. */
  revision: number;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
  input: ParsedArticleInput;
}

export type SaveTarget = 'live' | 'pending';

function rowToPendingChange(r: ArticlePendingChangeTable): PendingChange {
  return {
    id: r.id,
    articleId: r.article_id,
    baseRevision: r.base_revision,
    revision: r.revision,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    input: JSON.parse(r.input) as ParsedArticleInput,
  };
}

/** The story's pending change, or null. */
export async function findPendingChange(db: Db, articleId: string): Promise<PendingChange | null> {
  const row = await db.selectFrom('article_pending_changes').selectAll().where('article_id', '=', articleId).executeTakeFirst();
  return row ? rowToPendingChange(row) : null;
}

/**
 * Where a save of `article` goes. An open pending change takes every edit (people build on
 * it rather than fork the story); a live story's edit goes to review when an author makes it
 * and the site stages authors' edits (MASTHEAD_STAGE_AUTHOR_EDITS), while editors publish at
 * once unless they ask for review. Pure: the same answer for the page and the save.
 */
export function saveTargetFor(
  actor: Actor,
  article: Pick<Article, 'status'>,
  hasPending: boolean,
  policy: { stageAuthorEdits: boolean; requested?: SaveTarget },
): SaveTarget {
  if (hasPending) return 'pending';
  if (article.status !== 'published') return 'live';
  if (roleAtLeast(actor.role, 'editor')) return policy.requested ?? 'live';
  return policy.stageAuthorEdits ? 'pending' : 'live';
}

/** The story as it would read with the pending change published (for the editor and the diff). */
export function withPendingChange(article: Article, change: PendingChange): Article {
  const i = change.input;
  return {
    ...article,
    headline: i.headline,
    standfirst: i.standfirst,
    slug: i.slug ?? article.slug,
    sectionId: i.sectionId,
    authorIds: i.authorIds,
    tagIds: i.tagIds,
    heroImageId: i.heroImageId,
    body: i.body,
    bodyText: documentText(i.body),
    language: i.language,
    commentsPolicy: i.commentsPolicy,
    seoTitle: i.seoTitle,
    seoDescription: i.seoDescription,
  };
}

/** What a save of a pending change was based on: the live revision, and the change's own (null: none yet). */
export interface PendingExpectation {
  liveRevision: number;
  pendingRevision: number | null;
}

/**
 * Saves `input` as the story's pending change (creating it, or replacing its content). The
 * story must be live and the actor allowed to edit it; a stale page is refused (409) so two
 * tabs never overwrite each other. Creating it is audited; later saves (autosaves) are not.
 */
export async function savePendingChange(
  deps: ServiceDeps,
  actor: Actor,
  articleId: string,
  input: ArticleInput,
  expect: PendingExpectation,
): Promise<PendingChange> {
  const data = parseInput(articleInputSchema, { ...input, status: undefined });
  const nowIso = deps.clock().toISOString();
  return withTransaction(deps.db, async (trx) => {
    const article = await findArticleById(trx, articleId);
    if (!article) throw new NotFoundError('There is no story with that id.');
    assertCan(actor, 'edit', article);
    const current = await findPendingChange(trx, articleId);
    if (!current) {
      if (expect.pendingRevision !== null)
        throw new ConflictError(
          'The pending change you were editing was published or discarded meanwhile. Reload to see the story as it is now.',
        );
      if (article.status !== 'published')
        throw new ConflictError('Only changes to a live story wait for review; this story is not live, so save it directly.');
      if (article.revision !== expect.liveRevision)
        throw new ConflictError(
          `This story was changed by someone else (now revision ${article.revision}, you loaded revision ${expect.liveRevision}). Reload to start from the latest version.`,
        );
      const change: PendingChange = {
        id: newId(),
        articleId,
        baseRevision: article.revision,
        revision: 1,
        createdBy: actor.userId,
        updatedBy: actor.userId,
        createdAt: nowIso,
        updatedAt: nowIso,
        input: data,
      };
      await trx
        .insertInto('article_pending_changes')
        .values({
          id: change.id,
          article_id: articleId,
          base_revision: change.baseRevision,
          revision: 1,
          created_by: actor.userId,
          updated_by: actor.userId,
          created_at: nowIso,
          updated_at: nowIso,
          input: JSON.stringify(data),
        })
        .execute();
      await recordAudit(trx, {
        at: new Date(nowIso),
        actorUserId: actor.userId,
        action: 'article.change_staged',
        subjectType: 'article',
        subjectId: articleId,
        details: { pendingChangeId: change.id, baseRevision: change.baseRevision },
      });
      return change;
    }
    if (expect.pendingRevision !== current.revision) {
      throw new ConflictError(
        expect.pendingRevision === null
          ? 'Someone started a pending change to this story meanwhile. Reload to edit it instead.'
          : `The pending change was saved by someone else meanwhile (now revision ${current.revision}, you had ${expect.pendingRevision}). Reload to see it.`,
      );
    }
    // Compare-and-set on the change's revision: a concurrent save of the same change loses cleanly.
    const updated = await trx
      .updateTable('article_pending_changes')
      .set({ revision: current.revision + 1, updated_by: actor.userId, updated_at: nowIso, input: JSON.stringify(data) })
      .where('id', '=', current.id)
      .where('revision', '=', current.revision)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new ConflictError('The pending change was saved by someone else meanwhile. Reload to see it.');
    return { ...current, revision: current.revision + 1, updatedBy: actor.userId, updatedAt: nowIso, input: data };
  });
}

async function loadExpected(db: Db, articleId: string, pendingRevision: number): Promise<PendingChange> {
  const change = await findPendingChange(db, articleId);
  if (!change) throw new NotFoundError('This story has no pending change (it may have been published or discarded already).');
  if (change.revision !== pendingRevision) {
    throw new ConflictError(
      `The pending change was edited after you opened it (now revision ${change.revision}, you saw ${pendingRevision}). Reload and review it again.`,
    );
  }
  return change;
}

/**
 * Publishes the pending change: one transaction in which the story is saved through the one
 * write path, checked against the live revision the editor reviewed, and the change removed.
 * Editors and admins only. The story change event (and so every purge) follows the commit.
 */
export async function publishPendingChange(
  deps: ServiceDeps,
  actor: Actor,
  articleId: string,
  expect: { liveRevision: number; pendingRevision: number },
): Promise<Article> {
  assertRole(actor, 'editor', 'Only an editor can publish a change to a live story.');
  return withTransaction(deps.db, async (trx) => {
    const change = await loadExpected(trx, articleId, expect.pendingRevision);
    const article = await updateArticle({ ...deps, db: trx }, articleId, change.input, expect.liveRevision, {
      actor,
      recordAs: 'publish_change',
      auditDetails: { pendingChangeId: change.id, stagedBy: change.createdBy, baseRevision: change.baseRevision },
    });
    await trx.deleteFrom('article_pending_changes').where('id', '=', change.id).execute();
    return article;
  });
}

/** Throws the pending change away; the live story is untouched. Editors, or whoever may edit the story. */
export async function discardPendingChange(deps: ServiceDeps, actor: Actor, articleId: string, pendingRevision: number): Promise<void> {
  const nowIso = deps.clock().toISOString();
  await withTransaction(deps.db, async (trx) => {
    const article = await findArticleById(trx, articleId);
    if (!article) throw new NotFoundError('There is no story with that id.');
    assertCan(actor, 'edit', article);
    const change = await loadExpected(trx, articleId, pendingRevision);
    await trx.deleteFrom('article_pending_changes').where('id', '=', change.id).where('revision', '=', change.revision).execute();
    await recordAudit(trx, {
      at: new Date(nowIso),
      actorUserId: actor.userId,
      action: 'article.change_discarded',
      subjectType: 'article',
      subjectId: articleId,
      details: { pendingChangeId: change.id, stagedBy: change.createdBy, revision: change.revision },
    });
  });
}

/** A story's content as article input (the fields a save replaces), for merging partial changes. */
export function articleInputOf(a: Article): ArticleInput {
  return {
    headline: a.headline,
    standfirst: a.standfirst,
    slug: a.slug,
    sectionId: a.sectionId,
    authorIds: a.authorIds,
    tagIds: a.tagIds,
    heroImageId: a.heroImageId,
    body: a.body,
    language: a.language,
    translationGroupId: a.translationGroupId,
    commentsPolicy: a.commentsPolicy,
    seoTitle: a.seoTitle,
    seoDescription: a.seoDescription,
  };
}

/** Fields about when and whether a story is shown: a change waiting for review carries content only. */
const NOT_STAGEABLE = ['status', 'publishedAt', 'updatedAt', 'embargoUntil'] as const;

/** What a partial save became: the story written, or its pending change kept. */
export type SavedChanges = { target: 'live'; article: Article } | { target: 'pending'; article: Article; change: PendingChange };

/**
 * A partial save (the Admin API's): the fields given replace those of the story, or of its
 * pending change when the save is staged. Where it goes is `saveTargetFor`'s answer, as in
 * the newsroom's editor, so an author's change to a live story waits for review whichever
 * way it arrives. Live saves go through `updateArticle` (the one write path); staged ones
 * through `savePendingChange`, checked against `pendingRevision` once a change exists.
 */
export async function saveStoryChanges(
  deps: ServiceDeps,
  actor: Actor,
  articleId: string,
  changes: Partial<ArticleInput>,
  expect: { liveRevision: number; pendingRevision?: number },
  policy: { stageAuthorEdits: boolean },
): Promise<SavedChanges> {
  const article = await findArticleById(deps.db, articleId);
  if (!article) throw new NotFoundError('There is no article with that id.');
  const pending = await findPendingChange(deps.db, articleId);
  const target = saveTargetFor(actor, article, pending !== null, policy);
  if (target === 'live') {
    const saved = await updateArticle(deps, articleId, { ...articleInputOf(article), ...changes }, expect.liveRevision, { actor });
    return { target, article: saved };
  }
  assertCan(actor, 'edit', article);
  const timing = NOT_STAGEABLE.filter((k) => changes[k] !== undefined);
  if (timing.length)
    throw new ValidationError(
      `${timing.join(', ')}: this change waits for an editor's review, which carries the story's content only; an editor can change ${timing.length === 1 ? 'it' : 'them'}.`,
      timing.map((path) => ({ path, message: 'not part of a change waiting for review' })),
    );
  if (pending && expect.pendingRevision === undefined)
    throw new ConflictError(
      `This story already has a change waiting for review (revision ${pending.revision}). Send expectedPendingRevision: ${pending.revision} to change it, or ask an editor to publish or discard it.`,
    );
  const base = pending ? pending.input : articleInputOf(article);
  const change = await savePendingChange(
    deps,
    actor,
    articleId,
    { ...base, ...changes },
    {
      liveRevision: expect.liveRevision,
      pendingRevision: expect.pendingRevision ?? null,
    },
  );
  return { target, article, change };
}
