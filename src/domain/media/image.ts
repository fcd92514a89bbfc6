import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { preparedByIds } from '../../db/prepared.ts';
import type { ImageTable } from '../../db/schema.ts';
import { parseCrops, type CropName } from './image-crops.ts';

export interface Image {
  id: string;
  storageKey: string;
  mimeType: string;
  width: number;
  height: number;
  renditionWidths: number[];
  altText: string;
  caption: string;
  credit: string;
  copyrightNotice: string;
  creator: string;
  /**
   * Rendition formats on disk. Absent where a query does not select it (hot public queries):
   * then every format in {@link RENDITION_FORMAT_LIST} is assumed, as ingest has always made all three.
   */
  formats?: RenditionFormat[];
  /** Fixed-ratio crops on disk (image-crops.ts); absent where a query does not select them. */
  crops?: CropName[];
}

export type RenditionFormat = 'avif' | 'webp' | 'jpg';

/** Every rendition format, smallest first (the order `<picture>` offers them). */
export const RENDITION_FORMAT_LIST: readonly RenditionFormat[] = ['avif', 'webp', 'jpg'];

/** The stored `formats` JSON as a list of known formats (unknown entries dropped). */
export function parseFormats(json: string | null | undefined): RenditionFormat[] | undefined {
  if (!json) return undefined;
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? RENDITION_FORMAT_LIST.filter((f) => list.includes(f)) : undefined;
  } catch {
    return undefined;
  }
}

/** Maps an images row; `formats` may be missing when a query built the row from joined columns. */
export function rowToImage(
  row: Omit<Selectable<ImageTable>, 'formats' | 'original_filename' | 'crops'> & { formats?: string | null; crops?: string | null },
): Image {
  const formats = parseFormats(row.formats);
  return {
    id: row.id,
    storageKey: row.storage_key,
    mimeType: row.mime_type,
    width: row.width,
    height: row.height,
    renditionWidths: JSON.parse(row.rendition_widths) as number[],
    altText: row.alt_text,
    caption: row.caption,
    credit: row.credit,
    copyrightNotice: row.copyright_notice,
    creator: row.creator,
    ...(formats ? { formats } : {}),
    ...(row.crops !== undefined ? { crops: parseCrops(row.crops) } : {}),
  };
}

// Feeds and article pages read their figures' images on every uncached request: precompiled.
const selectImagesByIds = preparedByIds((db, ids) => db.selectFrom('images').selectAll().where('id', 'in', ids));

export async function findImagesByIds(db: Db, ids: readonly string[]): Promise<Map<string, Image>> {
  const out = new Map<string, Image>();
  if (!ids.length) return out;
  const rows = await selectImagesByIds(db, ids);
  for (const row of rows) out.set(row.id, rowToImage(row));
  return out;
}

/**
 * The credit line as news sites print it under a photo: "Copyright <credit><year>", the
 * year taken from the copyright notice ("Copyright Mikhail Metzel/AP2010").
 */
export function creditLine(image: Pick<Image, 'credit' | 'creator' | 'copyrightNotice'>): string {
  const who = image.credit || image.creator;
  if (!who) return image.copyrightNotice;
  const year = /\b(1[89]\d\d|2\d{3})\b/.exec(image.copyrightNotice)?.[1] ?? '';
  return `Copyright ${who}${year && !who.includes(year) ? year : ''}`;
}
