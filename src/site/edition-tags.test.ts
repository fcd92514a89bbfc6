import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { seedStaff } from '../../test/support/account-factories.ts';
import { signedInClient, TEST_ORIGIN, csrfFrom, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { findTagBySlug } from '../domain/tags/tag.ts';
import { LOCALES } from '../render/i18n/locales.ts';

const FR_STORY = '/fr/monde/russia-executing-soldiers-not-following-orders-says-us-fr';
const AR_STORY = '/ar/alam/russia-executing-soldiers-not-following-orders-says-us-ar';
const EN_STORY = '/world/russia-executing-soldiers-not-following-orders-says-us';

const dom = (body: string) => parseHTML(body).document;
const tagList = (body: string) => Array.from(dom(body).querySelectorAll('.article__tags a')).map((a) => a.textContent);
const keywords = (body: string): string[] => {
  const ld = Array.from(dom(body).querySelectorAll('script[type="application/ld+json"]')).map((s) => JSON.parse(s.textContent!));
  const article = ld.flatMap((d) => (Array.isArray(d['@graph']) ? d['@graph'] : [d])).find((d) => d.keywords);
  return article?.keywords ?? [];
};

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: tag names per edition`, { skip }, () => {
    let site: TestSite;
    let editor: NewsroomClient;
    let tagId: string;
    let editionIds: Record<string, string>;
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    /** Posts the tag's edition-names form (repeated fields) as the editor. */
    const saveNames = async (names: Record<string, string>) => {
      const csrf = csrfFrom((await editor.get(`/newsroom/tags/${tagId}`)).body);
      const form = new URLSearchParams({ _csrf: csrf });
      for (const [code, name] of Object.entries(names)) {
        form.append('editionId', editionIds[code]!);
        form.append('editionName', name);
      }
      return editor.send(
        'POST',
        `/newsroom/tags/${tagId}/editions`,
        { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_ORIGIN },
        form.toString(),
      );
    };

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 0 });
      const staff = await seedStaff(site.deps, { editor: ['editor'] });
      editor = await signedInClient(site, staff.editor);
      tagId = (await findTagBySlug(site.deps.db, 'russia'))!.id;
      const rows = await site.deps.db.selectFrom('editions').select(['id', 'code']).execute();
      editionIds = Object.fromEntries(rows.map((r) => [r.code, r.id]));
    });
    after(() => site?.close());

    it('the newsroom tag page offers a name for each edition but the default', async () => {
      const page = dom((await editor.get(`/newsroom/tags/${tagId}`)).body);
      const inputs = Array.from(page.querySelectorAll('input[name="editionName"]'));
      assert.deepEqual(
        inputs.map((i) => [i.getAttribute('lang'), i.getAttribute('dir'), i.getAttribute('placeholder')]),
        [
          ['fr', 'ltr', 'Russia'],
          ['ar', 'rtl', 'Russia'],
        ],
      );
    });

    it("an edition's tag page, story tags, JSON-LD keywords and feeds show its name; others keep the tag's own", async () => {
      // Read once before: the pages are cached, and saving the names must drop them.
      const frBefore = await get(FR_STORY);
      assert.equal(frBefore.statusCode, 200);
      assert.ok(tagList(frBefore.body).includes('Russia'), 'the French story carries the tag under its own name');
      assert.equal(dom((await get('/fr/tags/russia')).body).querySelector('h1')?.textContent, 'Russia');

      const saved = await saveNames({ fr: 'Russie', ar: '' });
      assert.equal(saved.statusCode, 303);

      const fr = await get(FR_STORY);
      assert.ok(tagList(fr.body).includes('Russie'));
      assert.ok(!tagList(fr.body).includes('Russia'));
      assert.ok(keywords(fr.body).includes('Russie'));
      assert.ok(!keywords(fr.body).includes('Russia'));
      const frTag = dom((await get('/fr/tags/russia')).body);
      assert.equal(frTag.querySelector('h1')?.textContent, 'Russie');
      assert.match(frTag.querySelector('title')?.textContent ?? '', /Russie/);

      const rss = (await get('/fr/tags/russia/feed.xml')).body;
      assert.match(rss, /<title>[^<]*Russie[^<]*<\/title>/, 'the tag feed is titled with the edition’s name');
      assert.match(rss, />Russie<\/category>/);
      const about = LOCALES.fr.catalog['feed.tag']!.replace('{name}', 'Russie').replace('{siteName}', site.deps.config.siteName);
      assert.ok(rss.includes(`<description>${about}</description>`), 'described in French, with the French name');
      assert.doesNotMatch(rss, />Russia<\/category>/);
      const siteFeed = (await get('/fr/feed.json')).body;
      assert.ok(siteFeed.includes('"Russie"'));

      // No name set for Arabic, and English is the tag's own: both show "Russia".
      assert.ok(tagList((await get(AR_STORY)).body).includes('Russia'));
      assert.ok(tagList((await get(EN_STORY)).body).includes('Russia'));
      assert.equal(dom((await get('/tags/russia')).body).querySelector('h1')?.textContent, 'Russia');
      assert.doesNotMatch((await get('/tags/russia/feed.xml')).body, /Russie/);
    });

    it('an empty name returns the edition to the tag’s own; unknown editions and other roles are refused', async () => {
      assert.equal((await saveNames({ fr: '' })).statusCode, 303);
      assert.ok(tagList((await get(FR_STORY)).body).includes('Russia'));
      const rows = await site.deps.db.selectFrom('tag_editions').selectAll().where('tag_id', '=', tagId).execute();
      assert.deepEqual(rows, []);
      editionIds.xx = editionIds.en!; // the default edition has no name of its own here
      assert.equal((await saveNames({ xx: 'Russland' })).statusCode, 400);
      const audit = await site.deps.db.selectFrom('audit_log').select('action').where('subject_id', '=', tagId).execute();
      assert.equal(audit.filter((a) => a.action === 'tag.edition_names').length, 2);
    });
  });
}
