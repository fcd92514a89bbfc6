import snowball from 'snowball-stemmers';

/*
 * Languages the search index stems. A story is indexed with its own language's rules (its
 * `language` tag's primary subtag); any other language is indexed word for word ('simple').
 * PostgreSQL uses its built-in Snowball dictionaries through the `masthead_<name>` text search
 * configurations (migration 20261203T1600, accents folded by `unaccent`); SQLite gets the same
 * Snowball algorithms from `snowball-stemmers`, applied here before FTS5 sees the text.
 */

export const STEMMED_LANGUAGES = {
  en: 'english',
  fr: 'french',
  de: 'german',
  es: 'spanish',
  it: 'italian',
  pt: 'portuguese',
  ru: 'russian',
  tr: 'turkish',
  ar: 'arabic',
} as const;

export type SearchConfig = (typeof STEMMED_LANGUAGES)[keyof typeof STEMMED_LANGUAGES] | 'simple';

export const SEARCH_CONFIGS: readonly SearchConfig[] = [...Object.values(STEMMED_LANGUAGES), 'simple'];

/** The configuration a story in `language` (a BCP 47 tag) is indexed with. */
export function searchConfigFor(language: string): SearchConfig {
  const primary = language.toLowerCase().split('-')[0] ?? '';
  return (STEMMED_LANGUAGES as Record<string, SearchConfig>)[primary] ?? 'simple';
}

/** PostgreSQL's name for a configuration (created by the migration). */
export function postgresConfigName(config: SearchConfig): string {
  return `masthead_${config}`;
}

const stemmers = new Map<SearchConfig, (word: string) => string>();
/** Stems remembered per language at most (cleared when full). */
const STEMS_REMEMBERED = 50_000;

/** The stemmer of a configuration; 'simple' keeps the word as it is. */
export function stemmerFor(config: SearchConfig): (word: string) => string {
  let stem = stemmers.get(config);
  if (!stem) {
    if (config === 'simple') stem = (w) => w;
    else {
      const s = snowball.newStemmer(config);
      // Remembered: running text and queries repeat a few thousand words per language, and a
      // Snowball stem costs several µs (a query's words are stemmed in every language).
      const memo = new Map<string, string>();
      stem = (w) => {
        let out = memo.get(w);
        if (out === undefined) {
          out = s.stem(w);
          if (memo.size >= STEMS_REMEMBERED) memo.clear();
          memo.set(w, out);
        }
        return out;
      };
    }
    stemmers.set(config, stem);
  }
  return stem;
}

/** Words as the index sees them: runs of letters, marks and digits, lower-cased (NFC). */
export function words(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(WORD) ?? [];
}

/**
 * Runs of letters, marks and digits. The ASCII alternative matches nothing the Unicode classes
 * do not (they include it); it is there for speed: V8 matches it about twice as fast on mostly
 * ASCII text, and snippets scan every word of a results page's bodies with it.
 */
export const WORD = /(?:[A-Za-z0-9]|[\p{L}\p{M}\p{N}])+/gu;

/** Accents and other combining marks removed, lower-cased: how snippets compare words to query terms. */
export function fold(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}
