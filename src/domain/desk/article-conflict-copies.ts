import type { Db } from '../../db/database.ts';
import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import type { ServiceDeps } from '../deps.ts';
import { documentText } from '../documents/document-text.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Article } from '../articles/article.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { diffArticles, type ArticleDiff } from '../articles/article-revisions.ts';
import type { ParsedArticleInput } from '../articles/article-schemas.ts';
import { updateArticle } from '../articles/article-service.ts';

/*
 * A save based on an old revision is refused (someone else saved first), but the refused
 * version is never lost: it is kept as a conflict copy until its writer compares it with
 * the latest and either takes it over the latest or lets it go.
 */

export interface ConflictCopy {
  id: string;
  articleId: string;
  userId: string;
  baseRevision: number;
  currentRevision: number;
  createdAt: string;
  resolvedAt: string | null;
  resolution: 'applied' | 'discarded' | null;
  /** The refused edit, as validated input for createArticle/updateArticle. */
  input: ParsedArticleInput;
}

type Row = {
  id: string;
  article_id: string;
  user_id: string;
  base_revision: number;
  current_revision: number;
  created_at: string;
  resolved_at: string | null;
  resolution: string | null;
  input: string;
};

function rowToCopy(r: Row): ConflictCopy {
  return {
    id: r.id,
    articleId: r.article_id,
    userId: r.user_id,
    baseRevision: r.base_revision,
    currentRevision: r.current_revision,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution as ConflictCopy['resolution'],
    input: JSON.parse(r.input) as ParsedArticleInput,
  };
}

/** Keeps a refused edit; returns the copy's id. */
export async function keepConflictCopy(
  db: Db,
  c: { articleId: string; userId: string; baseRevision: number; currentRevision: number; input: ParsedArticleInput; at: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('article_conflict_copies')
    .values({
      id,
      article_id: c.articleId,
      user_id: c.userId,
      base_revision: c.baseRevision,
      current_revision: c.currentRevision,
      created_at: c.at,
      resolved_at: null,
      resolution: null,
      input: JSON.stringify(c.input),
    })
    .execute();
  return id;
}

/** This writer's undecided copies for one story, newest first. */
export async function listOpenConflictCopies(db: Db, articleId: string, userId: string): Promise<ConflictCopy[]> {
  const rows = await db
    .selectFrom('article_conflict_copies')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('resolved_at', 'is', null)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(rowToCopy);
}

async function loadOwnCopy(deps: ServiceDeps, actor: Actor, articleId: string, copyId: string): Promise<ConflictCopy> {
  const row = await deps.db.selectFrom('article_conflict_copies').selectAll().where('id', '=', copyId).executeTakeFirst();
  if (!row || row.article_id !== articleId) throw new NotFoundError('There is no such kept version of this story.');
  if (row.user_id !== actor.userId && !roleAtLeast(actor.role, 'editor'))
    throw new ForbiddenError('This kept version belongs to someone else.');
  return rowToCopy(row);
}

export interface ConflictComparison {
  copy: ConflictCopy;
  /** The story as it now is ("theirs"). */
  current: Article;
  /** The kept edit as an article ("yours"), for rendering side by side. */
  yours: Article;
  diff: ArticleDiff;
  /** Display names of the sections, bylines and tags either version uses. */
  names: Map<string, string>;
}

async function namesFor(db: Db, a: Article, b: Article): Promise<Map<string, string>> {
  const sectionIds = [a.sectionId, b.sectionId];
  const authorIds = [...a.authorIds, ...b.authorIds];
  const tagIds = [...a.tagIds, ...b.tagIds];
  const [sections, authors, tags] = await Promise.all([
    db.selectFrom('sections').select(['id', 'name']).where('id', 'in', sectionIds).execute(),
    authorIds.length ? db.selectFrom('authors').select(['id', 'name']).where('id', 'in', authorIds).execute() : [],
    tagIds.length ? db.selectFrom('tags').select(['id', 'name']).where('id', 'in', tagIds).execute() : [],
  ]);
  return new Map([...sections, ...authors, ...tags].map((r) => [r.id, r.name]));
}

/** Theirs (the latest) against yours (the kept copy), for the compare page. */
export async function compareConflictCopy(deps: ServiceDeps, actor: Actor, articleId: string, copyId: string): Promise<ConflictComparison> {
  const copy = await loadOwnCopy(deps, actor, articleId, copyId);
  const current = await findArticleById(deps.db, articleId);
  if (!current) throw new NotFoundError('That story no longer exists.');
  const i = copy.input;
  const yours: Article = {
    ...current,
    headline: i.headline,
    standfirst: i.standfirst,
    slug: i.slug ?? current.slug,
    sectionId: i.sectionId,
    body: i.body,
    bodyText: documentText(i.body),
    heroImageId: i.heroImageId,
    language: i.language,
    commentsPolicy: i.commentsPolicy,
    authorIds: i.authorIds,
    tagIds: i.tagIds,
    revision: copy.baseRevision,
  };
  return { copy, current, yours, diff: diffArticles(current, yours), names: await namesFor(deps.db, current, yours) };
}

/**
 * Settles a kept copy: `applied` saves it over the latest revision the writer has just
 * seen (`expectedRevision`, so a third save in between is refused again), `discarded`
 * lets it go. Either way it stops being offered.
 */
export async function resolveConflictCopy(
  deps: ServiceDeps,
  actor: Actor,
  articleId: string,
  copyId: string,
  resolution: 'applied' | 'discarded',
  expectedRevision: number,
): Promise<Article | null> {
  const copy = await loadOwnCopy(deps, actor, articleId, copyId);
  if (copy.resolvedAt)
    throw new ConflictError(`This kept version was already ${copy.resolution === 'applied' ? 'saved over the latest' : 'discarded'}.`);
  let saved: Article | null = null;
  if (resolution === 'applied') {
    const { status: _status, ...input } = copy.input;
    saved = await updateArticle(deps, articleId, input, expectedRevision, { actor });
  }
  await deps.db
    .updateTable('article_conflict_copies')
    .set({ resolved_at: deps.clock().toISOString(), resolution })
    .where('id', '=', copyId)
    .where('resolved_at', 'is', null)
    .execute();
  return saved;
}
