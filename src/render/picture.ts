import { html, type SafeHtml } from '../http/html.ts';
import { mediaSrc } from '../domain/media/media-url.ts';

export interface PictureSource {
  storageKey: string;
  width: number;
  height: number;
  renditionWidths: number[];
  altText: string;
  /** Formats on disk; absent means all of AVIF, WebP and JPEG. */
  formats?: readonly string[];
}

function srcset(img: PictureSource, ext: string): string {
  return img.renditionWidths.map((w) => `${mediaSrc(img.storageKey, `w${w}.${ext}`)} ${w}w`).join(', ');
}

/**
 * A responsive picture: AVIF first, then WebP, then the JPEG `<img>` for browsers that take
 * neither; intrinsic width/height so nothing shifts while it loads. `eager` is for the hero
 * image only. Browsers take the first `<source>` whose type they support.
 */
export function picture(img: PictureSource, opts: { sizes: string; eager?: boolean; className?: string; alt?: string }): SafeHtml {
  const widths = img.renditionWidths;
  const fallback = widths.find((w) => w >= 960) ?? widths[widths.length - 1] ?? img.width;
  const alt = opts.alt ?? img.altText;
  // Only formats that were rendered: a <source> pointing at missing files shows a broken image.
  const has = (f: string) => !img.formats || img.formats.includes(f);
  return html`<picture>${has('avif') ? html`<source type="image/avif" srcset="${srcset(img, 'avif')}" sizes="${opts.sizes}">` : ''}${has('webp') ? html`<source type="image/webp" srcset="${srcset(img, 'webp')}" sizes="${opts.sizes}">` : ''}<img src="${mediaSrc(img.storageKey, `w${fallback}.jpg`)}" srcset="${srcset(img, 'jpg')}" sizes="${opts.sizes}" width="${img.width}" height="${img.height}" alt="${alt}"${opts.className ? html` class="${opts.className}"` : ''}${opts.eager ? html` fetchpriority="high"` : html` loading="lazy" decoding="async"`}></picture>`;
}
