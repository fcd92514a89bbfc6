import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namesOldPostNumber, redirectKey } from './redirect-path.ts';

describe('redirectKey: one spelling for stored and requested old addresses', () => {
  it('drops the host, the trailing slash and unrelated query parameters', () => {
    assert.equal(redirectKey('https://gazette.example.org/2024/05/20/council-approves/'), '/2024/05/20/council-approves');
    assert.equal(redirectKey('/2024/05/20/council-approves?utm_source=x&replytocom=3'), '/2024/05/20/council-approves');
    assert.equal(redirectKey('/river-levels-rise/'), '/river-levels-rise');
  });
  it('keeps WordPress post and page numbers, and nothing else of the query', () => {
    assert.equal(redirectKey('http://localhost/?p=1'), '/?p=1');
    assert.equal(redirectKey('/?p=42&utm_medium=email'), '/?p=42');
    assert.equal(redirectKey('https://playground.internal/site/?page_id=2000'), '/site?page_id=2000');
    assert.equal(redirectKey('/?p=abc'), null, 'not a number: the bare root is never an old address');
  });
  it('matches percent-encoded and decoded spellings of the same path', () => {
    assert.equal(redirectKey('/2024/%C3%A9t%C3%A9/'), redirectKey('https://x.example/2024/été'));
  });
  it('refuses what cannot be an address of a page', () => {
    assert.equal(redirectKey('mailto:someone@example.org'), null);
    assert.equal(redirectKey('/'), null);
    assert.equal(redirectKey(`/${'a'.repeat(2000)}`), null);
  });
  it('tells a request naming ?p= or ?page_id= from one that does not', () => {
    assert.equal(namesOldPostNumber('/?p=12'), true);
    assert.equal(namesOldPostNumber('/?page_id=3&x=1'), true);
    assert.equal(namesOldPostNumber('/?utm_source=x'), false);
    assert.equal(namesOldPostNumber('/'), false);
  });
});
