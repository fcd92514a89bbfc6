import { fold, searchConfigFor, stemmerFor, type SearchConfig } from './search-language.ts';

/*
 * The snippet under a result: the stretch of the story's text with the most query words,
 * returned as plain-text segments marked or not, so every view escapes the text and adds only
 * its own <mark>. It is computed the same way on both databases from the stored text (a word
 * is a hit when its folded stem, in the story's language, is a query word's), so the site and
 * the API show the same snippet whichever database answers.
 */

export interface SnippetPart {
  text: string;
  mark: boolean;
}

const WINDOW_WORDS = 30;
/** Long bodies are scanned this far; a phrase deep in a very long story still shows its opening. */
const SCAN_CHARS = 60_000;

/**
 * A word's folded stem, remembered per language: a results page scans thousands of words of
 * ten bodies, and stemming plus Unicode folding each one (~10 µs) was most of its cost, while
 * a language's running text repeats a few thousand distinct words. Bounded; cleared when full.
 */
const foldedStems = new Map<SearchConfig, Map<string, readonly [stem: string, word: string]>>();
const FOLDED_STEMS_MAX = 50_000;

/** A lower-cased word's folded stem and folded self, in `config`'s language. */
function foldedForms(config: SearchConfig): (word: string) => readonly [stem: string, word: string] {
  let known = foldedStems.get(config);
  if (!known) foldedStems.set(config, (known = new Map()));
  const stem = stemmerFor(config);
  const memo = known;
  return (word) => {
    let forms = memo.get(word);
    if (forms === undefined) {
      forms = [fold(stem(word)), fold(word)];
      if (memo.size >= FOLDED_STEMS_MAX) memo.clear();
      memo.set(word, forms);
    }
    return forms;
  };
}

/**
 * Which characters are word characters (WORD: letters, marks, digits), by UTF-16 unit: 1 yes,
 * 2 no, 0 not yet known. A results page scans thousands of words; a table lookup per character
 * is several times cheaper than a Unicode-aware regular expression match per word.
 */
const WORD_UNIT = new Uint8Array(0x10000);
const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;

/** UTF-16 units of the word character at `i`, or 0 when it is not one. */
function wordCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    // A character outside the Basic Multilingual Plane (two units): rare, asked as it comes.
    const cp = text.codePointAt(i)!;
    return cp > 0xffff && WORD_CHAR.test(String.fromCodePoint(cp)) ? 2 : 0;
  }
  let known = WORD_UNIT[c]!;
  if (known === 0) WORD_UNIT[c] = known = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
  return known === 1 ? 1 : 0;
}

/**
 * The words of the text being scanned, as parallel typed arrays (no object per word), kept
 * between calls and grown as needed: a text of L units has at most L/2 + 1 words, and
 * allocating three typed arrays for each snippet took over half its time. Safe to share, as
 * buildSnippet runs to completion and every entry it reads it wrote first.
 */
let buffers = { starts: new Int32Array(1024), ends: new Int32Array(1024), hits: new Uint8Array(1024) };

function wordBuffers(capacity: number): typeof buffers {
  if (buffers.starts.length < capacity) {
    const size = 2 ** Math.ceil(Math.log2(capacity));
    buffers = { starts: new Int32Array(size), ends: new Int32Array(size), hits: new Uint8Array(size) };
  }
  return buffers;
}

interface WantedForms {
  /** The query words' folded stems and folded selves. */
  wanted: ReadonlySet<string>;
  /**
   * The ASCII letters and digits the wanted forms start with. A word starting with any other
   * ASCII letter or digit cannot be a hit: folding keeps an ASCII character, and the Snowball
   * stemmers only ever rewrite a word's end. Most words are told apart by this alone, without
   * cutting them out of the text and looking them up (most of the scan's cost).
   */
  wantedFirst: Uint8Array;
}

/** The last few queries' wanted forms: a results page cuts ten snippets for the same words. */
const wantedByQuery = new Map<string, WantedForms>();
const WANTED_KEPT = 64;

function wantedForms(config: SearchConfig, queryWords: readonly string[]): WantedForms {
  const key = `${config}\u0000${queryWords.join('\u0000')}`;
  let forms = wantedByQuery.get(key);
  if (!forms) {
    const stem = stemmerFor(config);
    const wanted = new Set(queryWords.flatMap((w) => [fold(stem(w)), fold(w)]));
    const wantedFirst = new Uint8Array(128);
    for (const form of wanted) if (form.charCodeAt(0) < 128) wantedFirst[form.charCodeAt(0)] = 1;
    forms = { wanted, wantedFirst };
    if (wantedByQuery.size >= WANTED_KEPT) wantedByQuery.clear();
    wantedByQuery.set(key, forms);
  }
  return forms;
}

/** The best window of `text` for `queryWords`, or its opening when nothing matches. */
export function buildSnippet(text: string, language: string, queryWords: readonly string[]): SnippetPart[] {
  const config = searchConfigFor(language);
  const formsOf = foldedForms(config);
  const { wanted, wantedFirst } = wantedForms(config, queryWords);
  const scanned = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  // Scanned in its own case: only a word that may be a hit is lower-cased (lowering the whole
  // text took a quarter of a snippet's time; most words are told apart by their first letter).
  const { starts, ends, hits } = wordBuffers((scanned.length >> 1) + 1);
  let count = 0;
  for (let i = 0, units = scanned.length; i < units;) {
    let width = wordCharAt(scanned, i);
    if (!width) {
      i++;
      continue;
    }
    const start = i;
    while (width) {
      i += width;
      width = i < units ? wordCharAt(scanned, i) : 0;
    }
    starts[count] = start;
    ends[count] = i;
    let first = scanned.charCodeAt(start);
    if (first >= 65 && first <= 90) first |= 0x20;
    if (first < 128 && !wantedFirst[first]) hits[count] = 0;
    else {
      const forms = formsOf(scanned.slice(start, i).toLowerCase());
      hits[count] = wanted.has(forms[0]) || wanted.has(forms[1]) ? 1 : 0;
    }
    count++;
  }
  const n = count;
  if (!n) return [];
  // Slide a window of WINDOW_WORDS words; keep the first with the best score. A hit next to
  // another hit scores double, so a phrase wins over the same words scattered.
  const scoreAt = (i: number) => (hits[i] ? (i > 0 && hits[i - 1] ? 2 : 1) : 0);
  let bestEnd = Math.min(n, WINDOW_WORDS) - 1;
  let bestScore = -1;
  let score = 0;
  for (let i = 0; i < n; i++) {
    score += scoreAt(i);
    if (i >= WINDOW_WORDS) score -= scoreAt(i - WINDOW_WORDS);
    if (score > bestScore) {
      bestScore = score;
      bestEnd = i;
    }
  }
  let best = Math.max(0, bestEnd - WINDOW_WORDS + 1);
  // Start a few words before the window's first hit so it reads in context, keeping its last hit.
  if (bestScore > 0) {
    let first = -1;
    let last = -1;
    for (let i = best; i <= bestEnd; i++) {
      if (!hits[i]) continue;
      if (first < 0) first = i;
      last = i;
    }
    best = Math.max(0, Math.min(first - 6, last - WINDOW_WORDS + 3));
  }
  const stop = Math.min(n, best + WINDOW_WORDS);
  // At either end of the text, keep its punctuation (an opening quote, a closing stop).
  const from = best === 0 ? 0 : starts[best]!;
  const to = best + WINDOW_WORDS >= n ? scanned.trimEnd().length : ends[stop - 1]!;
  const parts: SnippetPart[] = [];
  if (best > 0) parts.push({ text: '… ', mark: false });
  let at = from;
  for (let i = best; i < stop; i++) {
    if (!hits[i]) continue;
    if (starts[i]! > at) parts.push({ text: oneLine(scanned.slice(at, starts[i])), mark: false });
    parts.push({ text: scanned.slice(starts[i], ends[i]), mark: true });
    at = ends[i]!;
  }
  if (to > at) parts.push({ text: oneLine(scanned.slice(at, to)), mark: false });
  if (best + WINDOW_WORDS < n || scanned.length < text.length) parts.push({ text: ' …', mark: false });
  return parts;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
