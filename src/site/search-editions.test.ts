import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DOMParser, parseHTML } from 'linkedom';
import { seedStaff } from '../../test/support/account-factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, TEST_SITE_URL, type TestSite } from '../../test/support/test-site.ts';
import { SEED_ARTICLE } from '../demo/demo-content.ts';
import { LOCALES } from '../render/i18n/locales.ts';
import { listEditionsAsAdmin, updateEditionAsAdmin } from '../domain/editions/edition-admin.ts';

/*
 * The public search under an edition's address: that edition's stories only, its interface
 * language and direction, and every link of the page (results, sections, bylines, the forms,
 * pagination, the OpenSearch description) kept inside the edition.
 */

const SEED = '/world/russia-executing-soldiers-not-following-orders-says-us';
const FR = '/fr/monde/russia-executing-soldiers-not-following-orders-says-us-fr';
const AR = '/ar/alam/russia-executing-soldiers-not-following-orders-says-us-ar';

const dom = (html: string) => parseHTML(html).document;
const resultLinks = (doc: Document) =>
  Array.from(doc.querySelectorAll('.search-result .teaser__title a')).map((a) => a.getAttribute('href'));

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: search per language edition`, { skip }, () => {
    let site: TestSite;
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 2, pageCacheMb: 16 });
    });
    after(() => site?.close());

    it('/fr/search finds the French edition’s stories, in French, with French links', async () => {
      const res = await get('/fr/search?q=Kirby');
      assert.equal(res.statusCode, 200);
      const doc = dom(res.body);
      assert.equal(doc.documentElement.getAttribute('lang'), 'fr');
      assert.deepEqual(resultLinks(doc), [FR]);
      assert.equal(doc.querySelector('.search-count')?.textContent, LOCALES.fr.catalog['search.one']);
      assert.equal(doc.querySelector('.search-result .teaser__kicker a')?.getAttribute('href'), '/fr/monde');
      assert.equal(doc.querySelector('.search-result .teaser__kicker a')?.textContent, 'Monde');
      for (const a of doc.querySelectorAll('.search-result__byline a')) assert.match(a.getAttribute('href')!, /^\/fr\/authors\//);
      assert.equal(doc.querySelector('form.search-form')?.getAttribute('action'), '/fr/search');
      assert.equal(doc.querySelector('.search-form button')?.textContent, LOCALES.fr.catalog['search.button']);
      assert.equal(doc.querySelector('link[rel="search"]')?.getAttribute('href'), '/fr/opensearch.xml');
      assert.ok(!res.body.includes(SEED_ARTICLE.headline), 'no English story');
    });

    it('/ar/search is Arabic, right to left, with the Arabic story only', async () => {
      const res = await get(`/ar/search?q=${encodeURIComponent('كيربي')}`);
      assert.equal(res.statusCode, 200);
      const doc = dom(res.body);
      assert.equal(doc.documentElement.getAttribute('lang'), 'ar');
      assert.equal(doc.documentElement.getAttribute('dir'), 'rtl');
      assert.equal(doc.querySelector('h1')?.textContent?.startsWith(String(LOCALES.ar.catalog['search.heading']).split('{')[0]!), true);
      assert.deepEqual(resultLinks(doc), [AR]);
      assert.equal(doc.querySelector('.search-result .teaser__kicker a')?.getAttribute('href'), '/ar/alam');
      const empty = dom((await get('/ar/search?q=xylophonistes')).body);
      const recent = Array.from(empty.querySelectorAll('.search-empty .teaser__title a')).map((a) => a.getAttribute('href'));
      assert.deepEqual(recent, [AR], 'the "latest" offered when nothing matched are the edition’s');
    });

    it('the default edition’s search keeps its stories and addresses', async () => {
      const res = await get('/search?q=Kirby');
      const doc = dom(res.body);
      assert.equal(doc.documentElement.getAttribute('lang'), 'en');
      const links = resultLinks(doc);
      assert.ok(links.includes(SEED), links.join(' '));
      assert.ok(!links.includes(FR) && !links.some((l) => l?.includes('-fr')), 'no French story on the English search');
      assert.equal(doc.querySelector('form.search-form')?.getAttribute('action'), '/search');
    });

    it('the header search box of an edition’s pages leads to that edition’s search', async () => {
      for (const [path, action] of [
        ['/fr/', '/fr/search'],
        [FR, '/fr/search'],
        ['/ar/alam', '/ar/search'],
        ['/', '/search'],
        [SEED, '/search'],
      ] as const) {
        const res = await get(path);
        assert.equal(res.statusCode, 200, path);
        assert.equal(dom(res.body).querySelector('form.masthead__search')?.getAttribute('action'), action, path);
      }
    });

    it('keeps pagination and refinement links inside the edition, and cached pages apart', async () => {
      const fr = await get('/fr/search?q=xylophonistes');
      const doc = dom(fr.body);
      const recent = Array.from(doc.querySelectorAll('.search-empty .teaser__title a')).map((a) => a.getAttribute('href'));
      assert.deepEqual(recent, [FR]);
      const filtered = dom((await get('/fr/search?q=xylophonistes&section=world')).body);
      const without = filtered.querySelector('.search-empty li a')?.getAttribute('href');
      assert.equal(without, '/fr/search?q=xylophonistes');
      // The same query under two editions: two pages, not one cached for both.
      const [en1, fr1] = [await get('/search?q=Kirby'), await get('/fr/search?q=Kirby')];
      assert.notEqual(en1.body, fr1.body);
      assert.equal((await get('/fr/search?q=Kirby')).headers['x-page-cache'], 'hit');
      assert.deepEqual(resultLinks(dom((await get('/fr/search?q=Kirby')).body)), [FR]);
    });

    it('offers a language filter only where it can narrow the search: not in a one-language edition; never another edition’s language', async () => {
      const languages = (doc: Document) =>
        Array.from(doc.querySelectorAll('select[name="language"] option')).map((o) => o.getAttribute('value'));
      for (const path of ['/fr/search?q=Kirby', '/ar/search', '/fr/search?q=zzzzqqq']) {
        assert.equal(dom((await get(path)).body).querySelector('select[name="language"]'), null, path);
      }
      // A language in the address of a one-language edition is no filter: it still finds the edition's stories.
      const stale = dom((await get('/fr/search?q=Kirby&language=en')).body);
      assert.deepEqual(resultLinks(stale), [FR]);
      assert.equal(stale.querySelector('a[href*="language="]'), null, 'no link carries the ignored language');
      // The default edition lists every language no edition claims: French and Arabic are not offered there.
      const offered = languages(dom((await get('/search?q=Kirby')).body));
      assert.equal(offered[0], '', 'any language first');
      assert.ok(offered.includes('en') && offered.includes('de'), offered.join());
      assert.ok(!offered.includes('fr') && !offered.includes('ar'), offered.join());
    });

    it('offers each edition’s search in its OpenSearch description', async () => {
      const res = await get('/fr/opensearch.xml');
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.includes(`template="${TEST_SITE_URL}/fr/search?q={searchTerms}"`), res.body);
      assert.ok((await get('/opensearch.xml')).body.includes(`template="${TEST_SITE_URL}/search?q={searchTerms}"`));
    });

    it('each edition has its own OpenSearch description (site name, language, encoding, search page), linked from its pages', async () => {
      const { admin } = await seedStaff(site.deps, { admin: ['admin'] });
      const actor = { userId: admin.id, role: admin.role };
      const fr = (await listEditionsAsAdmin(site.deps, actor)).find((e) => e.code === 'fr')!;
      const { id: _, ...input } = fr;
      await updateEditionAsAdmin(site.deps, actor, fr.id, { ...input, siteName: 'Masthead Actu', pathPrefix: 'fr', host: '' });
      const description = async (path: string) => {
        const res = await get(path);
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^application\/opensearchdescription\+xml/);
        const doc = new DOMParser().parseFromString(res.body, 'text/xml');
        const text = (tag: string) => doc.querySelector(tag)?.textContent;
        const template = doc.querySelector('Url[type="text/html"]')?.getAttribute('template');
        return {
          short: text('ShortName'),
          about: text('Description'),
          language: text('Language'),
          encoding: text('InputEncoding'),
          template,
        };
      };
      assert.deepEqual(await description('/fr/opensearch.xml'), {
        short: 'Masthead Actu',
        about: LOCALES.fr.catalog['search.description']!.replace('{siteName}', 'Masthead Actu'),
        language: 'fr',
        encoding: 'UTF-8',
        template: `${TEST_SITE_URL}/fr/search?q={searchTerms}`,
      });
      assert.deepEqual(await description('/ar/opensearch.xml'), {
        short: site.deps.config.siteName.slice(0, 16),
        about: LOCALES.ar.catalog['search.description']!.replace('{siteName}', site.deps.config.siteName),
        language: 'ar',
        encoding: 'UTF-8',
        template: `${TEST_SITE_URL}/ar/search?q={searchTerms}`,
      });
      assert.equal((await description('/opensearch.xml')).language, 'en');
      // Every page of an edition points at its own description, under its own name.
      for (const [page, href, title] of [
        ['/fr/', '/fr/opensearch.xml', 'Masthead Actu'],
        [FR, '/fr/opensearch.xml', 'Masthead Actu'],
        ['/ar/alam', '/ar/opensearch.xml', site.deps.config.siteName],
        [SEED, '/opensearch.xml', site.deps.config.siteName],
      ]) {
        const link = dom((await get(page!)).body).querySelector('link[rel="search"]');
        assert.equal(link?.getAttribute('type'), 'application/opensearchdescription+xml', page);
        assert.equal(link?.getAttribute('href'), href, page);
        assert.equal(link?.getAttribute('title'), title, page);
      }
    });
  });
}
