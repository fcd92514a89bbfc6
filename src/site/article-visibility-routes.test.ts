import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildArticleInput, FIXED_NOW, hoursAgo, seedTaxonomy } from '../../test/support/factories.ts';
import { NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, TEST_SITE_URL, type TestSite } from '../../test/support/test-site.ts';
import { createArticle, updateArticle } from '../domain/articles/article-service.ts';
import type { Article } from '../domain/articles/article.ts';

/*
 * One rule decides whether readers see a story (article-visibility.ts). This walks every
 * public surface for a story whose embargo was set after it was published (the services
 * refuse that state; an import or a hand edit of the database can still produce it):
 * hidden everywhere while the embargo holds, back everywhere once it has passed.
 */

const HEADLINE = 'Ministers agree the budget deal';
const hoursFromNow = (h: number) => new Date(FIXED_NOW.getTime() + h * 3_600_000).toISOString();

type Seen = 'visible' | 'hidden' | `unexpected: ${string}`;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: a story under embargo is hidden from readers everywhere`, { skip }, () => {
    let site: TestSite;
    let now = FIXED_NOW;
    let story: Article;
    let neighbour: Article;
    let reader: NewsroomClient;
    let posts = 0;
    const OLD_PATH = '/europe/budget-talks-begin';
    const PATH = '/europe/budget-deal-agreed';
    const get = (url: string) => site.app.inject({ method: 'GET', url });
    /** Whether a listing (page, feed, sitemap, API answer) names the story. */
    const listed = async (url: string): Promise<Seen> => {
      const res = await get(url);
      if (res.statusCode !== 200) return `unexpected: ${res.statusCode}`;
      return res.body.includes(PATH) || res.body.includes(HEADLINE) || res.body.includes(story.id) ? 'visible' : 'hidden';
    };
    /** 200 (or a 301 to the current path) when visible; a plain 404 when hidden, never a redirect. */
    const page = async (url: string, to: string): Promise<Seen> => {
      const res = await get(url);
      if (res.statusCode === 404) return 'hidden';
      if (res.statusCode === 200 && res.body.includes(HEADLINE)) return 'visible';
      if (res.statusCode === 301 && res.headers.location === to) return 'visible';
      return `unexpected: ${res.statusCode} ${res.headers.location ?? ''}`;
    };

    const surfaces: Record<string, () => Promise<Seen>> = {
      'article page': () => page(PATH, PATH),
      'article page, old path': () => page(OLD_PATH, PATH),
      'home front': () => listed('/'),
      'section front': () => listed('/europe'),
      'tag page': () => listed('/tags/diplomacy'),
      'author page': () => listed('/authors/amira-haddad'),
      'related stories of a neighbour': async () => {
        const res = await get(`/world/${neighbour.slug}`);
        assert.equal(res.statusCode, 200);
        return res.body.includes(PATH) ? 'visible' : 'hidden';
      },
      ...Object.fromEntries(
        ['', '/europe', '/tags/diplomacy', '/authors/amira-haddad'].flatMap((scope) =>
          ['feed.xml', 'feed.atom', 'feed.json'].map((file) => [`feed ${scope}/${file}`, () => listed(`${scope}/${file}`)]),
        ),
      ),
      'article sitemaps': async () => {
        const index = (await get('/sitemap.xml')).body;
        const pages = [...index.matchAll(/<loc>([^<]+\/sitemaps\/articles\/[^<]+)<\/loc>/g)].map((m) => m[1]!.slice(TEST_SITE_URL.length));
        const seen = await Promise.all(pages.map(listed));
        return seen.includes('visible') ? 'visible' : 'hidden';
      },
      // Sections are always listed; only their lastmod comes from their stories.
      'sections sitemap': async () => {
        const body = (await get('/sitemaps/sections.xml')).body;
        return body.includes(`<loc>${TEST_SITE_URL}/europe</loc><lastmod>`) ? 'visible' : 'hidden';
      },
      'tags sitemap': async () => ((await get('/sitemaps/tags.xml')).body.includes('/tags/diplomacy<') ? 'visible' : 'hidden'),
      'authors sitemap': async () => ((await get('/sitemaps/authors.xml')).body.includes('/authors/amira-haddad<') ? 'visible' : 'hidden'),
      'news sitemap': () => listed('/sitemap-news.xml'),
      'Content API list': () => listed('/api/v1/articles'),
      'Content API list by section': () => listed('/api/v1/articles?section=europe'),
      'Content API list by tag': () => listed('/api/v1/articles?tag=diplomacy'),
      'Content API list by author': () => listed('/api/v1/articles?author=amira-haddad'),
      'Content API by id': async () => {
        const res = await get(`/api/v1/articles/${story.id}`);
        return res.statusCode === 200 ? 'visible' : res.statusCode === 404 ? 'hidden' : `unexpected: ${res.statusCode}`;
      },
      'comment thread': () => page(`${PATH}/comments`, `${PATH}/comments`),
      'comment thread, old path': () => page(`${OLD_PATH}/comments`, `${PATH}/comments`),
      'comment form': async () => {
        const res = await reader.get(`/comments/write?article=${story.id}`);
        return res.statusCode === 200 ? 'visible' : res.statusCode === 403 ? 'hidden' : `unexpected: ${res.statusCode}`;
      },
      'comment session': async () =>
        (JSON.parse((await reader.get(`/comments/session?article=${story.id}`)).body) as { open: boolean }).open ? 'visible' : 'hidden',
      'comment posting': async () => {
        posts += 1;
        const csrfToken = (JSON.parse((await reader.get('/comments/session')).body) as { csrfToken: string }).csrfToken;
        const res = await reader.request('POST', '/comments', {
          _csrf: csrfToken,
          articleId: story.id,
          body: `Comment number ${posts} on the deal.`,
        });
        if (res.statusCode === 303 && res.headers.location?.startsWith(`${PATH}/comments?posted=published`)) return 'visible';
        return res.statusCode === 403 ? 'hidden' : `unexpected: ${res.statusCode} ${res.headers.location ?? ''}`;
      },
    };

    async function seenEverywhere(): Promise<Record<string, Seen>> {
      const seen: Record<string, Seen> = {};
      for (const [name, look] of Object.entries(surfaces)) seen[name] = await look();
      return seen;
    }
    const everywhere = (seen: Seen) => Object.fromEntries(Object.keys(surfaces).map((name) => [name, seen]));

    before(async () => {
      site = await createTestSite(dialect, { clock: () => now });
      const { deps } = site;
      const tax = await seedTaxonomy(deps);
      neighbour = await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Budget talks stall in the capital',
          tagIds: [tax.tags.russia.id],
          authorIds: [tax.reporter.id],
          publishedAt: hoursAgo(3),
        }),
      );
      // The story has the only link to Europe, Diplomacy and its author, so their listings depend on it alone.
      const input = buildArticleInput({
        sectionId: tax.europe.id,
        headline: HEADLINE,
        slug: 'budget-talks-begin',
        tagIds: [tax.tags.russia.id, tax.tags.diplomacy.id],
        authorIds: [tax.editor.id],
        publishedAt: hoursAgo(1),
      });
      const first = await createArticle(deps, input);
      // Renamed once, so an old path redirects to it.
      story = await updateArticle(deps, first.id, { ...input, slug: 'budget-deal-agreed' }, first.revision);
      reader = new NewsroomClient(site, '203.0.113.40');
      const signUp = await reader.submit('/comments/signup', '/comments/signup', {
        displayName: 'Vera Visible',
        email: 'vera@example.test',
        password: 'a long reader password',
      });
      assert.equal(signUp.statusCode, 303, signUp.body);
    });
    after(() => site?.close());

    it('is visible on every surface once published, hidden on every one while an embargo set afterwards holds, and back when it passes', async () => {
      assert.deepEqual(await seenEverywhere(), everywhere('visible'), 'published, no embargo');
      await site.deps.db
        .updateTable('articles')
        .set({ embargo_until: hoursFromNow(2) })
        .where('id', '=', story.id)
        .execute();
      assert.deepEqual(await seenEverywhere(), everywhere('hidden'), 'embargo holding');
      now = new Date(hoursFromNow(2));
      assert.deepEqual(await seenEverywhere(), everywhere('visible'), 'embargo ends: visible at the exact time');
      now = new Date(hoursFromNow(3));
      assert.deepEqual(await seenEverywhere(), everywhere('visible'), 'after the embargo');
    });
  });
}
