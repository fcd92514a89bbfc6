import type { Image } from '../../domain/media/image.ts';
import { absoluteMediaUrl } from '../../domain/media/media-url.ts';

// Characters XML 1.0 forbids even when escaped (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF).
const INVALID_XML_RE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// One character class, no look-around: a quick scan that rules out INVALID_XML_RE's slower one
// on most text (a feed passes every story's whole body through it).
const MAYBE_INVALID_XML_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const dropInvalidXml = (text: string) => (MAYBE_INVALID_XML_RE.test(text) ? text.replace(INVALID_XML_RE, '') : text);
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML element content or a double-quoted attribute, dropping characters XML cannot carry. */
export function xmlEscape(text: string): string {
  return dropInvalidXml(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/**
 * Wraps markup in a CDATA section for `content:encoded`. `]]>` cannot appear inside one, so
 * it is split across two sections; characters XML cannot carry at all are dropped.
 */
export function cdata(text: string): string {
  return `<![CDATA[${dropInvalidXml(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** An absolute URL on the site for a root-relative path. */
export function absoluteUrl(siteUrl: string, path: string): string {
  return `${siteUrl.replace(/\/+$/, '')}${path}`;
}

/** RFC 822 date-time as RSS wants it ("Wed, 25 Nov 2026 09:00:00 GMT"). */
export function rfc822(iso: string): string {
  return new Date(iso).toUTCString();
}

/** RFC 3339 / W3C datetime in UTC without milliseconds ("2026-11-25T09:00:00Z"). */
export function w3cDateTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface ImageRendition {
  url: string;
  width: number;
  height: number;
  type: string;
}

/**
 * The image feed readers and crawlers get: the largest JPEG rendition (renditions are what
 * the media route serves; originals are never published).
 */
export function largestRendition(
  siteUrl: string,
  image: Pick<Image, 'storageKey' | 'renditionWidths' | 'width' | 'height'>,
): ImageRendition | null {
  const widths = image.renditionWidths;
  if (!widths.length) return null;
  const w = Math.max(...widths);
  return {
    url: absoluteMediaUrl(siteUrl, image.storageKey, `w${w}.jpg`),
    width: w,
    height: image.width > 0 ? Math.round((image.height * w) / image.width) : image.height,
    type: 'image/jpeg',
  };
}

/**
 * Rewrites root-relative `src`, `href` and `srcset` URLs in markup produced by our own views
 * into absolute ones, since feed readers show the HTML away from the site.
 */
export function absolutizeHtml(siteUrl: string, markup: string): string {
  const base = siteUrl.replace(/\/+$/, '');
  return markup
    .replace(/\b(src|href)="\/(?!\/)/g, `$1="${base}/`)
    .replace(/\bsrcset="([^"]*)"/g, (_m, list: string) => `srcset="${list.replace(/(^|,\s*)\/(?!\/)/g, `$1${base}/`)}"`);
}
