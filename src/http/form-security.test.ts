import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { comesFromOurSite, formFields, isTrustedPost, safeRedirectPath, secretsEqual, sentCsrfToken } from './form-security.ts';

const SITE = 'https://news.example.test';
const TOKEN = 'a'.repeat(43);

function request(headers: Record<string, string>, body?: unknown): FastifyRequest {
  return { headers: { host: 'news.example.test', ...headers }, body } as unknown as FastifyRequest;
}

describe('form security (newsroom and reader forms alike)', () => {
  it('accepts our own origin, or the host the browser addressed; refuses any other, and unparsable ones', () => {
    assert.equal(comesFromOurSite(request({ origin: SITE }), SITE), true);
    assert.equal(
      comesFromOurSite(request({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }), SITE),
      true,
      'direct access before a public URL is set',
    );
    assert.equal(comesFromOurSite(request({ origin: 'https://evil.example' }), SITE), false);
    assert.equal(comesFromOurSite(request({ origin: 'null' }), SITE), false, 'sandboxed frames and data: pages');
    assert.equal(
      comesFromOurSite(request({ origin: 'https://evil.example', referer: `${SITE}/newsroom` }), SITE),
      false,
      'Origin wins over Referer',
    );
  });

  it('falls back to Referer without Origin, and allows neither (old browsers)', () => {
    assert.equal(comesFromOurSite(request({ referer: `${SITE}/comments/signin` }), SITE), true);
    assert.equal(comesFromOurSite(request({ referer: 'https://evil.example/page' }), SITE), false);
    assert.equal(comesFromOurSite(request({}), SITE), true);
  });

  it('compares tokens in constant time and never accepts an empty one', () => {
    assert.equal(secretsEqual(TOKEN, TOKEN), true);
    assert.equal(secretsEqual(TOKEN, `${TOKEN.slice(0, -1)}b`), false);
    assert.equal(secretsEqual(TOKEN.slice(1), TOKEN), false, 'a different length is refused, not thrown on');
    assert.equal(secretsEqual('', ''), false);
    assert.equal(secretsEqual(TOKEN, undefined), false, 'no session, no token');
  });

  it('reads the token from the form field first, then the header', () => {
    assert.equal(sentCsrfToken(request({ 'x-csrf-token': 'header' }, { _csrf: 'field' })), 'field');
    assert.equal(sentCsrfToken(request({ 'x-csrf-token': 'header' }, { other: 'x' })), 'header');
    assert.equal(sentCsrfToken(request({})), '');
    assert.equal(isTrustedPost(request({ origin: SITE }, { _csrf: TOKEN }), SITE, TOKEN), true);
    assert.equal(
      isTrustedPost(request({ origin: 'https://evil.example' }, { _csrf: TOKEN }), SITE, TOKEN),
      false,
      'the right token from another site',
    );
  });

  it('redirects after a form only to an allowed local path of at most 500 characters (the newsroom had no length cap)', () => {
    const newsroom = /^\/newsroom(\/[A-Za-z0-9\-._~/%?=&]*)?$/;
    assert.equal(safeRedirectPath('/newsroom/stories?q=x', newsroom), '/newsroom/stories?q=x');
    assert.equal(safeRedirectPath('/newsroom//evil.example', newsroom), undefined);
    assert.equal(safeRedirectPath('https://evil.example/newsroom', newsroom), undefined);
    assert.equal(safeRedirectPath(`/newsroom/stories?q=${'x'.repeat(500)}`, newsroom), undefined);
    assert.equal(safeRedirectPath(['/newsroom'], newsroom), undefined);
  });

  it('reads form fields as strings, the first of a repeated field, never files or objects', () => {
    assert.deepEqual(formFields(request({}, { a: 'x', b: ['first', 'second'], c: { file: true }, d: 3 })), { a: 'x', b: 'first' });
    assert.deepEqual(formFields(request({})), {});
  });
});
