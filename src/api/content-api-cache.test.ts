import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedUser } from '../../test/support/account-factories.ts';
import { createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';
import { buildArticleInput, hoursAgo } from '../../test/support/factories.ts';
import { NewsroomClient, signedInClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import type { Article } from '../domain/articles/article.ts';

/*
 * The Content API behind the page cache (on by default in the API test site): public mode is
 * shared and purged by tag; token mode is private and never enters the cache. The admin
 * status endpoint shows the counters.
 */

type Stats = { enabled: boolean; entries: number; hits: number; misses: number; purges: number; bytes: number; maxBytes: number };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: Content API in public mode, through the page cache`, { skip }, () => {
    let site: ApiTestSite;
    let admin: NewsroomClient;
    let story: Article;
    const stats = async () => JSON.parse((await admin.get('/newsroom/cache.json')).body) as Stats;

    before(async () => {
      site = await createApiTestSite(dialect, { MASTHEAD_PAGE_CACHE_MB: '8' });
      story = await createArticle(site.deps, buildArticleInput({ sectionId: site.taxonomy.world.id, headline: 'Harbour reopens' }));
      admin = await signedInClient(site, site.admin);
    });
    after(() => site?.close());

    it('stores anonymous reads, tags them, and purges a list when a story is published', async () => {
      const first = await site.call('GET', '/api/v1/articles');
      assert.equal(first.headers['x-page-cache'], 'miss');
      assert.equal(first.headers['access-control-allow-origin'], '*');
      assert.match(String(first.headers.vary), /authorization/);
      assert.match(String(first.headers.vary), /accept-encoding/);
      const keys = String(first.headers['surrogate-key']).split(' ');
      assert.ok(keys.includes('lists:site') && keys.includes(`story:${story.id}`), keys.join(' '));
      assert.equal((await site.call('GET', '/api/v1/articles')).headers['x-page-cache'], 'hit');
      const one = await site.call('GET', `/api/v1/articles/${story.id}`);
      // It lists the story's translations too: a change in its translation group drops it.
      assert.equal(one.headers['surrogate-key'], `story:${story.id} translations:${story.translationGroupId}`);

      const later = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: site.taxonomy.sport.id, headline: 'Cup final tonight', publishedAt: hoursAgo(0.1) }),
      );
      const after = await site.call('GET', '/api/v1/articles');
      assert.equal(after.headers['x-page-cache'], 'miss');
      assert.ok(after.body.includes(later.id));
      // The single-story answer of the first story does not show the new one: still cached.
      assert.equal((await site.call('GET', `/api/v1/articles/${story.id}`)).headers['x-page-cache'], 'hit');
    });

    it('never caches a 404, and a request with a token bypasses the cache', async () => {
      const missing = '/api/v1/articles/0190a8f0-0000-7000-8000-000000000000';
      assert.equal((await site.call('GET', missing)).statusCode, 404);
      const before = await stats();
      assert.equal((await site.call('GET', missing)).statusCode, 404);
      assert.equal((await stats()).entries, before.entries, 'a 404 is not stored');
      const token = await site.token('contributor');
      const withToken = await site.call('GET', '/api/v1/articles', { token });
      assert.equal(withToken.statusCode, 200);
      assert.equal(withToken.headers['x-page-cache'], 'bypass');
    });

    it('shows admins the counters at /newsroom/cache.json, and nobody else', async () => {
      const s = await stats();
      assert.equal(s.enabled, true);
      assert.equal(s.maxBytes, 8 * 1024 * 1024);
      assert.ok(s.hits >= 1 && s.misses >= 1 && s.purges >= 1 && s.entries >= 1 && s.bytes > 0, JSON.stringify(s));
      const anonymous = await site.app.inject({ method: 'GET', url: '/newsroom/cache.json' });
      assert.equal(anonymous.statusCode, 303);
      const editorUser = await seedUser(site.deps, 'editor');
      const editor = await signedInClient(site, editorUser, '203.0.113.90');
      assert.equal((await editor.get('/newsroom/cache.json')).statusCode, 403);
    });
  });

  describe(`${dialect}: Content API in token mode is never shared`, { skip }, () => {
    let site: ApiTestSite;
    before(async () => {
      site = await createApiTestSite(dialect, { MASTHEAD_CONTENT_API: 'token', MASTHEAD_PAGE_CACHE_MB: '8' });
      await createArticle(site.deps, buildArticleInput({ sectionId: site.taxonomy.world.id, headline: 'Token-only story' }));
    });
    after(() => site?.close());

    it('answers privately, untagged, and stores nothing', async () => {
      const token = await site.token('contributor');
      for (let n = 0; n < 2; n++) {
        const res = await site.call('GET', '/api/v1/articles', { token });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['cache-control'], 'private, max-age=60');
        assert.equal(res.headers['x-page-cache'], 'bypass');
        assert.equal(res.headers['surrogate-key'], undefined);
        assert.equal(res.headers.xkey, undefined);
        assert.equal(res.headers['access-control-allow-origin'], undefined);
      }
      const admin = await signedInClient(site, site.admin);
      assert.equal((JSON.parse((await admin.get('/newsroom/cache.json')).body) as Stats).entries, 0);
    });
  });
}
