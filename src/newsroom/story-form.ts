import type { StoryEditorData, StoryEdit } from '../domain/desk/article-editor.ts';
import { ValidationError } from '../domain/errors.ts';
import type { StoryFormValues } from './views/story-editor-view.ts';

/*
 * The story form without JavaScript: plain fields, bylines as `author_0`, `author_1`, … in
 * order, tags as one comma-separated field. The body is not part of the form (the script
 * saves it as JSON); a form save keeps the stored body.
 */

const MAX_BYLINES = 10;

export function bylinesFrom(fields: Record<string, string>): string[] {
  const ids: string[] = [];
  for (let n = 0; n < MAX_BYLINES; n++) {
    const id = fields[`author_${n}`]?.trim();
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

export function tagsFrom(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** The editor payload a form POST stands for. */
export function formToStoryEdit(fields: Record<string, string>): StoryEdit {
  return {
    headline: fields.headline ?? '',
    standfirst: fields.standfirst ?? '',
    slug: fields.slug ?? '',
    sectionId: fields.sectionId ?? '',
    authorIds: bylinesFrom(fields),
    tags: tagsFrom(fields.tags),
    heroImageId: fields.heroImageId || null,
    language: fields.language || 'en',
    commentsPolicy: (fields.commentsPolicy || 'open') as StoryEdit['commentsPolicy'],
  };
}

/** The form as just submitted (to show it again with an error). */
export function formValuesFromFields(fields: Record<string, string>): StoryFormValues {
  return {
    headline: fields.headline ?? '',
    standfirst: fields.standfirst ?? '',
    slug: fields.slug ?? '',
    sectionId: fields.sectionId ?? '',
    authorIds: bylinesFrom(fields),
    tags: fields.tags ?? '',
    heroImageId: fields.heroImageId ?? '',
    language: fields.language ?? '',
    commentsPolicy: fields.commentsPolicy ?? 'open',
  };
}

export function formValuesFromStory(data: StoryEditorData): StoryFormValues {
  const a = data.article;
  return {
    headline: a.headline,
    standfirst: a.standfirst,
    slug: a.slug,
    sectionId: a.sectionId,
    authorIds: a.authorIds,
    tags: data.tags.map((t) => t.name).join(', '),
    heroImageId: a.heroImageId ?? '',
    language: a.language,
    commentsPolicy: a.commentsPolicy,
  };
}

/** The `baseRevision` every save carries; a missing or odd one is a 400, never a blind overwrite. */
export function baseRevisionFrom(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw new ValidationError('baseRevision: every save must say which revision it was based on; reload the story and try again.', [
      { path: 'baseRevision', message: 'missing or not a revision number' },
    ]);
  }
  return n;
}

/** The pending change's revision a save was based on: absent (not editing one), '' or null (none yet), or a number. */
export function pendingRevisionFrom(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  return baseRevisionFrom(value);
}

/** What the writer asked for (an editor's "Save for review"); the server decides whether it applies. */
export function requestedTargetFrom(value: unknown): 'pending' | 'live' | undefined {
  return value === 'pending' || value === 'live' ? value : undefined;
}
