import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildArticleInput, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { Actor } from '../domain/accounts/role.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import { SEED_ARTICLE } from '../demo/demo-content.ts';

/*
 * The public search page over the demo site, on both databases: the header box on every page,
 * results (the seed story first for a phrase only its body has), refusals as 400 pages, escaping
 * of snippets, the public cache dropping a result page when a story in it is unpublished, and the
 * OpenSearch description.
 */

const admin: Actor = { userId: 'u-admin', role: 'admin' };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the /search page`, { skip }, () => {
    let site: TestSite;
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 12, pageCacheMb: 16 });
    });
    after(async () => site?.close());

    it('every page carries a search box that works without JavaScript, and the OpenSearch link', async () => {
      for (const url of ['/', '/world', `/search?q=russia`]) {
        const res = await get(url);
        assert.equal(res.statusCode, 200, url);
        assert.match(res.body, /<form class="masthead__search" role="search"[^>]* action="\/search" method="get">/, url);
        assert.match(res.body, /<input type="search" id="masthead-q" name="q"/);
        assert.match(res.body, /<link rel="search" type="application\/opensearchdescription\+xml" href="\/opensearch.xml"/);
      }
    });

    it('finds the seed story first for a phrase that only its body contains, with the phrase marked', async () => {
      const res = await get('/search?q=%22barrier+troops%22');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<meta name="robots" content="noindex, follow">/);
      const headlines = [...res.body.matchAll(/<h2 class="teaser__title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
      assert.equal(headlines[0], SEED_ARTICLE.headline.replace(/'/g, '&#39;'));
      assert.match(res.body, /<mark>barrier<\/mark> <mark>troops<\/mark>/);
      assert.match(res.body, /1 story found/);
    });

    it('filters by section and sorts by newest; pages are bounded', async () => {
      const all = await get('/search?q=russia&sort=newest');
      assert.equal(all.statusCode, 200);
      const times = [...all.body.matchAll(/<li class="search-result">.*?<time datetime="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(times.length > 1);
      assert.deepEqual([...times].sort().reverse(), times, 'newest first');
      const none = await get('/search?q=russia&section=sport');
      const results = none.body.split('<ol class="search-results"')[1]?.split('</ol>')[0] ?? '';
      assert.doesNotMatch(results, new RegExp(SEED_ARTICLE.headline.slice(0, 20)));
      assert.match(none.body, /Search all stories/, 'a filtered search with nothing offers to drop the filters');
      assert.equal((await get('/search?q=russia&page=101')).statusCode, 400);
    });

    it('a search with no match offers the latest stories', async () => {
      const res = await get('/search?q=xylophonist');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Nothing matched “<bdi>xylophonist<\/bdi>”/);
      assert.match(res.body, /Latest stories/);
    });

    it('offers a corrected query when a word is misspelt, linked, with the filters kept', async () => {
      const res = await get('/search?q=barrier+trops&language=en');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /No stories found/);
      assert.match(
        res.body,
        /<p class="search-suggestion">Did you mean: <a href="\/search\?q=barrier\+troops&amp;language=en" rel="nofollow">barrier troops<\/a>\?<\/p>/,
      );
      assert.doesNotMatch((await get('/search?q=barrier+troops')).body, /Did you mean/);
    });

    it('refuses abusive or malformed searches with a 400 page that says why', async () => {
      const cases: Array<[string, RegExp]> = [
        [`/search?q=${'a'.repeat(201)}`, /at most 200 characters/],
        [`/search?q=${Array.from({ length: 13 }, (_, i) => `w${i}`).join('+')}`, /at most 12 words/],
        [`/search?q=${'OR+'.repeat(60)}x`, /too many operators/],
        ['/search?q=-russia', /at least one word/],
        ['/search?q=a&sort=best', /sort/],
        ['/search?q=a&q=b', /q/],
        ['/search?q=a&from=2026-13-45', /from/],
      ];
      for (const [url, message] of cases) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
        assert.match(res.body, message, url);
        assert.match(res.body, /<form class="search-form" role="search"/, 'the form is offered again');
        assert.equal(res.headers['cache-control'], 'no-store');
      }
      for (const hostile of ['%22', 'NEAR(a+b)', 'a%3Ab', '*', '%27%3B+drop+table+articles', '%00', '%E2%80%AE']) {
        assert.equal((await get(`/search?q=${hostile}`)).statusCode, 200, hostile);
      }
    });

    it('escapes everything in results: markup typed into a story shows as text, only <mark> is added', async () => {
      const section = await site.deps.db.selectFrom('sections').select('id').where('slug', '=', 'world').executeTakeFirstOrThrow();
      await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: section.id,
          headline: 'Quokka <b>census</b> begins',
          body: paragraphs('Rangers counted <script>alert(1)</script> every quokka on the island.'),
        }),
      );
      const res = await get('/search?q=quokka');
      assert.match(res.body, /Quokka &lt;b&gt;census&lt;\/b&gt; begins/);
      assert.match(res.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.doesNotMatch(res.body, /<script>alert/);
      assert.match(res.body, /<mark>quokka<\/mark>/);
    });

    it('is cached for anonymous readers and dropped when a story in it is unpublished', async () => {
      const section = await site.deps.db.selectFrom('sections').select('id').where('slug', '=', 'world').executeTakeFirstOrThrow();
      const story = await createArticle(site.deps, buildArticleInput({ sectionId: section.id, headline: 'Capybara crossing opens' }));
      const first = await get('/search?q=capybara');
      assert.match(first.body, /Capybara crossing opens/);
      const again = await get('/search?q=capybara&utm_source=x');
      assert.equal(again.headers['x-page-cache'], 'hit');
      await runWorkflowAction(site.deps, story.id, { type: 'unpublish' }, admin);
      const after = await get('/search?q=capybara');
      assert.notEqual(after.headers['x-page-cache'], 'hit');
      assert.doesNotMatch(after.body, /Capybara crossing opens/);
    });

    it('serves an OpenSearch description pointing at the search page', async () => {
      const res = await get('/opensearch.xml');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /application\/opensearchdescription\+xml/);
      assert.match(res.body, /template="https:\/\/news\.example\.test\/search\?q=\{searchTerms\}"/);
    });
  });
}
