import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commentingState, decidePublication } from './comment-policy.ts';

const now = new Date('2026-11-25T12:00:00.000Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

describe('commenting policy', () => {
  it('follows the article policy while the story is fresh', () => {
    assert.deepEqual(
      commentingState({ status: 'published', commentsPolicy: 'open', publishedAt: daysAgo(1), embargoUntil: null }, now, 14),
      { kind: 'open', moderated: false, closesAt: daysAgo(-13) },
    );
    assert.equal(
      commentingState({ status: 'published', commentsPolicy: 'moderated', publishedAt: daysAgo(1), embargoUntil: null }, now, 14).kind,
      'open',
    );
    assert.deepEqual(
      commentingState({ status: 'published', commentsPolicy: 'closed', publishedAt: daysAgo(1), embargoUntil: null }, now, 14),
      { kind: 'closed', reason: 'policy' },
    );
  });

  it('closes automatically after the configured days (0 = never)', () => {
    assert.deepEqual(
      commentingState({ status: 'published', commentsPolicy: 'open', publishedAt: daysAgo(15), embargoUntil: null }, now, 14),
      { kind: 'closed', reason: 'expired' },
    );
    assert.deepEqual(
      commentingState({ status: 'published', commentsPolicy: 'open', publishedAt: daysAgo(14), embargoUntil: null }, now, 14),
      { kind: 'closed', reason: 'expired' },
    );
    assert.equal(
      commentingState({ status: 'published', commentsPolicy: 'open', publishedAt: daysAgo(400), embargoUntil: null }, now, 0).kind,
      'open',
    );
  });

  it('refuses comments on stories that are not public', () => {
    assert.deepEqual(commentingState({ status: 'draft', commentsPolicy: 'open', publishedAt: null, embargoUntil: null }, now, 14), {
      kind: 'closed',
      reason: 'unpublished',
    });
    assert.deepEqual(
      commentingState({ status: 'published', commentsPolicy: 'open', publishedAt: daysAgo(-1), embargoUntil: null }, now, 14),
      { kind: 'closed', reason: 'unpublished' },
    );
    assert.deepEqual(
      commentingState({ status: 'published', commentsPolicy: 'open', publishedAt: daysAgo(1), embargoUntil: daysAgo(-1) }, now, 14),
      { kind: 'closed', reason: 'unpublished' },
    );
  });

  it('queues a comment for the first reason that applies', () => {
    const base = { moderatedArticle: false, blockedWords: [], links: 0, maxLinks: 2, unverified: false };
    assert.deepEqual(decidePublication(base), { status: 'published' });
    assert.deepEqual(decidePublication({ ...base, moderatedArticle: true }), { status: 'pending', reason: 'moderated_article' });
    assert.deepEqual(decidePublication({ ...base, links: 3 }), { status: 'pending', reason: 'too_many_links' });
    assert.deepEqual(decidePublication({ ...base, links: 2 }), { status: 'published' });
    assert.deepEqual(decidePublication({ ...base, unverified: true, blockedWords: ['x'] }), { status: 'pending', reason: 'blocked_words' });
    assert.deepEqual(decidePublication({ ...base, unverified: true }), { status: 'pending', reason: 'unverified_reader' });
  });
});
