import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVisibleToReaders, visibleFrom, type ReaderVisibilityFacts } from './article-visibility.ts';

describe('visibleFrom', () => {
  const at = (h: number) => `2026-12-06T${String(h).padStart(2, '0')}:00:00.000Z`;
  const cases: ReaderVisibilityFacts[] = [];
  for (const status of ['published', 'draft', 'scheduled', 'unpublished'])
    for (const publishedAt of [null, at(10)])
      for (const embargoUntil of [null, at(8), at(10), at(12)]) cases.push({ status, publishedAt, embargoUntil });

  it('holds from exactly the instant the rule starts to hold, for every status, publication time and embargo', () => {
    for (const facts of cases) {
      const from = visibleFrom(facts);
      for (let h = 6; h <= 14; h++) {
        const now = at(h);
        assert.equal(from !== null && from <= now, isVisibleToReaders(facts, now), `${JSON.stringify(facts)} at ${now}`);
      }
    }
  });

  it('is the later of publication and embargo end, and null for a story not published', () => {
    assert.equal(visibleFrom({ status: 'published', publishedAt: at(10), embargoUntil: at(12) }), at(12));
    assert.equal(visibleFrom({ status: 'published', publishedAt: at(10), embargoUntil: at(8) }), at(10));
    assert.equal(visibleFrom({ status: 'published', publishedAt: at(10), embargoUntil: null }), at(10));
    assert.equal(visibleFrom({ status: 'draft', publishedAt: at(10), embargoUntil: null }), null);
    assert.equal(visibleFrom({ status: 'published', publishedAt: null, embargoUntil: null }), null);
  });
});
