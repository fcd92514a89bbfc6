import { z } from 'zod';
import { articleDocumentSchema } from '../domain/documents/document-schema.ts';
import { ARTICLE_STATUSES } from '../domain/articles/article.ts';
import { translationJsonSchema } from './api-editions.ts';

/*
 * What the API answers, as zod schemas. They document responses in the OpenAPI document,
 * and the presenters are typed by them (z.infer), so the documented shape and the code
 * that builds it cannot drift apart.
 */

export const renditionJsonSchema = z.strictObject({
  width: z.number().int(),
  format: z.enum(['avif', 'webp', 'jpg']),
  url: z.string().meta({ description: 'Absolute URL of the rendition' }),
});

export const imageJsonSchema = z.strictObject({
  id: z.string(),
  mimeType: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  altText: z.string(),
  caption: z.string(),
  credit: z.string(),
  creator: z.string(),
  copyrightNotice: z.string(),
  creditLine: z.string().meta({ description: 'The credit as printed under the photo, e.g. "Copyright Mikhail Metzel/AP2010"' }),
  renditions: z.array(renditionJsonSchema),
});
export type ImageJson = z.infer<typeof imageJsonSchema>;

export const sectionJsonSchema = z.strictObject({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  url: z.string(),
});
export const tagJsonSchema = z.strictObject({ id: z.string(), slug: z.string(), name: z.string(), url: z.string() });
export const authorJsonSchema = z.strictObject({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  bio: z.string(),
  roleTitle: z.string(),
  url: z.string(),
});
export type SectionJson = z.infer<typeof sectionJsonSchema>;
export type TagJson = z.infer<typeof tagJsonSchema>;
export type AuthorJson = z.infer<typeof authorJsonSchema>;

export const articleJsonSchema = z.strictObject({
  id: z.string(),
  slug: z.string(),
  url: z.string().meta({ description: 'Canonical public URL' }),
  headline: z.string(),
  standfirst: z.string(),
  language: z.string(),
  edition: z.string().meta({ description: 'The code of the language edition the story belongs to (`edition=` filters by it)' }),
  translationGroupId: z.string(),
  translations: z
    .array(translationJsonSchema)
    .meta({ description: 'The same story published in other editions; unpublished translations never appear' }),
  section: z.strictObject({ id: z.string(), slug: z.string(), name: z.string(), url: z.string() }),
  authors: z.array(z.strictObject({ id: z.string(), slug: z.string(), name: z.string(), url: z.string() })),
  tags: z.array(tagJsonSchema),
  hero: imageJsonSchema.nullable(),
  // The structured body document, the source of truth (a reference to the ArticleDocument component).
  body: articleDocumentSchema,
  bodyHtml: z.string().meta({ description: 'The body rendered as the public page shows it; links and image URLs are absolute' }),
  images: z.array(imageJsonSchema).meta({ description: 'Images used by figure blocks of the body' }),
  publishedAt: z.string().nullable(),
  updatedAt: z.string().nullable().meta({ description: 'Last editorial update shown to readers' }),
  changedAt: z.string().meta({ description: 'Last change of any kind; use with `updatedSince`' }),
  seoTitle: z.string().nullable(),
  seoDescription: z.string().nullable(),
});
export type ArticleJson = z.infer<typeof articleJsonSchema>;

/** The fields `fields=` may name. */
export const ARTICLE_FIELDS = Object.keys(articleJsonSchema.shape) as Array<keyof ArticleJson>;

export const editorialArticleJsonSchema = articleJsonSchema.extend({
  status: z.enum(ARTICLE_STATUSES),
  revision: z.number().int().meta({ description: 'Send back as `expectedRevision` when changing the story' }),
  scheduledAt: z.string().nullable(),
  embargoUntil: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  modifiedAt: z.string(),
  commentsPolicy: z.string(),
});
export type EditorialArticleJson = z.infer<typeof editorialArticleJsonSchema>;

/** A change to a live story waiting for an editor's review (the story itself is untouched until it is published). */
export const pendingChangeJsonSchema = z.strictObject({
  id: z.string(),
  articleId: z.string(),
  state: z
    .literal('pending_review')
    .meta({ description: 'Always `pending_review`: readers see the live story until an editor publishes this' }),
  revision: z
    .number()
    .int()
    .meta({ description: 'The change’s own revision: send it back as `expectedPendingRevision` to change it again' }),
  baseRevision: z.number().int().meta({ description: 'The live story’s revision the change was started from' }),
  createdBy: z.string(),
  updatedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  proposed: z
    .strictObject({
      headline: z.string(),
      standfirst: z.string(),
      slug: z.string().nullable(),
      sectionId: z.string(),
      authorIds: z.array(z.string()),
      tagIds: z.array(z.string()),
      heroImageId: z.string().nullable(),
      body: articleDocumentSchema,
      language: z.string(),
      commentsPolicy: z.string(),
      seoTitle: z.string().nullable(),
      seoDescription: z.string().nullable(),
    })
    .meta({ description: 'The story’s content as it will read once the change is published' }),
  live: editorialArticleJsonSchema.meta({ description: 'The story as readers see it now' }),
});
export type PendingChangeJson = z.infer<typeof pendingChangeJsonSchema>;

/** `{ data }` around one resource. */
export function one<S extends z.ZodType>(schema: S) {
  return z.strictObject({ data: schema });
}

/** `{ data: [...], nextCursor }` around a keyset page. */
export function page<S extends z.ZodType>(schema: S) {
  return z.strictObject({
    data: z.array(schema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next (older) page; null on the last page' }),
  });
}

/** Article JSON with only some fields (`fields=`): every property optional. */
export const partialArticleJsonSchema = articleJsonSchema
  .partial()
  .meta({ description: 'An article; only the requested `fields` are present' });

export const liveEntryJsonSchema = z.strictObject({
  id: z.string(),
  deleted: z.literal(false),
  cursor: z.string().meta({ description: 'The change cursor of this version of the entry' }),
  url: z.string().meta({ description: 'Permalink: the live blog opened at this entry' }),
  publishedAt: z.string(),
  updatedAt: z.string().meta({ description: 'Last change of the entry (edits, corrections, flags)' }),
  keyEvent: z.boolean(),
  pinned: z.boolean(),
  authors: z.array(z.strictObject({ id: z.string(), slug: z.string(), name: z.string(), url: z.string() })),
  body: articleDocumentSchema,
  bodyHtml: z.string().meta({ description: 'The body as the live blog shows it; links and image URLs are absolute' }),
  images: z.array(imageJsonSchema).meta({ description: 'Images used by figure blocks of the body' }),
  correction: z
    .strictObject({ note: z.string(), at: z.string() })
    .nullable()
    .meta({ description: 'A visible correction: what was put right, and when' }),
});
export type LiveEntryJson = z.infer<typeof liveEntryJsonSchema>;

export const liveEntryTombstoneJsonSchema = z
  .strictObject({ id: z.string(), deleted: z.literal(true), cursor: z.string() })
  .meta({ description: 'An entry readers saw that is gone: remove it' });
export type LiveEntryTombstoneJson = z.infer<typeof liveEntryTombstoneJsonSchema>;

export const liveEntryChangesJsonSchema = z.strictObject({
  data: z.array(z.union([liveEntryJsonSchema, liveEntryTombstoneJsonSchema])).meta({ description: 'Changes, oldest first' }),
  cursor: z.string().meta({ description: 'Pass as `since` to get what changes next (the same value when nothing changed)' }),
  hasMore: z.boolean().meta({ description: 'More changes are waiting: ask again at once with `cursor`' }),
});
export type LiveEntryChangesJson = z.infer<typeof liveEntryChangesJsonSchema>;
