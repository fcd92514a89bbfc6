import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cosineSimilarity, extractKeywords, rankRelated, type RelatedCandidate } from './article-related.ts';

const T0 = '2026-11-20T12:00:00.000Z';

function candidate(id: string, overrides: Partial<RelatedCandidate> & { text?: string } = {}): RelatedCandidate {
  const { text, ...rest } = overrides;
  return {
    id,
    sectionId: 'other-section',
    tagIds: [],
    keywords: extractKeywords({ headline: text ?? '', standfirst: '', bodyText: '' }),
    publishedAt: T0,
    ...rest,
  };
}

const target = candidate('target', {
  sectionId: 'world',
  tagIds: ['russia', 'military'],
  text: 'Russia executing soldiers not following orders, says US',
});

describe('extractKeywords', () => {
  it('drops stopwords, short words and numbers, and stems simple suffixes', () => {
    const terms = extractKeywords({ headline: 'The soldiers were executing 2023 orders', standfirst: '', bodyText: '' }).map(([t]) => t);
    assert.deepEqual(new Set(terms), new Set(['soldier', 'execut', 'order']));
  });

  it('weighs headline terms above body terms', () => {
    const kw = new Map(extractKeywords({ headline: 'Kremlin', standfirst: '', bodyText: 'pipeline' }));
    assert.ok(kw.get('kremlin')! > kw.get('pipeline')!);
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for identical vectors, 0 for disjoint or empty ones', () => {
    const v: Array<[string, number]> = [
      ['a', 1],
      ['b', 2],
    ];
    assert.equal(Math.round(cosineSimilarity(v, v) * 1e9) / 1e9, 1);
    assert.equal(cosineSimilarity(v, [['c', 1]]), 0);
    assert.equal(cosineSimilarity([], v), 0);
  });
});

describe('rankRelated', () => {
  it('never returns the target itself, even when it is among the candidates (twice)', () => {
    const ranked = rankRelated(target, [target, { ...target }, candidate('a', { tagIds: ['russia'] })]);
    assert.deepEqual(
      ranked.map((r) => r.id),
      ['a'],
    );
  });

  it('ranks more shared tags above fewer, and excludes unrelated candidates', () => {
    const ranked = rankRelated(target, [
      candidate('unrelated', { text: 'Champions League final at Wembley' }),
      candidate('one-tag', { tagIds: ['russia'] }),
      candidate('two-tags', { tagIds: ['russia', 'military'] }),
    ]);
    assert.deepEqual(
      ranked.map((r) => r.id),
      ['two-tags', 'one-tag'],
    );
  });

  it('ranks similar text above dissimilar text when tags are equal', () => {
    const ranked = rankRelated(target, [
      candidate('dissimilar', { tagIds: ['russia'], text: 'Ballet season opens in Moscow theatre' }),
      candidate('similar', { tagIds: ['russia'], text: 'Russian soldiers executing deserters who refuse orders' }),
    ]);
    assert.deepEqual(
      ranked.map((r) => r.id),
      ['similar', 'dissimilar'],
    );
  });

  it('includes a text-only match with no shared tag or section', () => {
    const ranked = rankRelated(target, [candidate('text-only', { text: 'Soldiers executing orders, says Russia' })]);
    assert.deepEqual(
      ranked.map((r) => r.id),
      ['text-only'],
    );
  });

  it('counts a rarer shared tag as stronger evidence', () => {
    const ranked = rankRelated(target, [candidate('common', { tagIds: ['russia'] }), candidate('rare', { tagIds: ['military'] })], {
      tagFrequency: new Map([
        ['russia', 50],
        ['military', 2],
      ]),
    });
    assert.deepEqual(
      ranked.map((r) => r.id),
      ['rare', 'common'],
    );
  });

  it('prefers the more recent of two otherwise equal candidates', () => {
    const ranked = rankRelated(target, [
      candidate('old', { tagIds: ['russia'], publishedAt: '2025-01-01T00:00:00.000Z' }),
      candidate('recent', { tagIds: ['russia'], publishedAt: '2026-11-19T12:00:00.000Z' }),
    ]);
    assert.deepEqual(
      ranked.map((r) => r.id),
      ['recent', 'old'],
    );
  });

  it('respects the limit (default 6)', () => {
    const many = Array.from({ length: 20 }, (_, i) => candidate(`c${String(i).padStart(2, '0')}`, { tagIds: ['russia'] }));
    assert.equal(rankRelated(target, many).length, 6);
    assert.equal(rankRelated(target, many, { limit: 3 }).length, 3);
    assert.equal(rankRelated(target, many, { limit: 0 }).length, 0);
  });

  it('is deterministic: same input in any order gives the same list, ties broken by id', () => {
    const pool = [
      candidate('b', { tagIds: ['russia'] }),
      candidate('a', { tagIds: ['russia'] }),
      candidate('c', { sectionId: 'world' }),
      candidate('d', { tagIds: ['military'], text: 'soldiers orders' }),
    ];
    const first = rankRelated(target, pool);
    assert.deepEqual(rankRelated(target, [...pool].reverse()), first);
    assert.deepEqual(rankRelated(target, pool), first);
    const ab = first.filter((r) => r.id === 'a' || r.id === 'b').map((r) => r.id);
    assert.deepEqual(ab, ['a', 'b']);
  });

  it('returns scores in descending order', () => {
    const ranked = rankRelated(target, [
      candidate('x', { tagIds: ['russia'] }),
      candidate('y', { sectionId: 'world' }),
      candidate('z', { tagIds: ['russia', 'military'], sectionId: 'world' }),
    ]);
    for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1]!.score >= ranked[i]!.score);
    assert.equal(ranked[0]!.id, 'z');
  });
});
