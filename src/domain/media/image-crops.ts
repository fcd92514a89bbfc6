import { imageTag } from '../changes/cache-tags.ts';
import { visibleStoryTags } from '../changes/cache-tags-query.ts';
import { changeNaming, publishNow } from '../changes/content-change-publish.ts';
import type { ServiceDeps } from '../deps.ts';

/*
 * Fixed-ratio crops of an image for search engines: Google asks structured data for 1:1, 4:3
 * and 16:9 versions of an article's image. They are JPEG renditions beside the others
 * (`c1x1.jpg`, `c4x3.jpg`, `c16x9.jpg`), cut around the most salient part of the photo.
 * Which crops exist is recorded on the image (`images.crops`), so a page never points at a
 * file that was not made; images stored before crops existed get them from the back-fill.
 */

export const CROP_NAMES = ['1x1', '4x3', '16x9'] as const;
export type CropName = (typeof CROP_NAMES)[number];

const RATIOS: Record<CropName, [number, number]> = { '1x1': [1, 1], '4x3': [4, 3], '16x9': [16, 9] };

/** Wide enough for Google Discover and link previews; larger only costs bytes. */
export const CROP_MAX_WIDTH = 1200;

export function cropFile(name: CropName): string {
  return `c${name}.jpg`;
}

/** The largest crop of that ratio the image holds, scaled down to at most {@link CROP_MAX_WIDTH} across. */
export function cropSize(img: { width: number; height: number }, name: CropName): { width: number; height: number } {
  const [rw, rh] = RATIOS[name];
  let width = img.width;
  let height = Math.round((img.width * rh) / rw);
  if (height > img.height) {
    height = img.height;
    width = Math.round((img.height * rw) / rh);
  }
  if (width > CROP_MAX_WIDTH) {
    height = Math.round((height * CROP_MAX_WIDTH) / width);
    width = CROP_MAX_WIDTH;
  }
  return { width, height };
}

/** The stored `crops` JSON as known crop names (unknown entries dropped, nothing recorded → none). */
export function parseCrops(json: string | null | undefined): CropName[] {
  if (!json) return [];
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? CROP_NAMES.filter((c) => list.includes(c)) : [];
  } catch {
    return [];
  }
}

/** Renders every crop of an image file (EXIF orientation applied), without writing anything. */
export async function renderCrops(
  data: Buffer,
  oriented: { width: number; height: number },
): Promise<Array<{ name: CropName; file: string; data: Buffer }>> {
  const { default: sharp } = await import('sharp');
  return Promise.all(
    CROP_NAMES.map(async (name) => {
      const size = cropSize(oriented, name);
      const out = await sharp(data)
        .rotate()
        .resize({ ...size, fit: 'cover', position: sharp.strategy.attention })
        .jpeg({ quality: 78, mozjpeg: true })
        .toBuffer();
      return { name, file: cropFile(name), data: out };
    }),
  );
}

const ORIGINAL_EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'avif' };

/**
 * Makes the crops of images stored before crops existed, a few at a time, from their
 * originals. Files are written before the row says they exist. Returns how many images it
 * looked at and how many got crops; an image whose original is missing or unreadable is marked as having none (`[]`),
 * so it is not tried again on every pass.
 */
export async function backfillImageCrops(
  deps: Pick<ServiceDeps, 'db' | 'mediaStore' | 'clock' | 'changes' | 'logger'>,
  limit = 20,
): Promise<{ looked: number; made: number }> {
  const rows = await deps.db
    .selectFrom('images')
    .select(['id', 'storage_key', 'mime_type', 'width', 'height'])
    .where('crops', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  let made = 0;
  for (const r of rows) {
    const original = await deps.mediaStore.read(r.storage_key, `original.${ORIGINAL_EXT[r.mime_type] ?? 'jpg'}`);
    let names: CropName[] = [];
    if (original) {
      // Only a photo that cannot be decoded is given up on; a failing store stops the pass.
      const crops = await renderCrops(original, { width: r.width, height: r.height }).catch(() => []);
      for (const c of crops) await deps.mediaStore.put(r.storage_key, c.file, c.data);
      names = crops.map((c) => c.name);
      if (names.length) made++;
    }
    await deps.db
      .updateTable('images')
      .set({ crops: JSON.stringify(names) })
      .where('id', '=', r.id)
      .execute();
    if (!names.length) continue;
    // Pages of stories leading with this image now offer the crops in their structured data.
    const heroOf = await deps.db.selectFrom('articles').select('id').where('hero_image_id', '=', r.id).execute();
    const stories = await visibleStoryTags(deps.db, { articleIds: heroOf.map((a) => a.id) }, deps.clock().toISOString());
    await publishNow(deps, changeNaming('image.crops', [imageTag(r.id)], stories));
  }
  return { looked: rows.length, made };
}

/** The crops an image offers, with their sizes. */
export function imageCrops(img: {
  width: number;
  height: number;
  crops?: readonly CropName[];
}): Array<{ name: CropName; width: number; height: number }> {
  return (img.crops ?? []).map((name) => ({ name, ...cropSize(img, name) }));
}
