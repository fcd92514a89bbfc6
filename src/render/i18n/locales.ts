import { en, type Catalog } from './messages/en.ts';
import { fr } from './messages/fr.ts';
import { de } from './messages/de.ts';
import { es } from './messages/es.ts';
import { ar } from './messages/ar.ts';
import { fa } from './messages/fa.ts';

/** The interface languages shipped, with their writing direction. */
export const LOCALES = {
  en: { catalog: en as Catalog, dir: 'ltr' },
  fr: { catalog: fr, dir: 'ltr' },
  de: { catalog: de, dir: 'ltr' },
  es: { catalog: es, dir: 'ltr' },
  ar: { catalog: ar, dir: 'rtl' },
  fa: { catalog: fa, dir: 'rtl' },
} as const satisfies Record<string, { catalog: Catalog; dir: 'ltr' | 'rtl' }>;

export type Locale = keyof typeof LOCALES;
export const DEFAULT_LOCALE: Locale = 'en';

export function isLocale(tag: string): tag is Locale {
  return Object.hasOwn(LOCALES, tag);
}

/**
 * The shipped locale for a BCP 47 tag: `fr-CA` → `fr`, `ar-EG` → `ar`; an unshipped language
 * (`it`) gets `undefined`, so the caller decides the fallback.
 */
export function matchLocale(tag: string | undefined): Locale | undefined {
  if (!tag) return undefined;
  const base = tag.toLowerCase().split(/[-_]/)[0]!;
  return isLocale(base) ? base : undefined;
}

export { languageDirection } from './text-direction.ts';
