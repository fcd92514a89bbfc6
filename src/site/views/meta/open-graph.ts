import { html, type SafeHtml } from '../../../http/html.ts';
import type { ShareImage } from './share-image.ts';

/** What link previews show: Open Graph (https://ogp.me) plus the X/Twitter card type. */
export interface OpenGraph {
  type: 'article' | 'website';
  title: string;
  description?: string;
  /** Absolute URL; the same as the canonical link. */
  url: string;
  siteName: string;
  /** BCP 47 language of the page; written as Open Graph's `ll_TT`. */
  language?: string;
  image?: ShareImage;
  /** `summary_large_image` for stories with a photo, `summary` for everything else. */
  card: 'summary' | 'summary_large_image';
  article?: {
    publishedTime: string;
    modifiedTime: string;
    section: string;
    tags: readonly string[];
    /** Absolute URLs of the author pages, in byline order. */
    authorUrls: readonly string[];
  };
}

const localeCache = new Map<string, string>();

/**
 * `en` → `en_US`, `pt-BR` → `pt_BR`: Open Graph wants language_TERRITORY, and a bare
 * language takes CLDR's likeliest territory for it.
 */
export function ogLocale(language: string): string {
  let out = localeCache.get(language);
  if (out === undefined) {
    try {
      const loc = new Intl.Locale(language);
      const region = loc.region ?? loc.maximize().region;
      out = region ? `${loc.language}_${region}` : loc.language;
    } catch {
      out = language.replace('-', '_');
    }
    if (localeCache.size > 200) localeCache.clear();
    localeCache.set(language, out);
  }
  return out;
}

function prop(name: string, content: string | number): SafeHtml {
  return html`<meta property="${name}" content="${content}">`;
}

/** The `<meta>` tags for Open Graph and the X/Twitter card. */
export function openGraphTags(og: OpenGraph): SafeHtml {
  const a = og.article;
  const img = og.image;
  return html`${prop('og:type', og.type)}
${prop('og:title', og.title)}
${og.description ? html`${prop('og:description', og.description)}\n` : ''}${prop('og:url', og.url)}
${prop('og:site_name', og.siteName)}
${og.language ? html`${prop('og:locale', ogLocale(og.language))}\n` : ''}${
    img
      ? html`${prop('og:image', img.url)}
${prop('og:image:width', img.width)}
${prop('og:image:height', img.height)}
${img.alt ? html`${prop('og:image:alt', img.alt)}\n` : ''}`
      : ''
  }${
    a
      ? html`${prop('article:published_time', a.publishedTime)}
${prop('article:modified_time', a.modifiedTime)}
${prop('article:section', a.section)}
${a.tags.map((t) => html`${prop('article:tag', t)}\n`)}${a.authorUrls.map((u) => html`${prop('article:author', u)}\n`)}`
      : ''
  }<meta name="twitter:card" content="${og.card}">
${img?.alt ? html`<meta name="twitter:image:alt" content="${img.alt}">` : ''}`;
}
