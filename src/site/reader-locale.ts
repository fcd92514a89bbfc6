import { DEFAULT_LOCALE, matchLocale, type Locale } from '../render/i18n/locales.ts';

/** What a public page knows when it picks its interface language. */
export interface ReaderPageContext {
  /** The story the page shows (an article, its discussion, its live stream). */
  story?: { language: string };
  /** The language edition the page belongs to (site/reader-edition.ts). */
  edition?: { language: string };
}

/**
 * The one place the reader interface's language is chosen: a story's page speaks the story's
 * language when a catalog ships for it, every other page its edition's (else the site's
 * default); views only ever see the result.
 */
export function readerLocale(page: ReaderPageContext): Locale {
  return matchLocale(page.story?.language) ?? matchLocale(page.edition?.language) ?? DEFAULT_LOCALE;
}
