import { ValidationError } from '../errors.ts';
import { words } from './search-language.ts';

/*
 * What a reader types, parsed once into a small tree both databases are asked from, so they
 * agree on the operators: words (all required), "quoted phrases", -excluded words or
 * phrases, and OR between two terms. Anything else (brackets, colons, stars, stray quotes) is
 * read as spaces: a reader's query never produces a syntax error. Size limits keep every
 * query cheap: it is refused with a ValidationError (400) rather than run slowly.
 */

export const MAX_QUERY_CHARS = 200;
export const MAX_QUERY_TERMS = 12;
const MAX_WORD_CHARS = 60;

/** One word, or a phrase of several consecutive words. */
export interface SearchTerm {
  words: string[];
}

export interface SearchQuery {
  /** Every group must match; a group matches when any of its terms does (`a OR b`). */
  required: SearchTerm[][];
  /** No result contains any of these. */
  excluded: SearchTerm[];
  /** The text as typed (trimmed), for showing back to the reader. */
  text: string;
}

function refuse(message: string): never {
  throw new ValidationError(message, [{ path: 'q', message }]);
}

type Token = { kind: 'term'; term: SearchTerm; negated: boolean } | { kind: 'or' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // A quoted phrase (closing quote optional), an OR, or a run of anything but spaces and quotes.
  const pattern = /(-?)"([^"]*)"?|(\S+?)(?=\s|"|$)/gu;
  for (const m of text.matchAll(pattern)) {
    if (m[2] !== undefined) {
      const ws = words(m[2]);
      if (ws.length) tokens.push({ kind: 'term', term: { words: ws }, negated: m[1] === '-' });
      continue;
    }
    const raw = m[3]!;
    if (raw === 'OR' || raw === '|') {
      tokens.push({ kind: 'or' });
      continue;
    }
    const negated = raw.startsWith('-') && raw.length > 1;
    const ws = words(negated ? raw.slice(1) : raw);
    // "covid-19" or "l'élection" are one term of consecutive words, as the index stores them.
    if (ws.length) tokens.push({ kind: 'term', term: { words: ws }, negated });
  }
  return tokens;
}

/**
 * Parses a query. Returns null for a query with nothing to search for (empty, or only
 * punctuation); refuses one that is too long, has too many terms or only excluded terms.
 */
export function parseSearchQuery(input: string): SearchQuery | null {
  const text = input.normalize('NFC').trim();
  if ([...text].length > MAX_QUERY_CHARS) refuse(`Search for at most ${MAX_QUERY_CHARS} characters.`);
  const tokens = tokenize(text);
  const termCount = tokens.filter((t) => t.kind === 'term').reduce((n, t) => n + (t.kind === 'term' ? t.term.words.length : 0), 0);
  if (termCount > MAX_QUERY_TERMS) refuse(`Search for at most ${MAX_QUERY_TERMS} words.`);
  // Operators cost nothing alone, but a box full of them is not a reader's query.
  if (tokens.length > 2 * MAX_QUERY_TERMS) refuse('That search has too many operators; try a few plain words.');
  const required: SearchTerm[][] = [];
  const excluded: SearchTerm[] = [];
  let joinNext = false;
  for (const token of tokens) {
    if (token.kind === 'or') {
      // OR joins the terms on either side; at the start, at the end or doubled it means nothing.
      joinNext = required.length > 0;
      continue;
    }
    if (token.term.words.some((w) => w.length > MAX_WORD_CHARS)) refuse(`Words of at most ${MAX_WORD_CHARS} characters, please.`);
    if (token.negated) excluded.push(token.term);
    else if (joinNext) required[required.length - 1]!.push(token.term);
    else required.push([token.term]);
    joinNext = false;
  }
  if (!required.length) {
    if (excluded.length) refuse('Add at least one word to search for, not only words to leave out.');
    return null;
  }
  return { required, excluded, text };
}

/** The query as PostgreSQL's `websearch_to_tsquery` reads the same operators. */
export function toWebsearchText(query: SearchQuery): string {
  const term = (t: SearchTerm) => (t.words.length > 1 ? `"${t.words.join(' ')}"` : t.words[0]!);
  return [...query.required.map((group) => group.map(term).join(' or ')), ...query.excluded.map((t) => `-${term(t)}`)].join(' ');
}

/** Every word the reader asked for (not the excluded ones), for highlighting. */
export function queryWords(query: SearchQuery): string[] {
  return [...new Set(query.required.flat().flatMap((t) => t.words))];
}
