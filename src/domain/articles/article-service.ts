import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../accounts/role.ts';
import type { ServiceDeps } from '../deps.ts';
import { documentText } from '../documents/document-text.ts';
import { ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { toSlug } from '../slug.ts';
import { articlePath, type Article, type ArticleStatus } from './article.ts';
import { assertCan } from './article-policy.ts';
import { addRedirect, deleteRedirect, isSlugTaken } from './article-repository.ts';
import { articleInputSchema, type ArticleInput, type ParsedArticleInput } from './article-schemas.ts';
import { writeStory, type StoryContent } from './article-write.ts';

/** Who is saving (omitted for imports and seeding) and, for restores, under which action to record it. */
export interface SaveOptions {
  actor?: Actor | null;
  /** Forces a revision snapshot under this action even for unpublished stories (e.g. `restore`). */
  recordAs?: string;
  /** With `recordAs` and an actor: also written to the audit log as `article.<recordAs>` with these facts. */
  auditDetails?: Record<string, unknown>;
  /**
   * Creating only: the story's history when it is recorded after the fact (demo content,
   * back-fills), so it is not stamped as created now when it was published long ago.
   * `createdAt` ≤ `modifiedAt` (its last write, default `createdAt`) ≤ the clock, and
   * `createdAt` ≤ the publication time.
   */
  history?: { createdAt: Date; modifiedAt?: Date };
  /** Creating only: whose story it is when not the actor's (the assignee of a planned story an editor starts). */
  ownerId?: string;
}

/**
 * The publication invariant: a published story's publishedAt never precedes its embargo.
 * Public reads do not rely on it (an import or a hand edit can break it): they check the
 * embargo too, through the one rule in article-visibility.ts.
 */
function assertEmbargoRespected(a: Pick<Article, 'status' | 'publishedAt' | 'embargoUntil' | 'scheduledAt'>): void {
  if (a.embargoUntil === null) return;
  if (a.status === 'published' && a.publishedAt !== null && a.publishedAt < a.embargoUntil) {
    throw new ValidationError(
      `embargoUntil: the story is published from ${a.publishedAt}, before the embargo (${a.embargoUntil}); unpublish it first.`,
      [{ path: 'embargoUntil', message: 'embargo ends after the publication time' }],
    );
  }
  if (a.status === 'scheduled' && a.scheduledAt !== null && a.scheduledAt < a.embargoUntil) {
    throw new ValidationError(
      `embargoUntil: the story is scheduled for ${a.scheduledAt}, before the embargo (${a.embargoUntil}); reschedule it first.`,
      [{ path: 'embargoUntil', message: 'embargo ends after the scheduled time' }],
    );
  }
}

/** What an input sets exactly as given, on create and save alike. */
function fieldsAsGiven(data: ParsedArticleInput) {
  return {
    sectionId: data.sectionId,
    headline: data.headline,
    standfirst: data.standfirst,
    body: data.body,
    bodyText: documentText(data.body),
    heroImageId: data.heroImageId,
    language: data.language,
    commentsPolicy: data.commentsPolicy,
    seoTitle: data.seoTitle,
    seoDescription: data.seoDescription,
    authorIds: [...new Set(data.authorIds)],
    tagIds: [...new Set(data.tagIds)],
  };
}

const CREATABLE: readonly ArticleStatus[] = ['draft', 'in_review', 'published'];

/** Turns zod issues into one ValidationError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

async function sectionSlugOf(db: Db, sectionId: string): Promise<string> {
  const row = await db.selectFrom('sections').select('slug').where('id', '=', sectionId).executeTakeFirst();
  if (!row) throw new ValidationError(`sectionId: no section with id ${sectionId}`, [{ path: 'sectionId', message: 'unknown section' }]);
  return row.slug;
}

async function uniqueSlug(db: Db, sectionId: string, wanted: string, exceptId?: string): Promise<string> {
  let slug = wanted;
  for (let n = 2; await isSlugTaken(db, sectionId, slug, exceptId); n++) slug = `${wanted.slice(0, 110)}-${n}`;
  return slug;
}

/** A recorded history must read forwards: created, then published and last written, all in the past. */
function assertHistoryCoherent(createdAt: string, modifiedAt: string, nowIso: string, publishedAt: string | null): void {
  const problem =
    createdAt > modifiedAt
      ? 'a story cannot be written before it was created'
      : modifiedAt > nowIso
        ? 'a recorded history cannot end in the future'
        : publishedAt !== null && createdAt > publishedAt
          ? 'a story cannot be created after it was published'
          : null;
  if (problem) throw new ValidationError(`history: ${problem}`, [{ path: 'history', message: problem }]);
}

/**
 * Creates an article (draft, in review or published) with its bylines and tags. Scheduling
 * is a workflow step after creation. With an actor, the story is theirs and their role must
 * allow the initial status.
 */
export async function createArticle(deps: ServiceDeps, input: ArticleInput, options: SaveOptions = {}): Promise<Article> {
  const data = parseInput(articleInputSchema, input);
  const history = options.history;
  const now = history ? (history.modifiedAt ?? history.createdAt) : deps.clock();
  const nowIso = now.toISOString();
  const createdAt = history ? history.createdAt.toISOString() : nowIso;
  const status = data.status ?? 'draft';
  if (history) assertHistoryCoherent(createdAt, nowIso, deps.clock().toISOString(), data.publishedAt ?? null);
  if (!CREATABLE.includes(status)) {
    throw new ValidationError(`status: a story is created as ${CREATABLE.join(', ')}; schedule or unpublish it afterwards`, [
      { path: 'status', message: 'not a starting status' },
    ]);
  }
  const actor = options.actor ?? null;
  if (actor) {
    const asOwn = { status: 'draft' as const, createdBy: actor.userId };
    assertCan(actor, 'edit', asOwn);
    if (status !== 'draft') assertCan(actor, status === 'published' ? 'publish' : 'submit', asOwn);
  }
  return writeStory(deps, {
    articleId: null,
    actor,
    action: 'create',
    now,
    apply: async (_none, { trx }) => {
      await sectionSlugOf(trx, data.sectionId);
      const id = newId();
      const story: StoryContent = {
        id,
        slug: await uniqueSlug(trx, data.sectionId, data.slug ?? toSlug(data.headline)),
        ...fieldsAsGiven(data),
        translationGroupId: data.translationGroupId ?? id,
        status,
        publishedAt: status === 'published' ? (data.publishedAt ?? nowIso) : (data.publishedAt ?? null),
        updatedAt: data.updatedAt ?? null,
        embargoUntil: data.embargoUntil ?? null,
        scheduledAt: null,
        createdBy: options.ownerId ?? actor?.userId ?? null,
        createdAt,
        // A story becomes a live blog afterwards, through domain/live/live-coverage.ts.
        live: null,
      };
      assertEmbargoRespected(story);
      return { story, event: status === 'published' ? 'article.published' : null };
    },
  });
}

/**
 * Replaces an article's content. `expectedRevision` guards against lost updates. A new
 * section or slug leaves a 301 redirect from the old path. Saves of published stories are
 * kept as revisions. With an actor, their role must allow editing, and status changes must
 * go through the workflow actions instead.
 */
export async function updateArticle(
  deps: ServiceDeps,
  id: string,
  input: ArticleInput,
  expectedRevision: number,
  options: SaveOptions = {},
): Promise<Article> {
  const data = parseInput(articleInputSchema, input);
  const now = deps.clock();
  const nowIso = now.toISOString();
  const actor = options.actor ?? null;
  return writeStory(deps, {
    articleId: id,
    expectedRevision,
    refusal: 'save',
    actor,
    action: options.recordAs ?? 'save',
    now,
    apply: async (current, { trx, revision }) => {
      if (actor) assertCan(actor, 'edit', current);
      const status = data.status ?? current.status;
      if (status !== current.status && (actor || status === 'scheduled' || current.status === 'scheduled')) {
        throw new ValidationError(`status: change a story from ${current.status} to ${status} with a workflow action, not a save`, [
          { path: 'status', message: 'use a workflow action' },
        ]);
      }
      const newSectionSlug = await sectionSlugOf(trx, data.sectionId);
      const oldSectionSlug = await sectionSlugOf(trx, current.sectionId);
      const slug = await uniqueSlug(trx, data.sectionId, data.slug ?? current.slug, id);
      const next: StoryContent = {
        ...current,
        slug,
        ...fieldsAsGiven(data),
        translationGroupId: data.translationGroupId ?? current.translationGroupId,
        status,
        publishedAt: data.publishedAt !== undefined ? data.publishedAt : (current.publishedAt ?? (status === 'published' ? nowIso : null)),
        updatedAt: data.updatedAt !== undefined ? data.updatedAt : current.status === 'published' ? nowIso : current.updatedAt,
        embargoUntil: data.embargoUntil !== undefined ? data.embargoUntil : current.embargoUntil,
      };
      assertEmbargoRespected(next);
      const oldPath = articlePath(oldSectionSlug, current.slug);
      const newPath = articlePath(newSectionSlug, slug);
      if (oldPath !== newPath) {
        // Only an address readers may have seen is kept; a draft's autosaves leave none behind.
        if (current.publishedAt !== null) await addRedirect(trx, oldPath, id, nowIso);
        // If this article reclaims a path it once left, that path must serve it, not redirect.
        await deleteRedirect(trx, newPath);
      }
      return {
        story: next,
        snapshot: Boolean(options.recordAs) || current.status === 'published' || next.status === 'published',
        audit: options.recordAs && actor ? { ...options.auditDetails, revision } : undefined,
        event: current.status === 'published' && next.status === 'published' ? 'article.updated' : null,
      };
    },
  });
}
