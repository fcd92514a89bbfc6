import type { Selectable } from 'kysely';
import { z } from 'zod';
import { isForeignKeyViolation } from '../../db/constraint-violations.ts';
import type { ImageTable } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { decodeCursor, encodeCursor } from '../articles/cursor.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { isId } from '../ids.ts';
import { rowToImage, type Image } from './image.ts';
import { ingestImage } from './image-ingest.ts';
import { describeUsage, findImageUsage, type ImageUsage } from './media-library-usage.ts';
import { authorTag, imageTag } from '../changes/cache-tags.ts';
import { visibleStoryTags } from '../changes/cache-tags-query.ts';
import { changeNaming, publishAfterCommit } from '../changes/content-change-publish.ts';
import { indexImage, unindexImage } from '../search/image-search-index.ts';
import { searchImages } from '../search/search-engine.ts';
import { parseSearchQuery } from '../search/search-query.ts';

/*
 * The newsroom media library: find, upload, describe and delete images. Any signed-in role
 * (contributor and up) uploads and edits descriptions; deleting needs an editor, and is
 * refused while a story or author still shows the image.
 */

/** An image as the library lists it. */
export interface LibraryImage extends Image {
  createdAt: string;
  originalFilename: string;
}

export interface LibraryPage {
  items: LibraryImage[];
  /** Cursor for the next (older) page, or null on the last page. */
  next: string | null;
}

export const LIBRARY_PAGE_SIZE = 24;

/** Limits match the figure-block overrides in the article document. */
export const IMAGE_FIELD_LIMITS = { caption: 2000, credit: 300, creator: 300, copyrightNotice: 500, altText: 1000 } as const;

const FIELD_LABELS: Record<keyof typeof IMAGE_FIELD_LIMITS, string> = {
  caption: 'Caption',
  credit: 'Credit line',
  creator: 'Photographer',
  copyrightNotice: 'Copyright notice',
  altText: 'Alt text',
};

const field = (name: keyof typeof IMAGE_FIELD_LIMITS) =>
  z
    .string({ error: `${FIELD_LABELS[name]} must be text.` })
    .trim()
    .max(IMAGE_FIELD_LIMITS[name], { error: `${FIELD_LABELS[name]} is too long (at most ${IMAGE_FIELD_LIMITS[name]} characters).` })
    // Control characters (other than line breaks in a caption) are never meant.
    .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v), {
      error: `${FIELD_LABELS[name]} contains invalid characters.`,
    });

/** The editable description of an image; every field may be empty. */
export const imageMetadataSchema = z.strictObject({
  caption: field('caption'),
  credit: field('credit'),
  creator: field('creator'),
  copyrightNotice: field('copyrightNotice'),
  altText: field('altText'),
});
export type ImageMetadataUpdate = z.infer<typeof imageMetadataSchema>;

const listQuerySchema = z.strictObject({
  q: z.string().max(200, { error: 'The search is too long (at most 200 characters).' }).optional(),
  cursor: z.string().max(300).optional(),
  limit: z.number().int().min(1).max(100).optional(),
});

function rowToLibraryImage(row: Selectable<ImageTable>): LibraryImage {
  return { ...rowToImage(row), createdAt: row.created_at, originalFilename: row.original_filename };
}

/** Search pages go by position (they are ranked, not dated); deeper than this is refused. */
const MAX_SEARCH_OFFSET = 10_000;

function encodeSearchCursor(offset: number): string {
  return Buffer.from(`search~${offset}`, 'utf8').toString('base64url');
}

function decodeSearchCursor(value: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(value)) return null;
  const m = /^search~(\d{1,6})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  const offset = m ? Number(m[1]) : NaN;
  return Number.isInteger(offset) && offset > 0 && offset <= MAX_SEARCH_OFFSET ? offset : null;
}

const STALE_PAGE = 'This page link is not valid any more. Start again from the newest images.';

/**
 * Images newest first, `limit` per page, continuing after `cursor`. With `q`, images whose
 * caption, credit line, photographer, copyright notice, alt text, file name or embedded
 * headline, title and keywords match it (the story search's operators: all words, "phrases",
 * -excluded, a OR b; accents folded), best match first, then newest.
 */
export async function listLibraryImages(
  deps: ServiceDeps,
  actor: Actor,
  input: { q?: string; cursor?: string; limit?: number } = {},
): Promise<LibraryPage> {
  assertRole(actor, 'contributor');
  const parsed = listQuerySchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues[0]!.message);
  const { q = '', cursor, limit = LIBRARY_PAGE_SIZE } = parsed.data;
  // A query with no words in it (only punctuation) lists every image, as an empty box does.
  const query = parseSearchQuery(q);
  if (query) {
    const offset = cursor ? decodeSearchCursor(cursor) : 0;
    if (offset === null) throw new ValidationError(STALE_PAGE);
    const hits = await searchImages(deps.db, deps.dialect, query, { offset, limit: limit + 1 });
    const ids = hits.slice(0, limit).map((h) => h.imageId);
    const rows = ids.length ? await deps.db.selectFrom('images').selectAll().where('id', 'in', ids).execute() : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [rowToLibraryImage(row)] : [];
    });
    const more = hits.length > limit && offset + limit < MAX_SEARCH_OFFSET;
    return { items, next: more ? encodeSearchCursor(offset + limit) : null };
  }
  let rowsQuery = deps.db.selectFrom('images').selectAll();
  if (cursor) {
    const after = decodeCursor(cursor);
    if (!after) throw new ValidationError(STALE_PAGE);
    rowsQuery = rowsQuery.where((eb) =>
      eb.or([eb('created_at', '<', after.publishedAt), eb.and([eb('created_at', '=', after.publishedAt), eb('id', '<', after.id)])]),
    );
  }
  const rows = await rowsQuery
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(rowToLibraryImage);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? encodeCursor({ publishedAt: last.createdAt, id: last.id }) : null };
}

/** One image with everything that shows it. */
export async function getLibraryImage(deps: ServiceDeps, actor: Actor, id: string): Promise<{ image: LibraryImage; usage: ImageUsage[] }> {
  assertRole(actor, 'contributor');
  const image = await findLibraryImage(deps, id);
  return { image, usage: await findImageUsage(deps.db, image.id) };
}

const ORIGINAL_EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'avif' };

/** The stored file name of an image's original upload. */
export function originalFileName(image: Pick<Image, 'mimeType'>): string {
  return `original.${ORIGINAL_EXT[image.mimeType] ?? 'jpg'}`;
}

/**
 * The original upload, for newsroom users only: it keeps every embedded field, GPS position
 * included, which may locate a photographer or a source. Readers only ever get renditions,
 * which sharp writes without metadata.
 */
export async function readOriginal(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
): Promise<{ data: Buffer; mimeType: string; filename: string }> {
  assertRole(actor, 'contributor');
  const image = await findLibraryImage(deps, id);
  const file = originalFileName(image);
  const data = await deps.mediaStore.read(image.storageKey, file);
  if (!data) throw new NotFoundError('The original file of this image is missing from the media folder.');
  const filename = image.originalFilename || `${image.id}.${file.split('.').pop()}`;
  return { data, mimeType: image.mimeType, filename };
}

async function findLibraryImage(deps: Pick<ServiceDeps, 'db'>, id: string): Promise<LibraryImage> {
  const row = isId(id) ? await deps.db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError('There is no such image. It may have been deleted.');
  return rowToLibraryImage(row);
}

/**
 * Stores an uploaded photo (see `ingestImage`: checks, renditions, embedded metadata) and
 * records who uploaded it, in one transaction with the image row.
 */
export async function uploadLibraryImage(
  deps: ServiceDeps,
  actor: Actor,
  data: Buffer,
  options: { filename?: string; maxUploadMb: number },
): Promise<LibraryImage> {
  assertRole(actor, 'contributor');
  const now = deps.clock();
  const filename = (options.filename ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255);
  const image = await ingestImage(
    { db: deps.db, mediaStore: deps.mediaStore, now },
    data,
    {},
    {
      maxUploadMb: options.maxUploadMb,
      originalFilename: filename,
      afterInsert: (db, img) =>
        recordAudit(db, {
          at: now,
          actorUserId: actor.userId,
          action: 'image.uploaded',
          subjectType: 'image',
          subjectId: img.id,
          details: { filename, width: img.width, height: img.height, mimeType: img.mimeType },
        }),
    },
  );
  return { ...image, createdAt: now.toISOString(), originalFilename: filename };
}

/** Replaces the image's description; the audit entry names the fields that changed. */
export async function updateImageMetadata(deps: ServiceDeps, actor: Actor, id: string, input: unknown): Promise<LibraryImage> {
  assertRole(actor, 'contributor');
  const parsed = imageMetadataSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(form)', message: i.message }));
    const first = parsed.error.issues[0]!;
    const message =
      first.code === 'unrecognized_keys'
        ? `Unknown field: ${first.keys.join(', ')}.`
        : first.path.length === 0
          ? 'Send the image description as a form.'
          : first.message;
    throw new ValidationError(message, issues);
  }
  const next = parsed.data;
  return withTransaction(deps.db, async (trx) => {
    const before = await findLibraryImage({ db: trx }, id);
    const changed = (Object.keys(next) as Array<keyof ImageMetadataUpdate>).filter((k) => before[k] !== next[k]);
    if (!changed.length) return before;
    await trx
      .updateTable('images')
      .set({
        caption: next.caption,
        credit: next.credit,
        creator: next.creator,
        copyright_notice: next.copyrightNotice,
        alt_text: next.altText,
      })
      .where('id', '=', before.id)
      .execute();
    // The new words are found, the old ones no longer, from this commit on.
    await indexImage(trx, { ...before, ...next });
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'image.updated',
      subjectType: 'image',
      subjectId: before.id,
      details: { changed },
    });
    // Captions, credits and alt text render wherever the image shows: stories using it as hero
    // or figure (pages, teasers, feed and API items) and authors' pages using it as photo.
    const usage = await findImageUsage(trx, before.id);
    const articleIds = [...new Set(usage.flatMap((u) => (u.kind === 'author-photo' ? [] : [u.articleId])))];
    const authors = usage.flatMap((u) => (u.kind === 'author-photo' ? [authorTag(u.authorId)] : []));
    const stories = await visibleStoryTags(trx, { articleIds }, deps.clock().toISOString());
    publishAfterCommit(deps, trx, changeNaming('image.update', [imageTag(before.id), ...authors], stories));
    return { ...before, ...next };
  });
}

/**
 * Deletes an image and its files, editors and admins only. Refused (409, naming the stories)
 * while any story, draft included, shows it as hero or figure, or an author uses it as photo.
 * The row goes first, the files after commit: a failed delete never leaves a record whose
 * files are gone.
 */
export async function deleteLibraryImage(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertRole(actor, 'editor', 'Only editors and administrators can delete images.');
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const image = await findLibraryImage({ db: trx }, id);
    const usage = await findImageUsage(trx, image.id);
    if (usage.length) {
      const stories = new Set(usage.flatMap((u) => (u.kind === 'author-photo' ? [] : [u.articleId]))).size;
      const what = stories ? `${stories} ${stories === 1 ? 'story' : 'stories'}` : 'an author profile';
      throw new ConflictError(`This image cannot be deleted: it is used by ${what} (${describeUsage(usage)}). Remove it there first.`);
    }
    try {
      await trx.deleteFrom('images').where('id', '=', image.id).execute();
      await unindexImage(trx, image.id);
    } catch (err) {
      // A story or author took the image between the check and the delete.
      if (isForeignKeyViolation(err)) throw new ConflictError('This image was just put to use in a story. Reload the page to see where.');
      throw err;
    }
    await recordAudit(trx, {
      at: deps.clock(),
      actorUserId: actor.userId,
      action: 'image.deleted',
      subjectType: 'image',
      subjectId: image.id,
      details: { filename: image.originalFilename, caption: image.caption.slice(0, 200) },
    });
    afterCommit(() => deps.mediaStore.removeAll(image.storageKey));
  });
}
