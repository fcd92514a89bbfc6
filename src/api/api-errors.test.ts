import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { testDialects } from '../../test/support/test-db.ts';
import { toApiError } from './api-errors.ts';
import { apiError, createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';

/** Asserts the response is the API's JSON error shape (never HTML, never a stack). */
function assertJsonError(res: LightMyRequestResponse, status: number, code: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const err = apiError(res);
  assert.equal(err.code, code);
  assert.ok(err.message.length > 0);
  assert.doesNotMatch(res.body, /<html|at .*\(.*:\d+:\d+\)/i);
}

describe('toApiError', () => {
  it('hides the text of unexpected errors behind a generic 500', () => {
    const { status, body } = toApiError(new Error('relation "articles" does not exist at /srv/app.js:12:3'));
    assert.equal(status, 500);
    assert.equal(body.error.code, 'internal_error');
    assert.doesNotMatch(body.error.message, /relation|srv/);
  });
});

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: API errors share one JSON shape`, { skip }, () => {
    let site: ApiTestSite;
    let token: string;
    before(async () => {
      site = await createApiTestSite(dialect, { MASTHEAD_MAX_UPLOAD_MB: '0.01' });
      token = await site.token('editor');
    });
    after(() => site?.close());

    it('bad JSON is 400 invalid_json', async () => {
      const res = await site.call('POST', '/api/v1/admin/articles', {
        token,
        payload: '{"headline": ',
        headers: { 'content-type': 'application/json' },
      });
      assertJsonError(res, 400, 'invalid_json');
      const empty = await site.call('POST', '/api/v1/admin/articles', {
        token,
        payload: '',
        headers: { 'content-type': 'application/json' },
      });
      assertJsonError(empty, 400, 'invalid_json');
    });

    it('a wrong or missing content type is 415', async () => {
      assertJsonError(
        await site.call('POST', '/api/v1/admin/articles', {
          token,
          payload: 'headline=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        415,
        'unsupported_media_type',
      );
      assertJsonError(await site.call('POST', '/api/v1/admin/articles', { token, payload: 'x' }), 415, 'unsupported_media_type');
      assertJsonError(
        await site.call('POST', '/api/v1/admin/images', { token, payload: '<svg/>', headers: { 'content-type': 'image/svg+xml' } }),
        415,
        'unsupported_media_type',
      );
    });

    it('unknown routes and methods are 404 JSON, not the site’s HTML page', async () => {
      for (const url of ['/api', '/api/v1', '/api/v1/nothing', '/api/v2/articles', '/api/v1/articles/x/y/z']) {
        assertJsonError(await site.call('GET', url), 404, 'not_found');
      }
      assertJsonError(await site.call('DELETE', '/api/v1/articles'), 404, 'not_found');
      assertJsonError(await site.call('GET', '/api/v1/articles/%E0%A4%A'), 400, 'bad_request');
    });

    it('a body over the limit is 413 naming the limit', async () => {
      const res = await site.call('POST', '/api/v1/admin/images', {
        token,
        payload: Buffer.alloc(20 * 1024, 1),
        headers: { 'content-type': 'image/jpeg' },
      });
      assertJsonError(res, 413, 'payload_too_large');
      assert.match(apiError(res).message, /0\.01 MB/);
    });

    it('authentication comes before the body is read', async () => {
      const res = await site.call('POST', '/api/v1/admin/images', {
        payload: Buffer.alloc(20 * 1024, 1),
        headers: { 'content-type': 'image/jpeg' },
      });
      assertJsonError(res, 401, 'unauthorized');
    });
  });
}
