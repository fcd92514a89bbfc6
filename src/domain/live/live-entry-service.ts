import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../accounts/role.ts';
import type { Article } from '../articles/article.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { parseInput } from '../articles/article-service.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { storyTag } from '../changes/cache-tags.ts';
import { publishAfterCommit } from '../changes/content-change-publish.ts';
import type { ServiceDeps } from '../deps.ts';
import { parseArticleDocument, type ArticleDocument } from '../documents/document-schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { liveEntryToRow, rowToLiveEntry, type LiveEntry } from './live-entry.ts';
import { assertCanOnEntry, type LiveEntryAction } from './live-entry-policy.ts';
import { enqueueLiveEntryEvent } from '../webhooks/webhook-live-events.ts';

/*
 * The one write path of live entries. Each action runs in one transaction: load the story and
 * the entry, check the role (live-entry-policy.ts) and the revision the writer saw, store the
 * entry with the next revision, audit it, queue its webhook event (the outbox); after commit, when readers could see the change, one
 * content change names the story's tag (its page, teasers and feed items are purged on every
 * node) and the story as a live one (every node's open live streams read what is new).
 */

const MAX_BYLINES = 10;

const documentInput = z.unknown().transform((value, ctx): ArticleDocument => {
  try {
    const doc = parseArticleDocument(value);
    if (!doc.blocks.length) ctx.addIssue({ code: 'custom', message: 'an entry needs some text' });
    return doc;
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : 'not a valid document' });
    return z.NEVER;
  }
});

export const newLiveEntrySchema = z.strictObject({
  body: documentInput,
  authorIds: z.array(z.string().uuid()).max(MAX_BYLINES).default([]),
  keyEvent: z.boolean().default(false),
  pinned: z.boolean().default(false),
  /** Publish at once (one action); otherwise a draft. */
  publish: z.boolean().default(false),
});
export type NewLiveEntryInput = z.input<typeof newLiveEntrySchema>;

export const liveEntryEditSchema = z.strictObject({
  /** The revision the writer started from; another stored revision is a conflict. */
  expectedRevision: z.number().int().positive(),
  body: documentInput.optional(),
  authorIds: z.array(z.string().uuid()).max(MAX_BYLINES).optional(),
  keyEvent: z.boolean().optional(),
  pinned: z.boolean().optional(),
  publish: z.literal(true).optional(),
  /** A visible correction: what was wrong. Requires a published entry. */
  correctionNote: z.string().trim().min(1, 'say what was corrected').max(500).optional(),
});
export type LiveEntryEditInput = z.input<typeof liveEntryEditSchema>;

async function liveStory(trx: Transaction<Database>, articleId: string): Promise<Article & { live: NonNullable<Article['live']> }> {
  const story = await findArticleById(trx, articleId);
  if (!story) throw new NotFoundError('That story does not exist.');
  if (!story.live)
    throw new ValidationError('This story is not a live blog: turn live coverage on first.', [
      { path: 'live', message: 'not a live blog' },
    ]);
  return story as Article & { live: NonNullable<Article['live']> };
}

async function knownAuthors(trx: Transaction<Database>, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const found = new Set((await trx.selectFrom('authors').select('id').where('id', 'in', unique).execute()).map((r) => r.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length)
    throw new ValidationError('authorIds: an author on the byline does not exist.', [{ path: 'authorIds', message: 'unknown author' }]);
  return unique;
}

/**
 * The story's next entry change number. The upsert locks the counter row until commit, so a
 * concurrent writer of the same blog waits and numbers follow commit order: a reader that has
 * seen number n has seen everything below it.
 */
async function nextSeq(trx: Transaction<Database>, articleId: string): Promise<number> {
  const row = await trx
    .insertInto('live_entry_sequences')
    .values({ article_id: articleId, last_seq: 1 })
    .onConflict((oc) => oc.column('article_id').doUpdateSet((eb) => ({ last_seq: eb('live_entry_sequences.last_seq', '+', 1) })))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}

/** Only one entry is pinned per story: pinning one unpins the others (their revision and sequence move on too). */
async function unpinOthers(trx: Transaction<Database>, articleId: string, keepId: string, nowIso: string): Promise<void> {
  const others = await trx
    .selectFrom('live_entries')
    .select('id')
    .where('article_id', '=', articleId)
    .where('pinned', '=', 1)
    .where('id', '!=', keepId)
    .execute();
  for (const { id } of others) {
    const seq = await nextSeq(trx, articleId);
    await trx
      .updateTable('live_entries')
      .set((eb) => ({ pinned: 0, modified_at: nowIso, revision: eb('revision', '+', 1), seq }))
      .where('id', '=', id)
      .execute();
  }
}

function announce(deps: ServiceDeps, trx: Transaction<Database>, articleId: string, action: string): void {
  publishAfterCommit(deps, trx, { tags: [storyTag(articleId)], cause: `live.entry.${action}`, liveStories: [articleId] });
}

async function audit(
  trx: Transaction<Database>,
  actor: Actor | null,
  now: Date,
  action: string,
  entry: LiveEntry,
  details: Record<string, unknown> = {},
) {
  await recordAudit(trx, {
    at: now,
    actorUserId: actor?.userId ?? null,
    action: `live_entry.${action}`,
    subjectType: 'live_entry',
    subjectId: entry.id,
    details: { articleId: entry.articleId, revision: entry.revision, ...details },
  });
}

/** Adds an entry to a live blog: a draft, or published in the same action. */
export async function createLiveEntry(
  deps: ServiceDeps,
  actor: Actor | null,
  articleId: string,
  input: NewLiveEntryInput,
): Promise<LiveEntry> {
  const data = parseInput(newLiveEntrySchema, input);
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    const story = await liveStory(trx, articleId);
    if (actor) {
      assertCanOnEntry(actor, data.publish ? 'publish' : 'draft', story, null);
      if (data.pinned) assertCanOnEntry(actor, 'pin', story, null);
      if (data.keyEvent) assertCanOnEntry(actor, 'key_event', story, null);
    }
    const entry: LiveEntry = {
      id: newId(),
      articleId,
      status: data.publish ? 'published' : 'draft',
      authorIds: await knownAuthors(trx, data.authorIds),
      body: data.body,
      keyEvent: data.keyEvent,
      pinned: data.pinned,
      revision: 1,
      seq: await nextSeq(trx, articleId),
      createdBy: actor?.userId ?? null,
      createdAt: nowIso,
      modifiedAt: nowIso,
      publishedAt: data.publish ? nowIso : null,
      correction: null,
      deletedAt: null,
    };
    await trx.insertInto('live_entries').values(liveEntryToRow(entry)).execute();
    if (entry.pinned) await unpinOthers(trx, articleId, entry.id, nowIso);
    await audit(trx, actor, now, data.publish ? 'publish' : 'create', entry, { keyEvent: entry.keyEvent, pinned: entry.pinned });
    if (data.publish) await enqueueLiveEntryEvent(trx, 'live_entry.published', story, entry, { createdAt: nowIso, siteUrl: deps.siteUrl });
    if (data.publish || entry.pinned) announce(deps, trx, articleId, data.publish ? 'publish' : 'create');
    return entry;
  });
}

async function loadEntry(trx: Transaction<Database>, entryId: string): Promise<LiveEntry> {
  const row = await trx.selectFrom('live_entries').selectAll().where('id', '=', entryId).executeTakeFirst();
  if (!row || row.deleted_at !== null) throw new NotFoundError('That live entry does not exist (it may have been deleted).');
  return rowToLiveEntry(row);
}

function staleRevision(current: LiveEntry, expected: number): ConflictError {
  return new ConflictError(
    `Someone else changed this entry while you were editing it (now revision ${current.revision}, you started from revision ${expected}). ` +
      'Your text has not been saved: compare it with the entry as it is now, then save again.',
  );
}

/** Stores `next` only if the stored entry is still at `expected`; a lost race is the same conflict. */
async function storeEntry(trx: Transaction<Database>, next: LiveEntry, expected: number, current: LiveEntry): Promise<void> {
  const { id, ...row } = liveEntryToRow(next);
  const result = await trx.updateTable('live_entries').set(row).where('id', '=', id).where('revision', '=', expected).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw staleRevision(current, expected);
}

/**
 * Edits an entry: its text, bylines, key-event or pinned flags, publishing a draft, or a
 * visible correction (a note with the time it was made). Revision-checked: an edit started
 * from an older revision is refused with a ConflictError, and nothing is stored.
 */
export async function editLiveEntry(
  deps: ServiceDeps,
  actor: Actor | null,
  entryId: string,
  input: LiveEntryEditInput,
): Promise<LiveEntry> {
  const data = parseInput(liveEntryEditSchema, input);
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    const current = await loadEntry(trx, entryId);
    const story = await liveStory(trx, current.articleId);
    const actions: LiveEntryAction[] = [];
    if (data.body !== undefined || data.authorIds !== undefined) actions.push('edit');
    if (data.publish && current.status === 'draft') actions.push('publish');
    if (data.correctionNote !== undefined) actions.push('correct');
    if (data.pinned !== undefined && data.pinned !== current.pinned) actions.push('pin');
    if (data.keyEvent !== undefined && data.keyEvent !== current.keyEvent) actions.push('key_event');
    if (actor) for (const action of actions) assertCanOnEntry(actor, action, story, current);
    if (current.revision !== data.expectedRevision) throw staleRevision(current, data.expectedRevision);
    if (data.correctionNote !== undefined && current.status !== 'published') {
      throw new ValidationError('correctionNote: only a published entry can be corrected; edit the draft instead.', [
        { path: 'correctionNote', message: 'the entry is a draft' },
      ]);
    }
    if (!actions.length) return current;
    const publishing = actions.includes('publish');
    const next: LiveEntry = {
      ...current,
      body: data.body ?? current.body,
      authorIds: data.authorIds !== undefined ? await knownAuthors(trx, data.authorIds) : current.authorIds,
      keyEvent: data.keyEvent ?? current.keyEvent,
      pinned: data.pinned ?? current.pinned,
      status: publishing ? 'published' : current.status,
      publishedAt: publishing ? nowIso : current.publishedAt,
      correction: data.correctionNote !== undefined ? { note: data.correctionNote, at: nowIso } : current.correction,
      revision: current.revision + 1,
      seq: await nextSeq(trx, current.articleId),
      modifiedAt: nowIso,
    };
    await storeEntry(trx, next, data.expectedRevision, current);
    if (next.pinned && !current.pinned) await unpinOthers(trx, next.articleId, next.id, nowIso);
    const primary = actions.includes('correct') ? 'correct' : publishing ? 'publish' : actions[0]!;
    await audit(trx, actor, now, primary, next, {
      actions,
      ...(data.correctionNote !== undefined ? { correction: data.correctionNote } : {}),
      ...(actions.includes('edit') ? { previousBody: current.body } : {}),
    });
    if (next.status === 'published') {
      const event = publishing ? 'live_entry.published' : 'live_entry.updated';
      await enqueueLiveEntryEvent(trx, event, story, next, { createdAt: nowIso, siteUrl: deps.siteUrl });
      announce(deps, trx, next.articleId, primary);
    }
    return next;
  });
}

/**
 * Deletes an entry. The row stays, marked deleted, so readers' open pages are told to remove
 * it and resuming streams learn of it; it is never shown again.
 */
export async function deleteLiveEntry(deps: ServiceDeps, actor: Actor | null, entryId: string, expectedRevision: number): Promise<void> {
  const now = deps.clock();
  const nowIso = now.toISOString();
  await withTransaction(deps.db, async (trx) => {
    const current = await loadEntry(trx, entryId);
    const story = await liveStory(trx, current.articleId);
    if (actor) assertCanOnEntry(actor, 'delete', story, current);
    if (current.revision !== expectedRevision) throw staleRevision(current, expectedRevision);
    const next: LiveEntry = {
      ...current,
      deletedAt: nowIso,
      pinned: false,
      revision: current.revision + 1,
      seq: await nextSeq(trx, current.articleId),
      modifiedAt: nowIso,
    };
    await storeEntry(trx, next, expectedRevision, current);
    await audit(trx, actor, now, 'delete', next, { status: current.status, body: current.body });
    if (current.status === 'published') {
      await enqueueLiveEntryEvent(trx, 'live_entry.deleted', story, next, { createdAt: nowIso, siteUrl: deps.siteUrl });
      announce(deps, trx, current.articleId, 'delete');
    }
  });
}
