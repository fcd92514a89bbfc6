import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { Actor } from '../domain/accounts/role.ts';
import type { Article } from '../domain/articles/article.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { setLiveCoverage } from '../domain/live/live-coverage.ts';
import { createLiveEntry, deleteLiveEntry } from '../domain/live/live-entry-service.ts';
import { createSection, type Section } from '../domain/sections/section.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: a live blog's own feed`, { skip }, () => {
    let site: TestSite;
    let section: Section;
    let editor: Actor;
    let n = 0;

    before(async () => {
      site = await createTestSite(dialect, { pageCacheMb: 16 });
      section = await createSection(site.deps.db, { name: 'World' }, site.deps.clock());
      const staff = await seedStaff(site.deps, { editor: ['editor', 'Eda Editor'] });
      editor = { userId: staff.editor.id, role: 'editor' };
    });
    after(async () => site?.close());

    async function story(live: boolean, overrides: Partial<Parameters<typeof buildArticleInput>[0]> = {}): Promise<Article> {
      const s = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: section.id,
          headline: `Live storm ${++n}`,
          publishedAt: new Date(Date.now() - 3_600_000).toISOString(),
          ...overrides,
        }),
        { actor: editor },
      );
      return live ? setLiveCoverage(site.deps, editor, s.id, { live: true }, s.revision) : s;
    }
    const get = (url: string) => site.app.inject({ method: 'GET', url });
    const post = (s: Article, text: string, publish = true) =>
      createLiveEntry(site.deps, editor, s.id, { body: paragraphs(text), publish });

    it('carries the published entries as items (RSS, Atom, JSON Feed), newest first, each linking to its permalink', async () => {
      const s = await story(true);
      const path = `/world/${s.slug}`;
      const first = await post(s, 'Landfall near the coast & the harbour.');
      await post(s, 'A draft nobody sees.', false);
      const second = await post(s, 'Winds reach 150 km/h.');
      const rss = await get(`${path}/feed.xml`);
      assert.equal(rss.statusCode, 200);
      assert.match(String(rss.headers['content-type']), /^application\/rss\+xml/);
      const guids = [...rss.body.matchAll(/<guid isPermaLink="false">urn:uuid:([0-9a-f-]+)<\/guid>/g)].map((m) => m[1]);
      assert.deepEqual(guids, [second.id, first.id]);
      assert.match(rss.body, new RegExp(`<link>https?://[^<]+${path}\\?entry=${first.id}#entry-${first.id}</link>`));
      assert.match(rss.body, /<title>Landfall near the coast &amp; the harbour\.<\/title>/);
      assert.match(rss.body, new RegExp(`<title>${s.headline} \\(live\\) \\| `));
      assert.doesNotMatch(rss.body, /A draft nobody sees/);
      const atom = await get(`${path}/feed.atom`);
      assert.equal(atom.statusCode, 200);
      assert.equal([...atom.body.matchAll(/<entry>/g)].length, 2);
      const json = JSON.parse((await get(`${path}/feed.json`)).body) as { items: Array<{ id: string; url: string }> };
      assert.deepEqual(
        json.items.map((i) => i.id),
        [`urn:uuid:${second.id}`, `urn:uuid:${first.id}`],
      );
    });

    it('is linked from the page, and purged by the next entry and by a deletion', async () => {
      const s = await story(true);
      const path = `/world/${s.slug}`;
      const page = await get(path);
      assert.match(
        page.body,
        new RegExp(
          `<link rel="alternate" type="application/rss\\+xml" title="[^"]*live updates \\(RSS\\)" href="[^"]+${path}/feed\\.xml">`,
        ),
      );
      assert.match(page.body, new RegExp(`<a href="${path}/feed\\.xml" type="application/rss\\+xml">`));
      const first = await post(s, 'First.');
      assert.match((await get(`${path}/feed.xml`)).body, /<title>First\.<\/title>/);
      const again = await get(`${path}/feed.xml`);
      assert.equal(again.headers['x-page-cache'], 'hit', 'the feed is cached');
      await post(s, 'Second.');
      const after = await get(`${path}/feed.xml`);
      assert.match(after.body, /<title>Second\.<\/title>/, 'purged by the new entry');
      await deleteLiveEntry(site.deps, editor, first.id, first.revision);
      assert.doesNotMatch((await get(`${path}/feed.xml`)).body, /<title>First\.<\/title>/, 'purged by the deletion');
    });

    it('is 404 for a story that is not a live blog or not yet public', async () => {
      const plain = await story(false);
      const hidden = await story(true, { publishedAt: new Date(Date.now() + 3_600_000).toISOString() });
      for (const s of [plain, hidden]) {
        const res = await get(`/world/${s.slug}/feed.xml`);
        assert.equal(res.statusCode, 404, s.headline);
      }
      assert.equal((await get('/world/no-such-story/feed.atom')).statusCode, 404);
      // A plain story's page offers no live feed.
      assert.doesNotMatch((await get(`/world/${plain.slug}`)).body, new RegExp(`/world/${plain.slug}/feed\\.xml`));
    });
  });
}
