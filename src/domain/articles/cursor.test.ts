import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from './cursor.ts';

const CURSOR = { publishedAt: '2026-11-25T09:30:00.000Z', id: '019ab8e2-1234-7abc-8def-0123456789ab' };

describe('keyset cursor', () => {
  it('round-trips a cursor', () => {
    const encoded = encodeCursor(CURSOR);
    assert.match(encoded, /^[A-Za-z0-9_-]+$/, 'URL-safe without escaping');
    assert.deepEqual(decodeCursor(encoded), CURSOR);
  });

  it('round-trips a timestamp without milliseconds', () => {
    const c = { ...CURSOR, publishedAt: '2026-11-25T09:30:00Z' };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
  });

  it('returns null for garbage', () => {
    const garbage = [
      '',
      '!',
      'abc',
      'not a cursor at all',
      '%E0%A4%A',
      'x'.repeat(500),
      '<script>alert(1)</script>',
      Buffer.from('2026-11-25T09:30:00.000Z').toString('base64url'),
      Buffer.from(`yesterday~${CURSOR.id}`).toString('base64url'),
      Buffer.from(`${CURSOR.publishedAt}~not-a-uuid-not-a-uuid-not-a-uuid-xx`).toString('base64url'),
      Buffer.from(`${CURSOR.publishedAt}~${CURSOR.id}~extra`).toString('base64url'),
      encodeCursor(CURSOR).slice(0, -4),
    ];
    for (const g of garbage) assert.equal(decodeCursor(g), null, `decodeCursor(${JSON.stringify(g)})`);
  });
});
