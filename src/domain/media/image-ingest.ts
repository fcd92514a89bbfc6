import type { Metadata } from 'sharp';
import type { Db } from '../../db/database.ts';
import { ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { MediaStore } from './media-store.ts';
import { rowToImage, type Image } from './image.ts';

/** Rendition widths offered in srcset; only those narrower than the original are made. */
export const RENDITION_WIDTHS = [320, 640, 960, 1280, 1600, 2048] as const;

const FORMATS: Record<string, { mime: string; ext: string }> = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  png: { mime: 'image/png', ext: 'png' },
  webp: { mime: 'image/webp', ext: 'webp' },
  heif: { mime: 'image/avif', ext: 'avif' },
};

export interface ImageMetadataInput {
  altText?: string;
  caption?: string;
  credit?: string;
  copyrightNotice?: string;
  creator?: string;
}

export function renditionWidthsFor(width: number): number[] {
  const widths: number[] = RENDITION_WIDTHS.filter((w) => w < width);
  widths.push(Math.min(width, 2048));
  return [...new Set(widths)];
}

/**
 * Stores an uploaded image: the original plus JPEG and WebP renditions, then the record.
 * Anything that fails leaves no files and no row behind.
 */
export async function ingestImage(deps: { db: Db; mediaStore: MediaStore; now: Date }, data: Buffer, meta: ImageMetadataInput = {}): Promise<Image> {
  // Loaded on first use: libvips adds ~20 MB to a process that only serves pages.
  const { default: sharp } = await import('sharp');
  let info: Metadata;
  try {
    info = await sharp(data).metadata();
  } catch {
    throw new ValidationError('This file is not an image we can read (JPEG, PNG, WebP or AVIF).');
  }
  const format = FORMATS[info.format ?? ''];
  if (!format || !info.width || !info.height) throw new ValidationError('Only JPEG, PNG, WebP and AVIF images are accepted.');
  // Rotate by EXIF orientation so width/height match what readers see.
  const oriented = info.orientation && info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };

  const id = newId();
  const key = id;
  const widths = renditionWidthsFor(oriented.width);
  try {
    await deps.mediaStore.put(key, `original.${format.ext}`, data);
    for (const w of widths) {
      const pipeline = sharp(data).rotate().resize({ width: w, withoutEnlargement: true });
      await deps.mediaStore.put(key, `w${w}.jpg`, await pipeline.clone().jpeg({ quality: 78, mozjpeg: true }).toBuffer());
      await deps.mediaStore.put(key, `w${w}.webp`, await pipeline.clone().webp({ quality: 74 }).toBuffer());
    }
    const row = {
      id,
      storage_key: key,
      mime_type: format.mime,
      width: oriented.width,
      height: oriented.height,
      rendition_widths: JSON.stringify(widths),
      alt_text: meta.altText ?? '',
      caption: meta.caption ?? '',
      credit: meta.credit ?? '',
      copyright_notice: meta.copyrightNotice ?? '',
      creator: meta.creator ?? '',
      created_at: deps.now.toISOString(),
    };
    await deps.db.insertInto('images').values(row).execute();
    return rowToImage(row);
  } catch (err) {
    await deps.mediaStore.removeAll(key).catch(() => {});
    throw err;
  }
}
