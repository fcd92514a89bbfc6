import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiError, createApiTestSite, SITE_URL, type ApiTestSite } from '../../test/support/api-test-support.ts';
import { buildArticleInput, hoursAgo, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';

/*
 * GET /api/v1/search on both databases: ranked hits with scores and escaped snippets, the same
 * filters as the site, only stories readers may see, and 400 envelopes (never 500) for
 * refused or malformed queries.
 */

type Hit = {
  id: string;
  url: string;
  headline: string;
  score: number;
  snippet: string;
  snippetHtml: string;
  authors: Array<{ name: string }>;
};
type Answer = { data: Hit[]; total: number; page: number; nextPage: number | null; query: string; suggestion: string | null };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: Content API search`, { skip }, () => {
    let site: ApiTestSite;
    const search = async (qs: string) => {
      const res = await site.call('GET', `/api/v1/search?${qs}`);
      assert.equal(res.statusCode, 200, res.body);
      return JSON.parse(res.body) as Answer;
    };

    before(async () => {
      site = await createApiTestSite(dialect);
      const { world, sport, reporter } = site.taxonomy;
      await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: world.id,
          headline: 'Lighthouse keepers return',
          authorIds: [reporter.id],
          body: paragraphs('The old lighthouse on the cape has keepers again <b>at last</b>.'),
          publishedAt: hoursAgo(3),
        }),
      );
      await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: sport.id,
          headline: 'Regatta passes the cape',
          body: paragraphs('Boats rounded the lighthouse at dawn.'),
          publishedAt: hoursAgo(1),
        }),
      );
      await createArticle(
        site.deps,
        buildArticleInput({ sectionId: world.id, headline: 'Lighthouse draft', status: 'draft', publishedAt: undefined }),
      );
    });
    after(async () => site?.close());

    it('ranks a headline match first, with scores, bylines and an escaped snippet', async () => {
      const answer = await search('q=lighthouse');
      assert.deepEqual(
        answer.data.map((h) => h.headline),
        ['Lighthouse keepers return', 'Regatta passes the cape'],
      );
      assert.ok(answer.data[0]!.score > answer.data[1]!.score);
      assert.equal(answer.total, 2);
      assert.match(answer.data[0]!.url, new RegExp(`^${SITE_URL}/world/`));
      assert.equal(answer.data[0]!.authors[0]?.name, 'Sudesh Baniya');
      assert.match(answer.data[0]!.snippetHtml, /<mark>lighthouse<\/mark>/);
      assert.match(answer.data[0]!.snippetHtml, /&lt;b&gt;at last&lt;\/b&gt;/);
      assert.match(answer.data[0]!.snippet, /<b>at last<\/b>/, 'the plain snippet is the text as written');
    });

    it('applies filters and sort, and pages', async () => {
      assert.deepEqual(
        (await search('q=lighthouse&section=sport')).data.map((h) => h.headline),
        ['Regatta passes the cape'],
      );
      assert.deepEqual(
        (await search('q=lighthouse&sort=newest')).data.map((h) => h.headline),
        ['Regatta passes the cape', 'Lighthouse keepers return'],
      );
      assert.deepEqual(
        (await search('q=lighthouse&author=sudesh-baniya')).data.map((h) => h.headline),
        ['Lighthouse keepers return'],
      );
      assert.deepEqual((await search('q=lighthouse&section=no-such-section')).data, []);
      const first = await search('q=lighthouse&limit=1');
      assert.deepEqual([first.data.length, first.nextPage], [1, 2]);
      const second = await search('q=lighthouse&limit=1&page=2');
      assert.deepEqual([second.data[0]?.headline, second.nextPage], ['Regatta passes the cape', null]);
    });

    it('never returns what readers cannot see', async () => {
      const regatta = (await search('q=regatta')).data[0]!;
      const admin = { userId: site.admin.id, role: 'admin' as const };
      await runWorkflowAction(site.deps, regatta.id, { type: 'unpublish' }, admin);
      assert.deepEqual((await search('q=regatta')).data, []);
      assert.deepEqual(
        (await search('q=draft')).data.map((h) => h.headline),
        [],
      );
      await runWorkflowAction(site.deps, regatta.id, { type: 'republish' }, admin);
      assert.equal((await search('q=regatta')).data.length, 1);
    });

    it('suggests a spelling when nothing matched, from published stories only', async () => {
      const misspelt = await search('q=lighthuose+keepers');
      assert.deepEqual([misspelt.data, misspelt.suggestion], [[], 'lighthouse keepers']);
      assert.equal((await search('q=lighthouse')).suggestion, null, 'nothing to correct');
      // "draft" is only in the draft's headline: never offered.
      assert.equal((await search('q=drafft')).suggestion, null);
    });

    it('refuses bad queries with a 400 envelope naming the problem', async () => {
      const cases: Array<[string, string]> = [
        ['', 'query.q'],
        ['q=', 'query.q'],
        [`q=${'a'.repeat(201)}`, 'q'],
        [`q=${Array.from({ length: 13 }, (_, i) => `w${i}`).join('+')}`, 'q'],
        ['q=-lighthouse', 'q'],
        ['q=a&limit=51', 'query.limit'],
        ['q=a&sort=random', 'query.sort'],
        ['q=a&from=yesterday', 'query.from'],
        ['q=a&unknown=1', 'query'],
      ];
      for (const [qs, field] of cases) {
        const res = await site.call('GET', `/api/v1/search?${qs}`);
        assert.equal(res.statusCode, 400, `${qs}: ${res.body}`);
        const error = apiError(res);
        assert.equal(error.code, 'validation_failed', qs);
        assert.ok(JSON.stringify(error).includes(field), `${qs}: ${JSON.stringify(error)}`);
      }
      for (const hostile of ['%22', 'NEAR(a+b)', '*', 'a%3Ab%3Ac', '%00']) {
        assert.equal((await site.call('GET', `/api/v1/search?q=${hostile}`)).statusCode, 200, hostile);
      }
    });
  });
}
