import { cropFile, imageCrops } from '../../../domain/media/image-crops.ts';
import type { Image } from '../../../domain/media/image.ts';
import { absoluteMediaUrl } from '../../../domain/media/media-url.ts';

/** One rendition of an image, as social cards and structured data reference it. */
export interface ShareImage {
  /** Absolute URL. */
  url: string;
  width: number;
  height: number;
  alt: string;
}

/** Social networks and Google Discover want at least 1200px across; larger only costs bytes. */
const SHARE_MIN_WIDTH = 1200;

/**
 * The JPEG rendition for link previews and structured data: the narrowest one at least
 * 1200px wide, else the widest there is. JPEG because every crawler reads it.
 */
export function shareImage(
  origin: string,
  img: Pick<Image, 'storageKey' | 'width' | 'height' | 'renditionWidths' | 'altText'>,
): ShareImage {
  const widths = [...img.renditionWidths].sort((a, b) => a - b);
  const width = widths.find((w) => w >= SHARE_MIN_WIDTH) ?? widths[widths.length - 1] ?? img.width;
  // Renditions keep the aspect ratio (resized by width only), so the height follows.
  const height = width === img.width ? img.height : Math.round((img.height * width) / img.width);
  return { url: absoluteMediaUrl(origin, img.storageKey, `w${width}.jpg`), width, height, alt: img.altText };
}

/**
 * The image's 1:1, 4:3 and 16:9 crops, the versions Google asks structured data for; none
 * when the image has no crops on disk yet (the caller then offers the share image).
 */
export function cropImages(origin: string, img: Pick<Image, 'storageKey' | 'width' | 'height' | 'crops' | 'altText'>): ShareImage[] {
  return imageCrops(img).map((c) => ({
    url: absoluteMediaUrl(origin, img.storageKey, cropFile(c.name)),
    width: c.width,
    height: c.height,
    alt: img.altText,
  }));
}
