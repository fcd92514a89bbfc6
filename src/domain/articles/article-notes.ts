import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { preparedQuery } from '../../db/prepared.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../accounts/role.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Article } from './article.ts';
import { assertCan } from './article-policy.ts';
import { extractKeywords } from './article-related.ts';
import { findArticleById, updateArticleRow } from './article-repository.ts';
import { recordRevision } from './article-revisions.ts';
import { parseInput } from './article-service.ts';
import { enqueueArticleEvent } from '../webhooks/webhook-article-events.ts';

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
  const now = deps.clock().toISOString();
  return withTransaction(deps.db, async (trx) => {
    const current = await findArticleById(trx, articleId);
    if (!current) throw new NotFoundError('That article does not exist.');
    assertCan(actor, 'add_note', current);
    if (current.status !== 'published') throw new ConflictError('Updates and corrections are added to published stories only.');
    if (expectedRevision !== undefined && current.revision !== expectedRevision) {
      throw new ConflictError(`This story was changed by someone else (now revision ${current.revision}, you loaded revision ${expectedRevision}).`);
    }
    const note: ArticleNote = { id: newId(), articleId, kind: data.kind, text: data.text, actorUserId: actor.userId, at: now };
    await trx
      .insertInto('article_notes')
      .values({ id: note.id, article_id: articleId, kind: note.kind, text: note.text, actor_user_id: note.actorUserId, created_at: now })
      .execute();
    const next: Article = { ...current, updatedAt: now, modifiedAt: now, revision: current.revision + 1 };
    if (!(await updateArticleRow(trx, next, extractKeywords(next), current.revision))) {
      throw new ConflictError('This story was changed by someone else meanwhile. Reload and try again.');
    }
    await recordRevision(trx, next, `note_${note.kind}`, actor, now);
    await recordAudit(trx, {
      at: new Date(now),
      actorUserId: actor.userId,
      action: `article.note_${note.kind}`,
      subjectType: 'article',
      subjectId: articleId,
      details: { noteId: note.id, text: note.text, revision: next.revision },
    });
    await enqueueArticleEvent(trx, 'article.updated', next, { createdAt: now, siteUrl: deps.siteUrl });
    return { note, article: next };
  });
}

/** A story's updates and corrections, oldest first (for the article page). */
export async function listNotes(db: Db, articleId: string): Promise<ArticleNote[]> {
  const rows = await db.selectFrom('article_notes').selectAll().where('article_id', '=', articleId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, articleId: r.article_id, kind: r.kind as NoteKind, text: r.text, actorUserId: r.actor_user_id, at: r.created_at }));
}

/** A note as readers see it: what kind, what it says, when. */
export type PublicNote = Pick<ArticleNote, 'kind' | 'text' | 'at'>;

const selectPublicNotes = preparedQuery<[articleId: string], { kind: string; text: string; created_at: string }>((db, articleId) =>
  db.selectFrom('article_notes').select(['kind', 'text', 'created_at']).where('article_id', '=', articleId).orderBy('created_at').orderBy('id'),
);

/**
 * The public page's notes, oldest first: one indexed, precompiled query. Only worth running
 * for a story with an `updatedAt`, which every note sets (see addNote).
 */
export async function listPublicNotes(db: Db, articleId: string): Promise<PublicNote[]> {
  const rows = await selectPublicNotes(db, articleId);
  return rows.map((r) => ({ kind: r.kind as NoteKind, text: r.text, at: r.created_at }));
}
