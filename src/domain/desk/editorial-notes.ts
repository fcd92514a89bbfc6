import { z } from 'zod';
import type { EditorialNoteTable } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { userNamesByIds } from '../accounts/user-names.ts';
import type { ServiceDeps } from '../deps.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { parseInput } from '../articles/article-service.ts';
import { getDeskStory } from './article-desk.ts';

/*
 * Editorial notes: the desk's conversation about a passage of a story ("source?", "legal to
 * check this"). They are kept in their own table, outside the story's block document, and only
 * newsroom code may read them (dependency-cruiser's `editorial-notes-stay-in-the-newsroom`), so
 * no public page, feed, API, search document, ninjs export or webhook payload can carry one:
 * those are built from the story alone. The site archive leaves the table out (schema-catalog).
 * Whoever may open the story on the desk (its owner, editors) may read, write, reply to and
 * resolve its notes; a note is deleted by its writer or an editor.
 */

export interface EditorialNote {
  id: string;
  articleId: string;
  /** Null for a thread's first note. */
  threadId: string | null;
  authorUserId: string;
  authorName: string | null;
  /** The passage the thread is about (first note only) and the body block it was in. */
  quote: string | null;
  blockIndex: number | null;
  text: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedByName: string | null;
}

export interface NoteThread {
  note: EditorialNote;
  replies: EditorialNote[];
}

const noteText = z.string().trim().min(1, 'Write the note first.').max(4000, 'A note has at most 4,000 characters.');

export const newThreadSchema = z.object({
  text: noteText,
  quote: z
    .string()
    .trim()
    .max(1000, 'Select a shorter passage (at most 1,000 characters).')
    .optional()
    .transform((v) => v || null),
  blockIndex: z
    .union([z.literal(''), z.coerce.number().int().min(0).max(100_000)])
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v)),
});
export const replySchema = z.object({ text: noteText });

function rowToNote(r: EditorialNoteTable, names: Map<string, string>): EditorialNote {
  return {
    id: r.id,
    articleId: r.article_id,
    threadId: r.thread_id,
    authorUserId: r.author_user_id,
    authorName: names.get(r.author_user_id) ?? null,
    quote: r.quote,
    blockIndex: r.block_index,
    text: r.text,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolvedByName: r.resolved_by ? (names.get(r.resolved_by) ?? null) : null,
  };
}

/** The story's note threads, open ones first, each in the order written. */
export async function listNoteThreads(deps: ServiceDeps, actor: Actor, articleId: string): Promise<NoteThread[]> {
  await getDeskStory(deps, actor, articleId);
  const rows = await deps.db
    .selectFrom('editorial_notes')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const names = await userNamesByIds(deps.db, [
    ...rows.map((r) => r.author_user_id),
    ...rows.flatMap((r) => (r.resolved_by ? [r.resolved_by] : [])),
  ]);
  const threads = new Map<string, NoteThread>();
  for (const r of rows) if (r.thread_id === null) threads.set(r.id, { note: rowToNote(r, names), replies: [] });
  for (const r of rows) if (r.thread_id !== null) threads.get(r.thread_id)?.replies.push(rowToNote(r, names));
  const all = [...threads.values()];
  return [...all.filter((t) => !t.note.resolvedAt), ...all.filter((t) => t.note.resolvedAt)];
}

async function insertNote(deps: ServiceDeps, row: EditorialNoteTable): Promise<string> {
  await deps.db.insertInto('editorial_notes').values(row).execute();
  return row.id;
}

/** Starts a thread, on a passage when `quote` is given. */
export async function addNoteThread(deps: ServiceDeps, actor: Actor, articleId: string, input: unknown): Promise<string> {
  const data = parseInput(newThreadSchema, input);
  await getDeskStory(deps, actor, articleId);
  return insertNote(deps, {
    id: newId(),
    article_id: articleId,
    thread_id: null,
    author_user_id: actor.userId,
    quote: data.quote,
    block_index: data.quote ? data.blockIndex : null,
    text: data.text,
    created_at: deps.clock().toISOString(),
    resolved_at: null,
    resolved_by: null,
  });
}

async function findThread(deps: ServiceDeps, articleId: string, noteId: string): Promise<EditorialNoteTable> {
  const row = await deps.db.selectFrom('editorial_notes').selectAll().where('id', '=', noteId).executeTakeFirst();
  if (!row || row.article_id !== articleId) throw new NotFoundError('There is no such note on this story.');
  return row;
}

/** Replies to a thread (a reply to a reply joins the same thread). */
export async function replyToNote(deps: ServiceDeps, actor: Actor, articleId: string, noteId: string, input: unknown): Promise<string> {
  const data = parseInput(replySchema, input);
  await getDeskStory(deps, actor, articleId);
  const target = await findThread(deps, articleId, noteId);
  return insertNote(deps, {
    id: newId(),
    article_id: articleId,
    thread_id: target.thread_id ?? target.id,
    author_user_id: actor.userId,
    quote: null,
    block_index: null,
    text: data.text,
    created_at: deps.clock().toISOString(),
    resolved_at: null,
    resolved_by: null,
  });
}

/** Resolves a thread, or opens it again. */
export async function setNoteResolved(
  deps: ServiceDeps,
  actor: Actor,
  articleId: string,
  noteId: string,
  resolved: boolean,
): Promise<void> {
  await getDeskStory(deps, actor, articleId);
  const target = await findThread(deps, articleId, noteId);
  await deps.db
    .updateTable('editorial_notes')
    .set(resolved ? { resolved_at: deps.clock().toISOString(), resolved_by: actor.userId } : { resolved_at: null, resolved_by: null })
    .where('id', '=', target.thread_id ?? target.id)
    .execute();
}

/** Deletes a note (a thread's first note takes its replies with it). Its writer or an editor. */
export async function deleteNote(deps: ServiceDeps, actor: Actor, articleId: string, noteId: string): Promise<void> {
  await getDeskStory(deps, actor, articleId);
  const target = await findThread(deps, articleId, noteId);
  if (target.author_user_id !== actor.userId && !roleAtLeast(actor.role, 'editor'))
    throw new ForbiddenError('Only the person who wrote a note, or an editor, may delete it.');
  await withTransaction(deps.db, async (trx) => {
    // Replies first: not every database cascades a self-reference the same way.
    await trx.deleteFrom('editorial_notes').where('thread_id', '=', target.id).execute();
    await trx.deleteFrom('editorial_notes').where('id', '=', target.id).execute();
  });
}
