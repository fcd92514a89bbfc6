import { fold, searchConfigFor, stemmerFor, WORD } from './search-language.ts';

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

/** The best window of `text` for `queryWords`, or its opening when nothing matches. */
export function buildSnippet(text: string, language: string, queryWords: readonly string[]): SnippetPart[] {
  const stem = stemmerFor(searchConfigFor(language));
  const wanted = new Set(queryWords.flatMap((w) => [fold(stem(w)), fold(w)]));
  const scanned = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  const found: Array<{ start: number; end: number; hit: boolean }> = [];
  for (const m of scanned.matchAll(WORD)) {
    const word = m[0].toLowerCase();
    found.push({ start: m.index, end: m.index + m[0].length, hit: wanted.has(fold(stem(word))) || wanted.has(fold(word)) });
  }
  if (!found.length) return [];
  // Slide a window of WINDOW_WORDS words; keep the first with the most hits.
  let best = 0;
  let bestHits = -1;
  let hits = 0;
  for (let i = 0; i < found.length; i++) {
    if (found[i]!.hit) hits++;
    if (i >= WINDOW_WORDS && found[i - WINDOW_WORDS]!.hit) hits--;
    const start = Math.max(0, i - WINDOW_WORDS + 1);
    if (hits > bestHits) {
      bestHits = hits;
      best = start;
    }
  }
  // Start a few words before the first hit so it reads in context.
  if (bestHits > 0) {
    const firstHit = found.findIndex((w, i) => i >= best && w.hit);
    best = Math.max(0, firstHit - 6);
  }
  const window = found.slice(best, best + WINDOW_WORDS);
  const from = window[0]!.start;
  const to = window[window.length - 1]!.end;
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
