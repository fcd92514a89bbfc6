import type { Db, DialectName } from '../../db/database.ts';
import { vocabularyCandidates, type VocabularyEntry } from './search-engine.ts';
import { fold, WORD } from './search-language.ts';
import type { SearchQuery } from './search-query.ts';
import { isVocabularyWord, knownFolded } from './search-vocabulary.ts';

/*
 * "Did you mean": the query as typed with each word no visible story contains replaced by the
 * closest word some visible story does (search_vocabulary, which holds nothing else, so a
 * suggestion never reveals a draft's or an embargoed story's words). Closest is the
 * Damerau-Levenshtein distance between accent-folded forms, at most 2 for words of five
 * letters or more and 1 for shorter ones; ties go to the word more stories contain. Operators,
 * quotes and excluded words are left as typed. The work is bounded: a few words, each
 * measured against a bounded candidate list, and a query unlike a reader's gets none.
 */

/** Queries longer than this, or with more words to check, get no suggestion work at all. */
export const SUGGEST_MAX_CHARS = 120;
export const SUGGEST_MAX_WORDS = 6;
/** Longer words are kept as typed (no reader's misspelling is this long). */
const SUGGEST_MAX_WORD_CHARS = 30;

/** The words worth checking: required (not excluded) words a suggestion could replace, or none for a hostile query. */
export function wordsToCheck(query: SearchQuery): string[] {
  if ([...query.text].length > SUGGEST_MAX_CHARS) return [];
  const all = [...new Set(query.required.flat().flatMap((t) => t.words))];
  const checkable = all.filter((w) => isVocabularyWord(w) && [...w].length <= SUGGEST_MAX_WORD_CHARS);
  return checkable.length > SUGGEST_MAX_WORDS ? [] : checkable;
}

/** The most edits a word of `length` letters may be away from its suggestion. */
export function maxDistanceFor(length: number): number {
  return length >= 5 ? 2 : 1;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: adjacent transpositions count one)
 * over code points, or `limit + 1` as soon as it must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return Math.min(prev[t.length]!, limit + 1);
}

/** The closest candidate to `folded`: least distance, then most stories, then alphabetical. */
export function closestWord(folded: string, candidates: readonly VocabularyEntry[]): VocabularyEntry | null {
  const limit = maxDistanceFor([...folded].length);
  let best: { entry: VocabularyEntry; distance: number } | null = null;
  for (const c of candidates) {
    const distance = editDistance(folded, c.folded, limit);
    if (distance > limit || distance === 0) continue;
    if (
      !best ||
      distance < best.distance ||
      (distance === best.distance && (c.docCount > best.entry.docCount || (c.docCount === best.entry.docCount && c.term < best.entry.term)))
    ) {
      best = { entry: c, distance };
    }
  }
  return best?.entry ?? null;
}

/**
 * The query with its unknown words corrected, as text to search for, or null when every word
 * is known, none has a close enough word, or the query is not worth the work.
 */
export async function suggestQuery(db: Db, dialect: DialectName, query: SearchQuery): Promise<string | null> {
  const toCheck = wordsToCheck(query);
  if (!toCheck.length) return null;
  const known = await knownFolded(
    db,
    toCheck.map((w) => fold(w)),
  );
  const unknown = toCheck.filter((w) => !known.has(fold(w)));
  if (!unknown.length) return null;
  const replacements = new Map<string, string>();
  await Promise.all(
    unknown.map(async (w) => {
      const f = fold(w);
      const best = closestWord(f, await vocabularyCandidates(db, dialect, f, maxDistanceFor([...f].length)));
      if (best) replacements.set(w, best.term);
    }),
  );
  if (!replacements.size) return null;
  return replaceWords(query, replacements);
}

/**
 * Rewrites the typed text, replacing each required word found in `replacements` and keeping
 * everything else (quotes, OR, `-excluded` terms, punctuation) as it was.
 */
export function replaceWords(query: SearchQuery, replacements: ReadonlyMap<string, string>): string {
  // Excluded terms are rewritten by nobody: skip tokens that start with '-' or sit in a quoted '-"…"'.
  let out = '';
  let at = 0;
  let inQuote = false;
  let quoteExcluded = false;
  const text = query.text;
  for (let i = 0; i < text.length;) {
    const ch = text[i]!;
    if (ch === '"') {
      inQuote = !inQuote;
      quoteExcluded = inQuote && text[i - 1] === '-' && (i < 2 || /\s/.test(text[i - 2]!));
      i++;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    // A token: up to the next space or quote.
    let end = i;
    while (end < text.length && !/\s/.test(text[end]!) && text[end] !== '"') end++;
    const token = text.slice(i, end);
    const excluded = inQuote ? quoteExcluded : token.startsWith('-') && token.length > 1;
    if (!excluded) {
      const rewritten = token.replace(WORD, (w) => replacements.get(w.normalize('NFC').toLowerCase()) ?? w);
      if (rewritten !== token) {
        out += text.slice(at, i) + rewritten;
        at = end;
      }
    }
    i = end;
  }
  return out + text.slice(at);
}
