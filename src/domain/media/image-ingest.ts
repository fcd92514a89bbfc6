import type { Metadata } from 'sharp';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { MediaStore } from './media-store.ts';
import { rowToImage, type Image } from './image.ts';
import { CROP_NAMES, renderCrops } from './image-crops.ts';
import { readPhotoMetadata } from './photo-metadata.ts';
import { embeddedImageText, indexImage } from '../search/image-search-index.ts';

/** Rendition widths offered in srcset; only those narrower than the original are made. */
export const RENDITION_WIDTHS = [320, 640, 960, 1280, 1600, 2048] as const;

const FORMATS: Record<string, { mime: string; ext: string }> = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  png: { mime: 'image/png', ext: 'png' },
  webp: { mime: 'image/webp', ext: 'webp' },
  heif: { mime: 'image/avif', ext: 'avif' }, // AVIF only: HEIC (HEVC) cannot be decoded, see below
};

/** Rendition formats, smallest first; every width is made in each. */
export const RENDITION_FORMATS = ['avif', 'webp', 'jpg'] as const;

/** Upload size limit when the caller gives none (MASTHEAD_MAX_UPLOAD_MB). */
export const DEFAULT_MAX_UPLOAD_MB = 25;

export interface ImageMetadataInput {
  altText?: string;
  caption?: string;
  credit?: string;
  copyrightNotice?: string;
  creator?: string;
}

export interface IngestOptions {
  /** Largest accepted file in megabytes (MiB); default {@link DEFAULT_MAX_UPLOAD_MB}. */
  maxUploadMb?: number;
  /** The uploaded file's name (kept for search in the media library). */
  originalFilename?: string;
  /**
   * Runs in the same transaction as the insert (e.g. the audit entry), so the record and
   * what must accompany it are written together or not at all.
   */
  afterInsert?: (trx: Transaction<Database>, image: Image) => Promise<void>;
}

/** The refusal for a file over the limit, worded the same wherever it is detected. */
export function tooLargeMessage(maxMb: number, bytes?: number): string {
  return bytes === undefined
    ? `This file is larger than ${maxMb} MB; images can be at most ${maxMb} MB.`
    : `This file is ${(bytes / 1024 / 1024).toFixed(1)} MB; images can be at most ${maxMb} MB.`;
}

export function renditionWidthsFor(width: number): number[] {
  const widths: number[] = RENDITION_WIDTHS.filter((w) => w < width);
  widths.push(Math.min(width, 2048));
  return [...new Set(widths)];
}

const NOT_AN_IMAGE = 'This file is not an image we can read. Upload a JPEG, PNG, WebP or AVIF photo.';

/**
 * Stores an uploaded image: the original plus AVIF, WebP and JPEG renditions, then the record.
 * Caption, credit, creator, copyright notice and alt text the caller gives win; the ones it
 * leaves out (or blank) are filled from the photo's own IPTC/XMP/EXIF metadata.
 * Oversized, unreadable, damaged or unsupported files are refused with a ValidationError
 * before anything is written; anything that fails later leaves no files and no row behind.
 */
export async function ingestImage(
  deps: { db: Db; mediaStore: MediaStore; now: Date },
  data: Buffer,
  meta: ImageMetadataInput = {},
  options: IngestOptions = {},
): Promise<Image> {
  const maxMb = options.maxUploadMb ?? DEFAULT_MAX_UPLOAD_MB;
  if (data.length > maxMb * 1024 * 1024) {
    throw new PayloadTooLargeError(tooLargeMessage(maxMb, data.length));
  }
  if (data.length === 0) throw new ValidationError('This file is empty. Upload a JPEG, PNG, WebP or AVIF photo.');

  // Loaded on first use: libvips adds ~20 MB to a process that only serves pages.
  const { default: sharp } = await import('sharp');
  let info: Metadata;
  try {
    info = await sharp(data).metadata();
  } catch {
    throw new UnsupportedMediaTypeError(NOT_AN_IMAGE);
  }
  const format = FORMATS[info.format ?? ''];
  // sharp reports AVIF and HEIC both as "heif"; only AV1-coded HEIF (AVIF) can be decoded.
  const supported = format && (info.format !== 'heif' || info.compression === 'av1');
  if (!supported || !info.width || !info.height) {
    throw new UnsupportedMediaTypeError(
      `This file is ${describeFormat(info)}, which is not accepted. Upload a JPEG, PNG, WebP or AVIF photo.`,
    );
  }
  // Rotate by EXIF orientation so width/height match what readers see.
  const oriented =
    info.orientation && info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
  const widths = renditionWidthsFor(oriented.width);

  // Everything is rendered before anything is written: decoding the whole file is what
  // finds truncated or corrupted data (sharp fails on libjpeg/libpng warnings by default).
  const renditions: Array<{ file: string; data: Buffer }> = [];
  try {
    for (const w of widths) {
      const pipeline = sharp(data).rotate().resize({ width: w, withoutEnlargement: true });
      const [avif, webp, jpg] = await Promise.all([
        pipeline.clone().avif({ quality: 50, effort: 2 }).toBuffer(),
        pipeline.clone().webp({ quality: 74 }).toBuffer(),
        pipeline.clone().jpeg({ quality: 78, mozjpeg: true }).toBuffer(),
      ]);
      renditions.push({ file: `w${w}.avif`, data: avif }, { file: `w${w}.webp`, data: webp }, { file: `w${w}.jpg`, data: jpg });
    }
    // The 1:1, 4:3 and 16:9 crops structured data offers search engines (image-crops.ts).
    for (const c of await renderCrops(data, oriented)) renditions.push({ file: c.file, data: c.data });
  } catch (err) {
    throw new ValidationError(
      'This image is damaged or incomplete (it may have been cut off while uploading or saving). Export it again and retry.',
      [{ path: 'file', message: (err as Error).message }],
    );
  }

  const embedded = await readPhotoMetadata(data);
  const pick = (given: string | undefined, found: string) => (given !== undefined && given.trim() !== '' ? given : found);

  const id = newId();
  const key = id;
  try {
    await deps.mediaStore.put(key, `original.${format.ext}`, data);
    for (const r of renditions) await deps.mediaStore.put(key, r.file, r.data);
    const row = {
      id,
      storage_key: key,
      mime_type: format.mime,
      width: oriented.width,
      height: oriented.height,
      rendition_widths: JSON.stringify(widths),
      alt_text: pick(meta.altText, embedded.altText),
      caption: pick(meta.caption, embedded.caption),
      credit: pick(meta.credit, embedded.credit),
      copyright_notice: pick(meta.copyrightNotice, embedded.copyrightNotice),
      creator: pick(meta.creator, embedded.creator),
      created_at: deps.now.toISOString(),
      formats: JSON.stringify(RENDITION_FORMATS),
      original_filename: (options.originalFilename ?? '').slice(0, 255),
      crops: JSON.stringify(CROP_NAMES),
    };
    const image = rowToImage(row);
    const write = async (db: Db) => {
      await db.insertInto('images').values(row).execute();
      // The newsroom's image index, with the headline, title and keywords only the file has.
      await indexImage(db, { ...image, originalFilename: row.original_filename }, embeddedImageText(embedded));
      // Only reached inside a transaction: see the two calls below.
      await options.afterInsert?.(db as Transaction<Database>, image);
    };
    if (deps.db.isTransaction) await write(deps.db);
    else await withTransaction(deps.db as Exclude<Db, Transaction<Database>>, write);
    return image;
  } catch (err) {
    await deps.mediaStore.removeAll(key).catch(() => {});
    throw err;
  }
}

function describeFormat(info: Metadata): string {
  if (info.format === 'heif') return info.compression === 'hevc' ? 'a HEIC photo' : 'a HEIF file';
  if (info.format === 'svg') return 'an SVG drawing';
  if (info.format === 'pdf') return 'a PDF document';
  return info.format ? `a ${info.format.toUpperCase()} file` : 'in a format we do not know';
}
