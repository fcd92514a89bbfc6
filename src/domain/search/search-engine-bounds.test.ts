import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fts5Match, nextStepWeeks, phraseRestInOneStep, scoringQuery } from './search-engine.ts';
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

  it('asks the rest of the archive in one step once a phrase’s matches so far put few in the weeks left', () => {
    // None in the first four weeks and a bit: at most ~58 in 250 more weeks.
    assert.equal(phraseRestInOneStep(4.3, 0, 250), true);
    // About one a week: ~200 in 190 more weeks, too many rows to sort in one step.
    assert.equal(phraseRestInOneStep(17, 17, 190), false);
    // Dense: five in the current week alone.
    assert.equal(phraseRestInOneStep(1, 5, 250), false);
    // Sparse but little left to ask: one step either way.
    assert.equal(phraseRestInOneStep(1, 5, 20), true);
  });
});
