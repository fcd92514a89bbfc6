import { diffLines, diffWords, type Change } from 'diff';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../accounts/role.ts';
import { documentText } from '../documents/document-text.ts';
import { NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Article } from './article.ts';

/*
 * Revision history: a snapshot of the article after every workflow step, every save of a
 * published story, every note and every restore. Snapshots are keyed by the article's own
 * `revision` counter, so "restore revision 7" names exactly what the editor saw.
 */

export interface RevisionSummary {
  articleId: string;
  revision: number;
  /** `create`, `save`, `restore`, a workflow action (`publish`, …) or `note_update` / `note_correction`. */
  action: string;
  actorUserId: string | null;
  at: string;
}

export interface Revision extends RevisionSummary {
  snapshot: Article;
}

/** Stores the snapshot of `article` as it now is; call inside the transaction that wrote it. */
export async function recordRevision(db: Db, article: Article, action: string, actor: Actor | null, at: string): Promise<void> {
  const { bodyText: _derived, ...snapshot } = article;
  await db
    .insertInto('article_revisions')
    .values({
      id: newId(),
      article_id: article.id,
      revision: article.revision,
      action,
      actor_user_id: actor?.userId ?? null,
      snapshot: JSON.stringify(snapshot),
      created_at: at,
    })
    .execute();
}

/** An article's revisions, newest first, without their snapshots. */
export async function listRevisions(db: Db, articleId: string): Promise<RevisionSummary[]> {
  const rows = await db
    .selectFrom('article_revisions')
    .select(['article_id', 'revision', 'action', 'actor_user_id', 'created_at'])
    .where('article_id', '=', articleId)
    .orderBy('revision', 'desc')
    .execute();
  return rows.map((r) => ({
    articleId: r.article_id,
    revision: r.revision,
    action: r.action,
    actorUserId: r.actor_user_id,
    at: r.created_at,
  }));
}

/** One revision with its snapshot, or null. */
export async function getRevision(db: Db, articleId: string, revision: number): Promise<Revision | null> {
  const r = await db
    .selectFrom('article_revisions')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('revision', '=', revision)
    .executeTakeFirst();
  if (!r) return null;
  const stored = JSON.parse(r.snapshot) as Omit<Article, 'bodyText'>;
  return {
    articleId: r.article_id,
    revision: r.revision,
    action: r.action,
    actorUserId: r.actor_user_id,
    at: r.created_at,
    snapshot: { ...stored, bodyText: documentText(stored.body) },
  };
}

export interface FieldDiff {
  field: 'headline' | 'standfirst' | 'body';
  changed: boolean;
  /** Word parts for headline and standfirst, line parts for the body (from the `diff` package). */
  parts: Change[];
}

export interface ArticleDiff {
  fromRevision: number;
  toRevision: number;
  fields: FieldDiff[];
  /** A plain-text rendering: `[-removed-]{+added+}` inside lines, `- `/`+ ` for body lines. */
  text: string;
}

function wordDiffText(parts: readonly Change[]): string {
  return parts.map((p) => (p.added ? `{+${p.value}+}` : p.removed ? `[-${p.value}-]` : p.value)).join('');
}

function lineDiffText(parts: readonly Change[]): string {
  const out: string[] = [];
  for (const p of parts) {
    const prefix = p.added ? '+ ' : p.removed ? '- ' : '  ';
    for (const line of p.value.replace(/\n$/, '').split('\n')) out.push(prefix + line);
  }
  return out.join('\n');
}

/** A readable diff of headline, standfirst (by word) and body text (by line). Pure. */
export function diffArticles(
  from: Pick<Article, 'headline' | 'standfirst' | 'bodyText' | 'revision'>,
  to: Pick<Article, 'headline' | 'standfirst' | 'bodyText' | 'revision'>,
): ArticleDiff {
  const fields: FieldDiff[] = [
    { field: 'headline', parts: diffWords(from.headline, to.headline) },
    { field: 'standfirst', parts: diffWords(from.standfirst, to.standfirst) },
    { field: 'body', parts: diffLines(`${from.bodyText}\n`, `${to.bodyText}\n`) },
  ].map((f) => ({ ...f, changed: f.parts.some((p) => p.added || p.removed) }) as FieldDiff);
  const sections = fields
    .filter((f) => f.changed)
    .map((f) => `${f.field}:\n${f.field === 'body' ? lineDiffText(f.parts) : `  ${wordDiffText(f.parts)}`}`);
  return {
    fromRevision: from.revision,
    toRevision: to.revision,
    fields,
    text: sections.length ? sections.join('\n\n') : '(no changes to headline, standfirst or body)',
  };
}

/** Diffs two stored revisions of one article; NotFoundError names the missing one. */
export async function diffRevisions(db: Db, articleId: string, fromRevision: number, toRevision: number): Promise<ArticleDiff> {
  const [from, to] = await Promise.all([getRevision(db, articleId, fromRevision), getRevision(db, articleId, toRevision)]);
  if (!from) throw new NotFoundError(`This story has no revision ${fromRevision}.`);
  if (!to) throw new NotFoundError(`This story has no revision ${toRevision}.`);
  return diffArticles(from.snapshot, to.snapshot);
}
