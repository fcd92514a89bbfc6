import type { Image } from '../domain/media/image.ts';
import type { MediaStore } from '../domain/media/media-store.ts';

/**
 * One image as the story editor's picker sees it (`GET /newsroom/media.json` and the JSON
 * upload answer). This shape is a contract with `public/` scripts: add fields, never rename.
 */
export interface PickerItem {
  id: string;
  /** A JPEG rendition about 640 px wide (the smallest at least 640, else the largest). */
  url: string;
  width: number;
  height: number;
  caption: string;
  credit: string;
  alt: string;
}

export function pickerItem(store: MediaStore, image: Image): PickerItem {
  const widths = image.renditionWidths;
  const w = widths.find((x) => x >= 640) ?? widths[widths.length - 1] ?? image.width;
  return {
    id: image.id,
    url: store.url(image.storageKey, `w${w}.jpg`),
    width: image.width,
    height: image.height,
    caption: image.caption,
    credit: image.credit,
    alt: image.altText,
  };
}
