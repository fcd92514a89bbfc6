import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { apiError, createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';
import { redisSkip, TEST_REDIS_URL } from '../../test/support/redis-test-support.ts';
import { testDialects } from '../../test/support/test-db.ts';

/** An address no other run has used within the minute (Redis keeps counts across test runs). */
const freshIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: API rate limits`, { skip }, () => {
    let site: ApiTestSite;
    before(async () => {
      site = await createApiTestSite(dialect, { MASTHEAD_API_RATE_LIMIT_CONTENT: '3', MASTHEAD_API_RATE_LIMIT_ADMIN: '2' });
    });
    after(() => site?.close());

    it('limits the Content API per client address: 429 rate_limited with Retry-After, other addresses unaffected', async () => {
      const ip = freshIp();
      const get = (remoteAddress: string) => site.app.inject({ url: '/api/v1/articles', remoteAddress });
      for (let i = 0; i < 3; i++) assert.equal((await get(ip)).statusCode, 200, `request ${i + 1}`);
      const refused = await get(ip);
      assert.equal(refused.statusCode, 429, refused.body);
      assert.equal(apiError(refused).code, 'rate_limited');
      assert.match(apiError(refused).message, /at most 3 a minute/);
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal(refused.headers['cache-control'], 'no-store');
      assert.equal((await get(freshIp())).statusCode, 200, 'another reader is not refused');
    });

    it('limits the Admin API per token, whatever address it comes from', async () => {
      const [a, b] = [await site.token('editor'), await site.token('editor')];
      const call = (token: string) =>
        site.app.inject({ url: '/api/v1/admin/articles', remoteAddress: freshIp(), headers: { authorization: `Bearer ${token}` } });
      assert.equal((await call(a)).statusCode, 200);
      assert.equal((await call(a)).statusCode, 200);
      const refused = await call(a);
      assert.equal(refused.statusCode, 429);
      assert.equal(apiError(refused).code, 'rate_limited');
      assert.match(apiError(refused).message, /with this API token: at most 2 a minute/);
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      assert.equal((await call(b)).statusCode, 200, 'another token has its own allowance');
      // An invalid token is refused as such (401), not counted against anyone.
      const bad = await site.app.inject({ url: '/api/v1/admin/articles', headers: { authorization: 'Bearer mh_nope' } });
      assert.equal(bad.statusCode, 401);
    });

    it('is off when the limit is 0', async () => {
      const open = await createApiTestSite(dialect, { MASTHEAD_API_RATE_LIMIT_CONTENT: '0' });
      try {
        const ip = freshIp();
        for (let i = 0; i < 8; i++) assert.equal((await open.app.inject({ url: '/api/v1/articles', remoteAddress: ip })).statusCode, 200);
      } finally {
        await open.close();
      }
    });
  });
}

describe('API rate limits through Redis', async () => {
  const skip = await redisSkip();
  const dialect = (await testDialects()).find((d) => !d.skip)?.dialect ?? 'sqlite';

  it('two app instances sharing MASTHEAD_REDIS_URL share one allowance', { skip }, async () => {
    const env = { MASTHEAD_REDIS_URL: TEST_REDIS_URL, MASTHEAD_API_RATE_LIMIT_CONTENT: '4' };
    const [one, two] = [await createApiTestSite(dialect, env), await createApiTestSite(dialect, env)];
    try {
      const ip = freshIp();
      const get = (site: ApiTestSite) => site.app.inject({ url: '/api/v1/articles', remoteAddress: ip });
      assert.equal((await get(one)).statusCode, 200);
      assert.equal((await get(two)).statusCode, 200);
      assert.equal((await get(one)).statusCode, 200);
      assert.equal((await get(two)).statusCode, 200);
      const refused = await get(one);
      assert.equal(refused.statusCode, 429, 'the fifth request, across both nodes, is over the limit of 4');
      assert.equal(apiError(refused).code, 'rate_limited');
      assert.equal((await get(two)).statusCode, 429, 'and the other node agrees');
    } finally {
      await one.close();
      await two.close();
    }
  });
});
