import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { preparedQuery } from '../../db/prepared.ts';
import type { Actor } from '../accounts/role.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Article } from './article.ts';
import { assertCan } from './article-policy.ts';
import { parseInput } from './article-service.ts';
import { writeStory } from './article-write.ts';

/*
 * Updates and corrections are published in the open: each is a dated note shown with the
 * story, and adding one bumps the story's public "updated" time.
 */

export const NOTE_KINDS = ['update', 'correction'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export interface ArticleNote {
  id: string;
  articleId: string;
  kind: NoteKind;
  text: string;
  actorUserId: string | null;
  at: string;
}

export const noteInputSchema = z.object({
  kind: z.enum(NOTE_KINDS),
  text: z.string().trim().min(1, 'write what was updated or corrected').max(2000),
});
export type NoteInput = z.input<typeof noteInputSchema>;

/**
 * Adds an update or correction note to a published story: the story's updatedAt becomes
 * now, and a revision records it. `expectedRevision`, when given, refuses a stale request.
 */
export async function addNote(
  deps: ServiceDeps,
  articleId: string,
  input: NoteInput,
  actor: Actor,
  expectedRevision?: number,
): Promise<{ note: ArticleNote; article: Article }> {
  const data = parseInput(noteInputSchema, input);
  const now = deps.clock();
  const nowIso = now.toISOString();
  const note: ArticleNote = { id: newId(), articleId, kind: data.kind, text: data.text, actorUserId: actor.userId, at: nowIso };
  const article = await writeStory(deps, {
    articleId,
    expectedRevision,
    actor,
    action: `note_${note.kind}`,
    now,
    guard: (current) => {
      assertCan(actor, 'add_note', current);
      if (current.status !== 'published') throw new ConflictError('Updates and corrections are added to published stories only.');
    },
    apply: async (current, { trx, revision }) => {
      await trx
        .insertInto('article_notes')
        .values({
          id: note.id,
          article_id: articleId,
          kind: note.kind,
          text: note.text,
          actor_user_id: note.actorUserId,
          created_at: nowIso,
        })
        .execute();
      return { story: { ...current, updatedAt: nowIso }, audit: { noteId: note.id, text: note.text, revision }, event: 'article.updated' };
    },
  });
  return { note, article };
}

/** A story's updates and corrections, oldest first (for the article page). */
export async function listNotes(db: Db, articleId: string): Promise<ArticleNote[]> {
  const rows = await db
    .selectFrom('article_notes')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    articleId: r.article_id,
    kind: r.kind as NoteKind,
    text: r.text,
    actorUserId: r.actor_user_id,
    at: r.created_at,
  }));
}

/** A note as readers see it: what kind, what it says, when. */
export type PublicNote = Pick<ArticleNote, 'kind' | 'text' | 'at'>;

const selectPublicNotes = preparedQuery<[articleId: string], { kind: string; text: string; created_at: string }>((db, articleId) =>
  db
    .selectFrom('article_notes')
    .select(['kind', 'text', 'created_at'])
    .where('article_id', '=', articleId)
    .orderBy('created_at')
    .orderBy('id'),
);

/**
 * The public page's notes, oldest first: one indexed, precompiled query. Only worth running
 * for a story with an `updatedAt`, which every note sets (see addNote).
 */
export async function listPublicNotes(db: Db, articleId: string): Promise<PublicNote[]> {
  const rows = await selectPublicNotes(db, articleId);
  return rows.map((r) => ({ kind: r.kind as NoteKind, text: r.text, at: r.created_at }));
}
