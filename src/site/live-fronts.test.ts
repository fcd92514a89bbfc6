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
import { createLiveEntry } from '../domain/live/live-entry-service.ts';
import { createSection, type Section } from '../domain/sections/section.ts';

/** The teaser of the story at `path` on a front page. */
function teaserOf(body: string, path: string): string {
  const at = body.indexOf(`<a href="${path}"`);
  assert.ok(at >= 0, `a teaser links to ${path}`);
  const start = body.lastIndexOf('<article class="teaser', at);
  return body.slice(start, body.indexOf('</article>', at));
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: a live blog's teaser on fronts`, { skip }, () => {
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

    async function story(): Promise<Article> {
      return createArticle(
        site.deps,
        buildArticleInput({
          sectionId: section.id,
          headline: `Storm story ${++n}`,
          publishedAt: new Date(Date.now() - 60_000 * n).toISOString(),
        }),
        { actor: editor },
      );
    }
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    it('says "Live" in the link text and shows the newest entry while coverage is on; an entry purges the front', async () => {
      const s = await story();
      const path = `/world/${s.slug}`;
      assert.doesNotMatch(teaserOf((await get('/')).body, path), /teaser__live/, 'an ordinary story is not live');
      await setLiveCoverage(site.deps, editor, s.id, { live: true }, s.revision);
      let home = teaserOf((await get('/')).body, path);
      assert.match(home, /<span class="teaser__live">Live<span class="visually-hidden">:<\/span><\/span> <bdi>Storm story/);
      assert.doesNotMatch(home, /teaser__live-latest/, 'no entry yet');
      await createLiveEntry(site.deps, editor, s.id, { body: paragraphs('Landfall near the coast.'), publish: true });
      assert.equal((await get('/')).headers['x-page-cache'], 'miss', 'the entry purged the cached front');
      home = teaserOf((await get('/')).body, path);
      assert.match(
        home,
        /class="teaser__live-latest"><span class="visually-hidden">Latest update, <\/span><time datetime="[^"]+">[^<]+<\/time> <bdi>Landfall near the coast\.<\/bdi><\/p>/,
      );
      assert.equal((await get('/')).headers['x-page-cache'], 'hit');
      // A draft entry changes nothing readers see.
      await createLiveEntry(site.deps, editor, s.id, { body: paragraphs('Draft words.') });
      await createLiveEntry(site.deps, editor, s.id, { body: paragraphs('Winds reach 150 km/h.'), publish: true });
      const sectionFront = teaserOf((await get('/world')).body, path);
      assert.match(sectionFront, /Winds reach 150 km\/h\./);
      assert.doesNotMatch(sectionFront, /Draft words/);
    });

    it('stops being live once coverage ends', async () => {
      const s = await story();
      const live = await setLiveCoverage(
        site.deps,
        editor,
        s.id,
        { live: true, startAt: new Date(Date.now() - 3_600_000).toISOString() },
        s.revision,
      );
      await createLiveEntry(site.deps, editor, s.id, { body: paragraphs('Still going.'), publish: true });
      assert.match(teaserOf((await get('/world')).body, `/world/${s.slug}`), /teaser__live/);
      await setLiveCoverage(
        site.deps,
        editor,
        s.id,
        { live: true, startAt: live.live!.startAt, endAt: new Date(Date.now() - 1000).toISOString() },
        live.revision,
      );
      const after = teaserOf((await get('/world')).body, `/world/${s.slug}`);
      assert.doesNotMatch(after, /teaser__live/);
    });
  });
}
