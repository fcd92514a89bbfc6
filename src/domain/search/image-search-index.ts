import { sql } from 'kysely';
import { dialectOf, type Db } from '../../db/database.ts';
import { postgresConfigName, words } from './search-language.ts';

/*
 * The newsroom's image index: what the media library searches, kept in the image row's own
 * transaction (upload in image-ingest.ts, description edits and deletes in media-library.ts),
 * so a committed caption is found at once and a rolled-back one never. Images have no
 * language: words are indexed as they are (the 'simple' configuration), accents folded.
 * Only the newsroom reads it; readers never search images.
 */

/** What an image is found by, by weight. */
export interface ImageSearchFields {
  /** Headline, title and keywords embedded in the file (kept from the upload). */
  titles: string;
  caption: string;
  /** Credit line, photographer, copyright notice. */
  credits: string;
  /** Alt text and the uploaded file's name. */
  other: string;
}

/** The image's own columns the index reads. */
export interface IndexedImage {
  id: string;
  caption: string;
  credit: string;
  creator: string;
  copyrightNotice: string;
  altText: string;
  originalFilename: string;
}

/** The embedded headline, title and keywords of a photo as one text. */
export function embeddedImageText(meta: { headline?: string; title?: string; keywords?: readonly string[] }): string {
  return [meta.headline ?? '', meta.title ?? '', ...(meta.keywords ?? [])].filter(Boolean).join('\n');
}

export function imageSearchFields(image: IndexedImage, embedded: string): ImageSearchFields {
  return {
    titles: embedded,
    caption: image.caption,
    credits: [image.credit, image.creator, image.copyrightNotice].join(' '),
    other: [image.altText, image.originalFilename].join(' '),
  };
}

const plain = (text: string) => words(text).join(' ');

/**
 * Writes (or rewrites) an image's index entry inside `trx`. `embedded` is the text read from
 * the file at upload; omitted, the stored one is kept (a description edit).
 */
export async function indexImage(trx: Db, image: IndexedImage, embedded?: string): Promise<void> {
  const dialect = dialectOf(trx);
  const kept =
    embedded ??
    (await trx.selectFrom('image_search_documents').select('embedded').where('image_id', '=', image.id).executeTakeFirst())?.embedded ??
    '';
  const f = imageSearchFields(image, kept);
  if (dialect === 'postgres') {
    const cfg = postgresConfigName('simple');
    const vector = sql`setweight(to_tsvector(${cfg}::regconfig, ${plain(f.titles)}), 'A')
      || setweight(to_tsvector(${cfg}::regconfig, ${plain(f.caption)}), 'B')
      || setweight(to_tsvector(${cfg}::regconfig, ${plain(f.credits)}), 'C')
      || setweight(to_tsvector(${cfg}::regconfig, ${plain(f.other)}), 'D')`;
    await sql`insert into image_search_documents (image_id, embedded, document) values (${image.id}, ${kept}, ${vector})
      on conflict (image_id) do update set embedded = excluded.embedded, document = excluded.document`.execute(trx);
    return;
  }
  const { rows } = await sql<{ doc_id: number }>`insert into image_search_documents (image_id, embedded) values (${image.id}, ${kept})
    on conflict (image_id) do update set embedded = excluded.embedded returning doc_id`.execute(trx);
  const docId = rows[0]!.doc_id;
  await sql`delete from image_search_fts where rowid = ${docId}`.execute(trx);
  await sql`insert into image_search_fts (rowid, titles, caption, credits, other)
    values (${docId}, ${plain(f.titles)}, ${plain(f.caption)}, ${plain(f.credits)}, ${plain(f.other)})`.execute(trx);
}

/** Removes an image from the index (it was deleted). */
export async function unindexImage(trx: Db, imageId: string): Promise<void> {
  if (dialectOf(trx) === 'sqlite') {
    await sql`delete from image_search_fts where rowid = (select doc_id from image_search_documents where image_id = ${imageId})`.execute(
      trx,
    );
  }
  await trx.deleteFrom('image_search_documents').where('image_id', '=', imageId).execute();
}

/**
 * Rebuilds the index entries of images whose `image_search_documents` rows exist (with their
 * embedded text) but whose full-text part does not: a restored archive carries the rows, not
 * the dialect's index.
 */
export async function indexStoredImages(trx: Db, imageIds: readonly string[]): Promise<void> {
  if (!imageIds.length) return;
  const rows = await trx
    .selectFrom('images')
    .select(['id', 'caption', 'credit', 'creator', 'copyright_notice', 'alt_text', 'original_filename'])
    .where('id', 'in', imageIds)
    .execute();
  for (const r of rows) await indexImage(trx, indexedImageOf(r));
}

/** The columns of an `images` row the index reads, as `indexImage` takes them. */
export function indexedImageOf(r: {
  id: string;
  caption: string;
  credit: string;
  creator: string;
  copyright_notice: string;
  alt_text: string;
  original_filename: string;
}): IndexedImage {
  return {
    id: r.id,
    caption: r.caption,
    credit: r.credit,
    creator: r.creator,
    copyrightNotice: r.copyright_notice,
    altText: r.alt_text,
    originalFilename: r.original_filename,
  };
}
