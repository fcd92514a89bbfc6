import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createArticle } from '../domain/articles/article-service.ts';
import { publishVisibilityStarts } from '../domain/changes/story-visibility-start.ts';
import type { Article } from '../domain/articles/article.ts';
import { buildArticleInput, FIXED_NOW, hoursAgo, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { apiError, createApiTestSite, SITE_URL, type ApiTestSite } from '../../test/support/api-test-support.ts';

type Json = Record<string, unknown>;
const hoursAhead = (h: number) => new Date(FIXED_NOW.getTime() + h * 3_600_000).toISOString();

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: Content API`, { skip }, () => {
    let site: ApiTestSite;
    let published: Article[];
    let draft: Article;
    let future: Article;
    let embargoed: Article;

    before(async () => {
      site = await createApiTestSite(dialect);
      const { world, sport, reporter, tags } = site.taxonomy;
      const deps = site.deps;
      published = [];
      // Five public stories, newest first: 1h, 2h … 5h ago.
      for (let n = 1; n <= 5; n++) {
        published.push(
          await createArticle(
            deps,
            buildArticleInput({
              sectionId: n % 2 ? world.id : sport.id,
              headline: `Story ${n}`,
              publishedAt: hoursAgo(n),
              tagIds: n <= 2 ? [tags.russia.id] : [],
              authorIds: n === 3 ? [reporter.id] : [],
              language: n === 5 ? 'fr' : 'en',
              body: paragraphs(`Body of story ${n} <script>alert(1)</script>`),
            }),
          ),
        );
      }
      draft = await createArticle(
        deps,
        buildArticleInput({ sectionId: world.id, headline: 'Secret draft', status: 'draft', publishedAt: null }),
      );
      future = await createArticle(deps, buildArticleInput({ sectionId: world.id, headline: 'Not yet', publishedAt: hoursAhead(3) }));
      // An import that broke the publication invariant: published, but the embargo still holds.
      embargoed = await createArticle(deps, buildArticleInput({ sectionId: world.id, headline: 'Embargoed', publishedAt: hoursAgo(0.5) }));
      await deps.db
        .updateTable('articles')
        .set({ embargo_until: hoursAhead(2) })
        .where('id', '=', embargoed.id)
        .execute();
    });
    after(() => site?.close());

    const list = async (query = '') => {
      const res = await site.call('GET', `/api/v1/articles${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return JSON.parse(res.body) as { data: Json[]; nextCursor: string | null };
    };

    it('lists only public stories, newest first: drafts, future and embargoed stories never appear', async () => {
      const body = await list();
      assert.deepEqual(
        body.data.map((a) => a.headline),
        ['Story 1', 'Story 2', 'Story 3', 'Story 4', 'Story 5'],
      );
      assert.equal(body.nextCursor, null);
      for (const hidden of [draft, future, embargoed]) {
        const res = await site.call('GET', `/api/v1/articles/${hidden.id}`);
        assert.equal(res.statusCode, 404, hidden.headline);
        assert.equal(apiError(res).code, 'not_found');
      }
      // Once its time comes, the future story appears.
      const later = new Date(FIXED_NOW.getTime() + 4 * 3_600_000);
      site.setNow(later);
      // What the publishing scheduler's tick does when those times pass (no write happens then).
      await publishVisibilityStarts(site.deps, FIXED_NOW.toISOString(), later.toISOString());
      try {
        assert.ok((await list()).data.some((a) => a.headline === 'Not yet'));
        assert.ok((await list()).data.some((a) => a.headline === 'Embargoed'));
      } finally {
        site.setNow(FIXED_NOW);
      }
    });

    it('gives the article with document, escaped HTML, section, authors, tags and absolute URLs', async () => {
      const story = published[2]!;
      const res = await site.call('GET', `/api/v1/articles/${story.id}`);
      assert.equal(res.statusCode, 200);
      const a = (JSON.parse(res.body) as { data: Json }).data;
      assert.equal(a.url, `${SITE_URL}/world/${story.slug}`);
      assert.deepEqual(a.section, { id: site.taxonomy.world.id, slug: 'world', name: 'World', url: `${SITE_URL}/world` });
      assert.deepEqual(
        (a.authors as Json[]).map((x) => x.name),
        ['Sudesh Baniya'],
      );
      assert.deepEqual(a.body, story.body);
      assert.equal(a.bodyHtml, '<p>Body of story 3 &lt;script&gt;alert(1)&lt;/script&gt;</p>');
      assert.equal(a.hero, null);
      assert.ok(!('status' in a), 'no editorial fields on the public API');
    });

    it('filters by section, tag, author, language and updatedSince', async () => {
      const headlines = async (q: string) => (await list(q)).data.map((a) => a.headline);
      assert.deepEqual(await headlines('?section=sport'), ['Story 2', 'Story 4']);
      assert.deepEqual(await headlines('?tag=russia'), ['Story 1', 'Story 2']);
      assert.deepEqual(await headlines('?author=sudesh-baniya'), ['Story 3']);
      assert.deepEqual(await headlines('?language=fr'), ['Story 5']);
      assert.deepEqual(await headlines('?section=world&tag=russia'), ['Story 1']);
      assert.deepEqual(await headlines('?section=no-such-section'), []);
      // Created at FIXED_NOW, so all changed "now"; a later time matches none.
      assert.equal((await headlines(`?updatedSince=${encodeURIComponent(hoursAgo(1))}`)).length, 5);
      assert.deepEqual(await headlines(`?updatedSince=${encodeURIComponent(hoursAhead(1))}`), []);
      const bad = await site.call('GET', '/api/v1/articles?updatedSince=yesterday');
      assert.equal(bad.statusCode, 400);
      assert.equal(apiError(bad).field, 'query.updatedSince');
    });

    it('pages with an opaque keyset cursor and refuses a forged one', async () => {
      const first = await list('?limit=2');
      assert.deepEqual(
        first.data.map((a) => a.headline),
        ['Story 1', 'Story 2'],
      );
      assert.ok(first.nextCursor);
      const second = await list(`?limit=2&cursor=${first.nextCursor}`);
      assert.deepEqual(
        second.data.map((a) => a.headline),
        ['Story 3', 'Story 4'],
      );
      const third = await list(`?limit=2&cursor=${second.nextCursor}`);
      assert.deepEqual(
        third.data.map((a) => a.headline),
        ['Story 5'],
      );
      assert.equal(third.nextCursor, null);
      const forged = await site.call('GET', '/api/v1/articles?cursor=not-a-cursor-at-all');
      assert.equal(forged.statusCode, 400);
      assert.equal(apiError(forged).field, 'query.cursor');
      const tooMany = await site.call('GET', '/api/v1/articles?limit=1000');
      assert.equal(apiError(tooMany).field, 'query.limit');
    });

    it('returns only the selected fields and names unknown ones', async () => {
      const body = await list('?fields=id,headline&limit=1');
      assert.deepEqual(Object.keys(body.data[0]!).sort(), ['headline', 'id']);
      const one = await site.call('GET', `/api/v1/articles/${published[0]!.id}?fields=url`);
      assert.deepEqual(JSON.parse(one.body), { data: { url: `${SITE_URL}/world/${published[0]!.slug}` } });
      const bad = await site.call('GET', '/api/v1/articles?fields=id,password');
      assert.equal(bad.statusCode, 400);
      const err = apiError(bad);
      assert.equal(err.field, 'query.fields');
      assert.match(err.message, /unknown field password/);
    });

    it('sends ETag and cache-control, and 304 for a current If-None-Match', async () => {
      const res = await site.call('GET', '/api/v1/articles?limit=3');
      assert.equal(res.headers['cache-control'], 'public, max-age=60, s-maxage=600, stale-while-revalidate=60, stale-if-error=86400');
      const etag = res.headers.etag as string;
      assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
      const again = await site.call('GET', '/api/v1/articles?limit=3', { headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      assert.equal((await site.call('GET', '/api/v1/articles?limit=3', { headers: { 'if-none-match': `W/${etag}` } })).statusCode, 304);
      // A different page has a different tag.
      const other = await site.call('GET', '/api/v1/articles?limit=2', { headers: { 'if-none-match': etag } });
      assert.equal(other.statusCode, 200);
      for (const url of ['/api/v1/sections', '/api/v1/tags', '/api/v1/authors']) {
        const r = await site.call('GET', url);
        assert.equal(r.statusCode, 200, url);
        assert.ok(r.headers.etag, url);
        assert.equal((await site.call('GET', url, { headers: { 'if-none-match': r.headers.etag as string } })).statusCode, 304, url);
      }
    });

    it('lists sections, tags (paged by slug) and authors with public URLs', async () => {
      const sections = JSON.parse((await site.call('GET', '/api/v1/sections')).body) as { data: Json[] };
      assert.deepEqual(
        sections.data.map((s) => s.slug),
        ['world', 'europe', 'sport'],
      );
      const tags = JSON.parse((await site.call('GET', '/api/v1/tags?limit=3')).body) as { data: Json[]; nextCursor: string };
      assert.deepEqual(
        tags.data.map((t) => t.slug),
        ['diplomacy', 'football', 'military'],
      );
      const rest = JSON.parse((await site.call('GET', `/api/v1/tags?limit=3&cursor=${tags.nextCursor}`)).body) as {
        data: Json[];
        nextCursor: null;
      };
      assert.deepEqual(
        rest.data.map((t) => t.url),
        [`${SITE_URL}/tags/russia`],
      );
      assert.equal(rest.nextCursor, null);
      const authors = JSON.parse((await site.call('GET', '/api/v1/authors')).body) as { data: Json[] };
      assert.deepEqual(
        authors.data.map((a) => a.url),
        [`${SITE_URL}/authors/amira-haddad`, `${SITE_URL}/authors/sudesh-baniya`],
      );
    });
  });

  describe(`${dialect}: Content API with MASTHEAD_CONTENT_API=token`, { skip }, () => {
    let site: ApiTestSite;
    before(async () => {
      site = await createApiTestSite(dialect, { MASTHEAD_CONTENT_API: 'token' });
    });
    after(() => site?.close());

    it('needs a valid token of any role, and answers privately cacheable', async () => {
      const anonymous = await site.call('GET', '/api/v1/articles');
      assert.equal(anonymous.statusCode, 401);
      assert.equal(apiError(anonymous).code, 'unauthorized');
      assert.match(anonymous.headers['www-authenticate'] as string, /^Bearer/);
      const wrong = await site.call('GET', '/api/v1/articles', { token: `mh_${'x'.repeat(43)}` });
      assert.equal(wrong.statusCode, 401);
      const token = await site.token('contributor');
      const ok = await site.call('GET', '/api/v1/sections', { token });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.headers['cache-control'], 'private, max-age=60');
    });
  });
}
