import crypto from 'node:crypto';

/*
 * Comments are plain text. This module normalises what a reader typed (so invisible
 * characters cannot hide words or flip the page's direction), measures it against the
 * limits, and splits it into text and link segments for the view. Nothing here produces
 * markup: the view escapes every segment.
 */

export const COMMENT_MIN_LENGTH = 2;
export const COMMENT_MAX_LENGTH = 2000;
export const DISPLAY_NAME_MIN_LENGTH = 2;
export const DISPLAY_NAME_MAX_LENGTH = 40;

// C0/C1 controls except tab and newline; bidi embeddings, overrides and isolates (a reader
// must not be able to reverse the text that follows their comment); BOM; line/paragraph separators.
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
// Zero-width characters: kept in comment bodies (emoji sequences need the joiner), removed
// from names and from the text that blocked words are matched against.
const ZERO_WIDTH = /[\u00AD\u180E\u200B-\u200D\u2060-\u2064]/g;

/** Normalises a comment body: NFC, no control or bidi-override characters, tidy line breaks. */
export function normalizeCommentText(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(CONTROL_CHARS, '')
    .replace(/\t/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+$/u, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Normalises a display name: one line, no invisible or direction-changing characters. */
export function normalizeDisplayName(raw: string): string {
  return raw.normalize('NFC').replace(CONTROL_CHARS, '').replace(ZERO_WIDTH, '').replace(/\s+/gu, ' ').trim();
}

/** Length in characters as a person counts them (code points, not UTF-16 units). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The message for a body outside the limits, or null when it fits. */
export function commentLengthProblem(text: string): string | null {
  const n = textLength(text);
  if (n < COMMENT_MIN_LENGTH)
    return n === 0 ? 'Write a comment before posting.' : `Your comment is too short: write at least ${COMMENT_MIN_LENGTH} characters.`;
  if (n > COMMENT_MAX_LENGTH)
    return `Your comment is too long: ${n.toLocaleString('en')} characters; the limit is ${COMMENT_MAX_LENGTH.toLocaleString('en')}.`;
  return null;
}

/** Text folded for matching: compatibility forms, lower case, no zero-width characters. */
export function foldForMatching(text: string): string {
  return text.normalize('NFKC').replace(ZERO_WIDTH, '').toLowerCase();
}

/** SHA-256 of the folded text with whitespace collapsed: equal for trivially re-typed duplicates. */
export function commentBodyHash(text: string): string {
  return crypto.createHash('sha256').update(foldForMatching(text).replace(/\s+/gu, ' ').trim()).digest('hex');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Blocked words or phrases found in the text, matched as whole words, case- and width-insensitively. */
export function findBlockedWords(text: string, blocked: readonly string[]): string[] {
  if (!blocked.length) return [];
  const folded = foldForMatching(text);
  return blocked.filter((word) => {
    const w = foldForMatching(word).trim();
    return w !== '' && new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(w)}(?![\\p{L}\\p{N}])`, 'u').test(folded);
  });
}

export type CommentSegment = { kind: 'text'; text: string } | { kind: 'link'; href: string; text: string };

// http(s) URLs and bare www. addresses; anything else (javascript:, data:, mailto:) stays text.
const URL_CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/giu;
const TRAILING_PUNCTUATION = /[.,;:!?'"»”’)\]}>]+$/u;

/** A safe absolute http(s) URL for a candidate, or null. */
function toHref(candidate: string): string | null {
  try {
    const url = new URL(/^www\./i.test(candidate) ? `https://${candidate}` : candidate);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname.includes('.') || url.username || url.password) return null;
    return url.href;
  } catch {
    return null;
  }
}

/**
 * Splits a comment into text and links. A link's text is what the reader typed, except for
 * international domain names, which show their punycode form so a look-alike domain
 * (`pаypal.com` with a Cyrillic а) cannot pass for the real one.
 */
export function commentSegments(text: string): CommentSegment[] {
  const out: CommentSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_CANDIDATE)) {
    let candidate = m[0];
    const trailing = TRAILING_PUNCTUATION.exec(candidate);
    if (trailing) {
      // Keep a closing bracket that belongs to the URL (Wikipedia-style links).
      let cut = trailing[0];
      if (cut.startsWith(')') && candidate.includes('(')) cut = cut.slice(1);
      candidate = candidate.slice(0, candidate.length - cut.length);
    }
    const href = toHref(candidate);
    if (!href) continue;
    const start = m.index!;
    if (start > last) out.push({ kind: 'text', text: text.slice(last, start) });
    const host = new URL(href).hostname;
    out.push({ kind: 'link', href, text: host.split('.').some((p) => p.startsWith('xn--')) ? href : candidate });
    last = start + candidate.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** How many links the text holds (what the link limit counts). */
export function countLinks(text: string): number {
  return commentSegments(text).filter((s) => s.kind === 'link').length;
}
