import { fold, searchConfigFor, stemmerFor, WORD, type SearchConfig } from './search-language.ts';

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

/** The best window of `text` for `queryWords`, or its opening when nothing matches. */
export function buildSnippet(text: string, language: string, queryWords: readonly string[]): SnippetPart[] {
  const config = searchConfigFor(language);
  const stem = stemmerFor(config);
  const formsOf = foldedForms(config);
  const wanted = new Set(queryWords.flatMap((w) => [fold(stem(w)), fold(w)]));
  const scanned = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  const found: Array<{ start: number; end: number; hit: boolean }> = [];
  for (const m of scanned.matchAll(WORD)) {
    const word = m[0].toLowerCase();
    const [stemmed, folded] = formsOf(word);
    found.push({ start: m.index, end: m.index + m[0].length, hit: wanted.has(stemmed) || wanted.has(folded) });
  }
  if (!found.length) return [];
  // Slide a window of WINDOW_WORDS words; keep the first with the best score. A hit next to
  // another hit scores double, so a phrase wins over the same words scattered.
  const scores = found.map((w, i) => (w.hit ? (i > 0 && found[i - 1]!.hit ? 2 : 1) : 0));
  let bestEnd = Math.min(found.length, WINDOW_WORDS) - 1;
  let bestScore = -1;
  let score = 0;
  for (let i = 0; i < found.length; i++) {
    score += scores[i]!;
    if (i >= WINDOW_WORDS) score -= scores[i - WINDOW_WORDS]!;
    if (score > bestScore) {
      bestScore = score;
      bestEnd = i;
    }
  }
  let best = Math.max(0, bestEnd - WINDOW_WORDS + 1);
  // Start a few words before the window's first hit so it reads in context, keeping its last hit.
  if (bestScore > 0) {
    const inWindow = found.map((w, i) => (w.hit && i >= best && i <= bestEnd ? i : -1)).filter((i) => i >= 0);
    const first = inWindow[0]!;
    const last = inWindow[inWindow.length - 1]!;
    best = Math.max(0, Math.min(first - 6, last - WINDOW_WORDS + 3));
  }
  const window = found.slice(best, best + WINDOW_WORDS);
  // At either end of the text, keep its punctuation (an opening quote, a closing stop).
  const from = best === 0 ? 0 : window[0]!.start;
  const to = best + WINDOW_WORDS >= found.length ? scanned.trimEnd().length : window[window.length - 1]!.end;
  const parts: SnippetPart[] = [];
  if (best > 0) parts.push({ text: '… ', mark: false });
  let at = from;
  for (const w of window) {
    if (!w.hit) continue;
    if (w.start > at) parts.push({ text: oneLine(scanned.slice(at, w.start)), mark: false });
    parts.push({ text: scanned.slice(w.start, w.end), mark: true });
    at = w.end;
  }
  if (to > at) parts.push({ text: oneLine(scanned.slice(at, to)), mark: false });
  if (best + WINDOW_WORDS < found.length || scanned.length < text.length) parts.push({ text: ' …', mark: false });
  return parts;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
