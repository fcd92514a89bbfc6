import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fts5Match, nextStepWeeks, scoringQuery, spanLexemes, spanStart } from './search-engine.ts';
import { parseSearchQuery } from './search-query.ts';

/*
 * What SQLite weighs with bm25(): every phrase of the scored expression costs a read of its
 * whole posting list, so common words (and, past the candidate bound, phrases) are matched but
 * not weighed. These rules decide the ranking of large archives; the judged relevance set
 * (search-relevance.test.ts) covers small ones, where nothing is common.
 */
describe('the terms a search weighs (SQLite)', () => {
  const q = (text: string) => parseSearchQuery(text)!;
  const common = new Set(['expected', 'said']);

  it('weighs every required term of a query with few matches, and never an excluded one', () => {
    const scored = scoringQuery(q('glacier "meltwater lakes" -ice'), new Set(), false)!;
    assert.equal(fts5Match(scored, ['simple']), '("glacier" AND "meltwater lakes")');
  });

  it('leaves common words out of the weighing, and the query matches them still', () => {
    const query = q('expected glacier');
    assert.equal(fts5Match(scoringQuery(query, common, false)!, ['simple']), '("glacier")');
    assert.equal(fts5Match(query, ['simple']), '("expected" AND "glacier")');
  });

  it('leaves phrases out when the query has more matches than the candidates', () => {
    assert.equal(fts5Match(scoringQuery(q('"coach sacking" glacier'), common, true)!, ['simple']), '("glacier")');
    assert.equal(scoringQuery(q('"coach sacking"'), common, true), null);
    assert.equal(fts5Match(scoringQuery(q('"coach sacking"'), common, false)!, ['simple']), '("coach sacking")');
  });

  it('weighs nothing when only common terms are left (the newest come first)', () => {
    assert.equal(scoringQuery(q('expected said'), common, false), null);
    assert.equal(fts5Match(scoringQuery(q('expected OR glacier'), common, false)!, ['simple']), '("glacier")');
  });
});

describe('the spans of weeks a PostgreSQL search steps back through', () => {
  it('starts with the current week alone', () => {
    assert.equal(nextStepWeeks(0, 0, 200), 1);
  });

  it('asks about as many weeks as the matches so far suggest the rest of the candidates need, with a margin', () => {
    // 50 matches in 2 weeks: 150 more need 6 weeks, 7.5 with the margin.
    assert.equal(nextStepWeeks(2, 50, 150), 8);
    // A dense query needs a week more, not the next quarter.
    assert.equal(nextStepWeeks(1, 180, 20), 1);
  });

  it('grows at most fourfold the weeks asked so far, however sparse the matches (a word common years ago)', () => {
    assert.equal(nextStepWeeks(4, 1, 199), 16);
    assert.equal(nextStepWeeks(4, 0, 200), 16);
    assert.equal(nextStepWeeks(0.5, 0, 200), 2);
  });
});

describe('the lexemes a PostgreSQL search step asks its weeks with', () => {
  /** The weeks a step's lexemes stand for (a block: its four weeks). */
  const weeksOf = (lexemes: string[], section = '') =>
    lexemes.flatMap((l) => {
      const m = new RegExp(`^@${section ? `s${section}` : ''}([wf])(\\d+)$`).exec(l);
      assert.ok(m, `unexpected lexeme ${l}`);
      const n = Number(m[2]);
      return m[1] === 'w' ? [n] : [4 * n, 4 * n + 1, 4 * n + 2, 4 * n + 3];
    });
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => to - i);

  it('covers every week of the span exactly once, newest first, whole blocks as one lexeme each', () => {
    assert.deepEqual(spanLexemes(2956, 2967), ['@f741', '@f740', '@f739']);
    assert.deepEqual(spanLexemes(2958, 2970), ['@w2970', '@w2969', '@w2968', '@f741', '@f740', '@w2959', '@w2958']);
    assert.deepEqual(spanLexemes(2970, 2970), ['@w2970']);
    for (const [from, to] of [
      [2958, 2970],
      [2961, 2962],
      [2900, 2967],
      [2957, 2960],
    ] as const)
      assert.deepEqual(weeksOf(spanLexemes(from, to)).sort(), range(from, to).sort(), `${from}..${to}`);
  });

  it("asks within a section with the section's own week and block lexemes", () => {
    const lexemes = spanLexemes(2958, 2967, 'abc');
    assert.deepEqual(lexemes, ['@sabcf741', '@sabcf740', '@sabcw2959', '@sabcw2958']);
    assert.deepEqual(weeksOf(lexemes, 'abc').sort(), range(2958, 2967).sort());
  });

  it('starts a step of a block or more on the nearest block start, so the steps after it are whole blocks', () => {
    assert.equal(spanStart(2970, 1), 2970);
    assert.equal(spanStart(2970, 3), 2968);
    // 12 weeks back from 2969 would start at 2958: the block start 2956 is two weeks off, 2960 two.
    assert.equal(spanStart(2969, 12), 2956);
    assert.equal(spanStart(2969, 11), 2960);
    assert.equal(spanStart(2963, 4), 2960);
    // Never past the span's last week.
    assert.equal(spanStart(2961, 5), 2956);
    // Every step after a block-aligned one is whole blocks only.
    let to = spanStart(2970, 8) - 1;
    for (const weeks of [4, 9, 16, 24, 6]) {
      const from = spanStart(to, weeks);
      assert.ok(
        spanLexemes(from, to).every((l) => l.startsWith('@f')),
        `${from}..${to}`,
      );
      to = from - 1;
    }
  });
});
