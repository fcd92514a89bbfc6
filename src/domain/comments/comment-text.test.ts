import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COMMENT_MAX_LENGTH,
  commentBodyHash,
  commentLengthProblem,
  commentSegments,
  countLinks,
  findBlockedWords,
  normalizeCommentText,
  normalizeDisplayName,
} from './comment-text.ts';

describe('comment text', () => {
  it('removes control and bidi-override characters, keeps emoji joiners and tidies lines', () => {
    assert.equal(normalizeCommentText('  hi\u202Edlrow\u202C there\r\n\r\n\r\n\r\nnext\u0000 line  '), 'hidlrow there\n\nnext line');
    assert.equal(normalizeCommentText('family 👨\u200D👩\u200D👧'), 'family 👨\u200D👩\u200D👧');
    assert.equal(normalizeDisplayName(' Ad\u200Bmin\u2066 \n Bob '), 'Admin Bob');
  });

  it('gives clear length messages', () => {
    assert.equal(commentLengthProblem(''), 'Write a comment before posting.');
    assert.match(commentLengthProblem('a')!, /too short/);
    assert.equal(commentLengthProblem('ok'), null);
    assert.equal(commentLengthProblem('😀'.repeat(COMMENT_MAX_LENGTH)), null, 'counts characters, not UTF-16 units');
    assert.equal(
      commentLengthProblem('x'.repeat(COMMENT_MAX_LENGTH + 345)),
      'Your comment is too long: 2,345 characters; the limit is 2,000.',
    );
  });

  it('links only http(s) and www addresses, trimming trailing punctuation', () => {
    assert.deepEqual(commentSegments('See https://example.com/a?b=1, and www.example.org.'), [
      { kind: 'text', text: 'See ' },
      { kind: 'link', href: 'https://example.com/a?b=1', text: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', and ' },
      { kind: 'link', href: 'https://www.example.org/', text: 'www.example.org' },
      { kind: 'text', text: '.' },
    ]);
    assert.deepEqual(commentSegments('(https://en.wikipedia.org/wiki/Foo_(bar))')[1], {
      kind: 'link',
      href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,<script>',
      'JaVaScRiPt:alert(1)',
      'https://user:pw@evil.example/',
      'http://localhost/x',
    ]) {
      assert.ok(
        commentSegments(bad).every((s) => s.kind === 'text'),
        bad,
      );
    }
    assert.equal(countLinks('a https://a.example b http://b.example c www.c.example'), 3);
  });

  it('shows look-alike international domains in punycode', () => {
    const [link] = commentSegments('https://pаypal.com/login').filter((s) => s.kind === 'link');
    assert.ok(link && link.kind === 'link');
    assert.match(link.text, /xn--/);
    assert.equal(link.text, link.href);
  });

  it('finds blocked words as whole words, through case, width and zero-width tricks', () => {
    const blocked = ['spam', 'buy now'];
    assert.deepEqual(findBlockedWords('This is SPAM.', blocked), ['spam']);
    assert.deepEqual(findBlockedWords('ｓｐａｍ and s\u200Bpam', blocked), ['spam']);
    assert.deepEqual(findBlockedWords('Buy now!', blocked), ['buy now']);
    assert.deepEqual(findBlockedWords('spammer and antispam', blocked), []);
  });

  it('hashes trivially re-typed duplicates alike', () => {
    assert.equal(commentBodyHash('Hello   World'), commentBodyHash('hello world'));
    assert.notEqual(commentBodyHash('hello world'), commentBodyHash('hello world!'));
  });
});
