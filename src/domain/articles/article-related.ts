/*
 * "You might also like": pure ranking over candidate articles. Scores combine shared tags
 * (rarer tags count more), same section, keyword similarity (cosine over weighted terms)
 * and a gentle recency preference. The article itself is never a candidate.
 */

export type KeywordVector = ReadonlyArray<readonly [term: string, weight: number]>;

export interface RelatedCandidate {
  id: string;
  sectionId: string;
  tagIds: readonly string[];
  keywords: KeywordVector;
  publishedAt: string;
}

export interface RankedRelated {
  id: string;
  score: number;
}

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below between both but by
  can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't
  have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is
  isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves
  out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves
  then there there's these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd
  we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with won't would
  wouldn't you you'd you'll you're you've your yours yourself yourselves said says say told one two three new year years
  last first just like will may many much even still since us mr ms mrs its been being get got make made per via
  according while however thursday monday tuesday wednesday friday saturday sunday week weeks month months`.split(/\s+/),
);

function tokenize(text: string): string[] {
  const words =
    text
      .toLowerCase()
      .replace(/[’']/g, "'")
      .match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
  const out: string[] = [];
  for (const word of words) {
    let term = termMemo.get(word);
    if (term === undefined) {
      term = termOf(word);
      if (termMemo.size >= TERMS_REMEMBERED) termMemo.clear();
      termMemo.set(word, term);
    }
    if (term !== null) out.push(term);
  }
  return out;
}

/** A word's term, or null for a stopword, a number or a word too short. */
function termOf(word: string): string | null {
  const w = word.replace(/'s$/, '').replace(/^-+|-+$/g, '');
  return w.length < 3 || STOPWORDS.has(w) || /^\d+$/.test(w) ? null : stem(w);
}

/** termOf's answers, remembered: running text repeats a few thousand words (cleared when full). */
const termMemo = new Map<string, string | null>();
const TERMS_REMEMBERED = 50_000;

// A light suffix stripper: enough to match "executing"/"executed"/"executions" without a stemmer dependency.
function stem(word: string): string {
  if (word.length > 6 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 5 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 5 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.length > 4 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Top weighted terms of an article; headline and standfirst terms weigh more than body terms. */
export function extractKeywords(input: { headline: string; standfirst: string; bodyText: string }, limit = 24): Array<[string, number]> {
  const counts = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const term of tokenize(text)) counts.set(term, (counts.get(term) ?? 0) + weight);
  };
  add(input.headline, 4);
  add(input.standfirst, 2);
  add(input.bodyText, 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  // Sublinear scaling stops one repeated word from dominating the vector.
  return sorted.map(([term, n]) => [term, Math.round((1 + Math.log(n)) * 1000) / 1000]);
}

export function cosineSimilarity(a: KeywordVector, b: KeywordVector): number {
  if (!a.length || !b.length) return 0;
  const bMap = new Map(b);
  let dot = 0;
  for (const [term, w] of a) {
    const wb = bMap.get(term);
    if (wb !== undefined) dot += w * wb;
  }
  if (dot === 0) return 0;
  let na = 0;
  let nb = 0;
  for (const [, w] of a) na += w * w;
  for (const [, w] of b) nb += w * w;
  return dot / Math.sqrt(na * nb);
}

export interface RankOptions {
  limit?: number;
  /** How many candidates carry each tag; rarer shared tags are stronger evidence. */
  tagFrequency?: ReadonlyMap<string, number>;
}

/** Ranks candidates by relatedness to the target; excludes the target and unrelated candidates. */
export function rankRelated(target: RelatedCandidate, candidates: readonly RelatedCandidate[], options: RankOptions = {}): RankedRelated[] {
  const limit = options.limit ?? 6;
  const targetTags = new Set(target.tagIds);
  const targetTime = Date.parse(target.publishedAt);
  const ranked: RankedRelated[] = [];
  const seen = new Set<string>([target.id]);
  for (const c of candidates) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    let tagScore = 0;
    for (const tag of c.tagIds) {
      if (!targetTags.has(tag)) continue;
      const freq = options.tagFrequency?.get(tag) ?? 1;
      tagScore += 1 + 1 / Math.sqrt(freq);
    }
    const text = cosineSimilarity(target.keywords, c.keywords);
    const section = c.sectionId === target.sectionId ? 1 : 0;
    if (tagScore === 0 && text < 0.05 && section === 0) continue;
    const ageDays = Math.abs(targetTime - Date.parse(c.publishedAt)) / 86_400_000;
    const recency = 0.5 / (1 + ageDays / 30);
    const score = 2 * tagScore + 5 * text + section + recency;
    ranked.push({ id: c.id, score: Math.round(score * 1e6) / 1e6 });
  }
  ranked.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return ranked.slice(0, limit);
}
