import { z } from 'zod';
import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { listAuthors, type Author } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import { proseMirrorToDocument } from '../documents/document-prosemirror.ts';
import { EMPTY_DOCUMENT, type ArticleDocument } from '../documents/document-schema.ts';
import { ConflictError, EditConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { findImagesByIds, type Image } from '../media/image.ts';
import { listSections, type Section } from '../sections/section.ts';
import { toSlug } from '../slug.ts';
import { ensureTags, findTagBySlug, findTagsByIds, tagsForArticle, type Tag } from '../tags/tag.ts';
import { COMMENTS_POLICIES, type Article } from '../articles/article.ts';
import { listNoteThreads, type NoteThread } from './editorial-notes.ts';
import { keepConflictCopy, listOpenConflictCopies, type ConflictCopy } from './article-conflict-copies.ts';
import { can } from '../articles/article-policy.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { articleInputSchema, type ArticleInput } from '../articles/article-schemas.ts';
import { createArticle, parseInput, updateArticle } from '../articles/article-service.ts';
import {
  findPendingChange,
  savePendingChange,
  saveTargetFor,
  withPendingChange,
  type PendingChange,
  type PendingExpectation,
  type SaveTarget,
} from '../articles/article-pending-change.ts';

/*
 * The newsroom story editor's use cases: open a story for editing, create a draft, save an
 * edit. The editor sends its body as ProseMirror JSON; it is converted (and strictly
 * checked) here, so every entry point stores the same ArticleDocument.
 */

const idList = z.array(z.string().trim().min(1).max(100)).max(10, 'at most 10 bylines');

/** What the editor (form or JSON) sends. Unknown fields are refused. */
export const storyEditSchema = z.strictObject({
  headline: z.string().max(300, 'at most 300 characters'),
  standfirst: z.string().max(600, 'at most 600 characters').default(''),
  slug: z.string().trim().max(120).default(''),
  // The form's placeholder option sends an empty value: say what to do, not what is wrong.
  sectionId: z.string().trim().min(1, 'Choose the section this story belongs in.'),
  authorIds: idList.default([]),
  /** Tag names; existing tags are matched by slug. */
  tags: z.array(z.string().trim().min(1).max(100, 'a tag has at most 100 characters')).max(30, 'at most 30 tags').default([]),
  heroImageId: z
    .string()
    .trim()
    .max(100)
    .nullable()
    .default(null)
    .transform((v) => (v ? v : null)),
  language: z.string().trim().default('en'),
  commentsPolicy: z.enum(COMMENTS_POLICIES, 'choose open, moderated or closed').default('open'),
  /** The editor's ProseMirror JSON; omitted keeps the stored body (a form saved without JavaScript). */
  body: z.unknown().optional(),
});

export type StoryEdit = z.input<typeof storyEditSchema>;

/** Who may open a story in the newsroom at all (editing is `can(actor, 'edit', …)`). */
export function canOpenStory(actor: Actor, article: Pick<Article, 'createdBy'>): boolean {
  return roleAtLeast(actor.role, 'editor') || (article.createdBy !== null && article.createdBy === actor.userId);
}

async function resolveTags(deps: ServiceDeps, actor: Actor, names: readonly string[]): Promise<string[]> {
  const unknown: string[] = [];
  const ids: string[] = [];
  for (const name of names) {
    const tag = await findTagBySlug(deps.db, toSlug(name));
    if (tag) ids.push(tag.id);
    else unknown.push(name);
  }
  if (!unknown.length) return ids;
  if (!roleAtLeast(actor.role, 'editor')) {
    throw new ValidationError(
      `tags: ${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length === 1 ? 'is not a tag' : 'are not tags'} yet; an editor can create ${unknown.length === 1 ? 'it' : 'them'}.`,
      [{ path: 'tags', message: 'unknown tag' }],
    );
  }
  // Editors create tags as they write; all names are resolved again in the given order.
  const created = await ensureTags(deps.db, names, deps.clock());
  return created.map((t) => t.id);
}

/** Turns an editor payload into article input; the body is converted when present. */
async function toArticleInput(deps: ServiceDeps, actor: Actor, raw: unknown, current: Article | null): Promise<ArticleInput> {
  const edit = parseInput(storyEditSchema, raw);
  let body: ArticleDocument = current?.body ?? EMPTY_DOCUMENT;
  if (edit.body !== undefined) body = proseMirrorToDocument(edit.body, 'body');
  // A draft's address follows its headline until someone sets one; a published address stays.
  let slug: string | undefined = edit.slug || undefined;
  if (!slug && current && current.publishedAt === null) slug = toSlug(edit.headline);
  const input: ArticleInput = {
    headline: edit.headline,
    standfirst: edit.standfirst,
    slug,
    sectionId: edit.sectionId,
    authorIds: edit.authorIds,
    tagIds: [],
    heroImageId: edit.heroImageId,
    body,
    language: edit.language,
    commentsPolicy: edit.commentsPolicy,
    // Fields the editor does not show are kept as they are.
    seoTitle: current?.seoTitle ?? null,
    seoDescription: current?.seoDescription ?? null,
  };
  // Check everything else before creating any tag, so a refused save writes nothing.
  parseInput(articleInputSchema, input);
  input.tagIds = await resolveTags(deps, actor, edit.tags);
  return input;
}

/** Creates a draft owned by `actor` from the editor's fields. */
export async function createStory(deps: ServiceDeps, actor: Actor, raw: unknown): Promise<Article> {
  const input = await toArticleInput(deps, actor, raw, null);
  return createArticle(deps, { ...input, status: 'draft' }, { actor });
}

/**
 * Saves an edit made on `baseRevision`. If the story has moved on since, the edit is kept
 * as a conflict copy and an EditConflictError (409) says where to compare it.
 */
export async function saveStory(deps: ServiceDeps, actor: Actor, id: string, raw: unknown, baseRevision: number): Promise<Article> {
  const current = await findArticleById(deps.db, id);
  if (!current) throw new NotFoundError('There is no story with that id.');
  // Before anything else: a stale save from someone who may not edit is simply refused.
  if (!can(actor, 'edit', current))
    throw new ForbiddenError(
      `A ${actor.role} may not edit this story${canOpenStory(actor, current) ? ` while it is ${current.status.replace('_', ' ')}` : ''}.`,
    );
  const input = await toArticleInput(deps, actor, raw, current);
  try {
    return await updateArticle(deps, id, input, baseRevision, { actor });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    const latest = await findArticleById(deps.db, id);
    if (!latest || latest.revision === baseRevision) throw err;
    const copyId = await keepConflictCopy(deps.db, {
      articleId: id,
      userId: actor.userId,
      baseRevision,
      currentRevision: latest.revision,
      input: parseInput(articleInputSchema, input),
      at: deps.clock().toISOString(),
    });
    throw new EditConflictError(
      `Someone else saved this story while you were editing (you started from revision ${baseRevision}; it is now at revision ${latest.revision}). Your version was not saved over theirs, but it is kept: compare the two and choose.`,
      copyId,
      latest.revision,
    );
  }
}

/**
 * Saves an edit of a live story as its pending change (see article-pending-change.ts). Fields
 * the editor does not send are taken from the pending change when there is one.
 */
export async function stageStoryEdit(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  raw: unknown,
  expect: PendingExpectation,
): Promise<PendingChange> {
  const current = await findArticleById(deps.db, id);
  if (!current) throw new NotFoundError('There is no story with that id.');
  if (!can(actor, 'edit', current)) throw new ForbiddenError(`A ${actor.role} may not edit this story.`);
  const pending = await findPendingChange(deps.db, id);
  const input = await toArticleInput(deps, actor, raw, pending ? withPendingChange(current, pending) : current);
  return savePendingChange(deps, actor, id, input, expect);
}

/** What a save of the editor became: the story written, or its pending change kept. */
export type SavedEdit = { target: 'live'; article: Article } | { target: 'pending'; article: Article; change: PendingChange };

/**
 * The editor's one save: to the story itself, or to its pending change, as `saveTargetFor`
 * decides from the role, the story and the site's policy (never from the client alone: an
 * author asking to publish at once is still staged). `pendingRevision` is the pending change
 * the page was editing (null: none yet, when asking for one); with it, the save stays staged.
 */
export async function saveStoryEdit(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  raw: unknown,
  opts: { baseRevision: number; pendingRevision: number | null | undefined; requested?: SaveTarget; stageAuthorEdits: boolean },
): Promise<SavedEdit> {
  const current = await findArticleById(deps.db, id);
  if (!current) throw new NotFoundError('There is no story with that id.');
  const pending = await findPendingChange(deps.db, id);
  const requested = opts.requested ?? (opts.pendingRevision !== undefined ? 'pending' : undefined);
  const target = saveTargetFor(actor, current, pending !== null || opts.pendingRevision != null, {
    stageAuthorEdits: opts.stageAuthorEdits,
    requested,
  });
  if (target === 'live') return { target, article: await saveStory(deps, actor, id, raw, opts.baseRevision) };
  const change = await stageStoryEdit(deps, actor, id, raw, {
    liveRevision: opts.baseRevision,
    pendingRevision: opts.pendingRevision ?? null,
  });
  return { target, article: current, change };
}

export interface StoryEditorData {
  /** The story as the editor shows it: with its pending change applied, when it has one. */
  article: Article;
  /** The live story, when `article` shows a pending change of it. */
  live: Article | null;
  pending: PendingChange | null;
  editable: boolean;
  sections: Section[];
  authors: Author[];
  tags: Tag[];
  /** The hero and every figure image the body uses, by id. */
  images: Map<string, Image>;
  /** This user's refused edits still waiting for a decision. */
  conflicts: ConflictCopy[];
  /** The desk's notes on the story (never shown to readers). */
  notes: NoteThread[];
}

/** Everything the editor page shows; NotFoundError or ForbiddenError otherwise. */
export async function getStoryForEditing(deps: ServiceDeps, actor: Actor, id: string): Promise<StoryEditorData> {
  const article = await findArticleById(deps.db, id);
  if (!article) throw new NotFoundError('There is no story with that id.');
  if (!canOpenStory(actor, article)) throw new ForbiddenError('This story belongs to someone else; ask an editor.');
  const imageIds = article.body.blocks.flatMap((b) => (b.type === 'figure' ? [b.imageId] : []));
  if (article.heroImageId) imageIds.push(article.heroImageId);
  const pending = await findPendingChange(deps.db, id);
  const shown = pending ? withPendingChange(article, pending) : article;
  if (pending)
    imageIds.push(
      ...shown.body.blocks.flatMap((b) => (b.type === 'figure' ? [b.imageId] : [])),
      ...(shown.heroImageId ? [shown.heroImageId] : []),
    );
  const [sections, authors, tags, images, conflicts, notes] = await Promise.all([
    listSections(deps.db),
    listAuthors(deps.db),
    pending ? findTagsByIds(deps.db, shown.tagIds) : tagsForArticle(deps.db, id),
    findImagesByIds(deps.db, imageIds),
    listOpenConflictCopies(deps.db, id, actor.userId),
    listNoteThreads(deps, actor, id),
  ]);
  return {
    article: shown,
    live: pending ? article : null,
    pending,
    editable: can(actor, 'edit', article),
    sections,
    authors,
    tags,
    images,
    conflicts,
    notes,
  };
}

/** Sections and authors for the "new story" form. */
export async function getNewStoryOptions(deps: ServiceDeps): Promise<{ sections: Section[]; authors: Author[] }> {
  const [sections, authors] = await Promise.all([listSections(deps.db), listAuthors(deps.db)]);
  return { sections, authors };
}
