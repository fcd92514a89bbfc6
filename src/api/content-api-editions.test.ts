import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { apiError } from '../../test/support/api-test-support.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, TEST_SITE_URL, type TestSite } from '../../test/support/test-site.ts';
import { SEED_ARTICLE } from '../demo/demo-content.ts';
import { SEED_TRANSLATIONS } from '../demo/demo-editions.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';

type Json = Record<string, unknown>;
type Translation = { id: string; language: string; edition: string; headline: string; url: string };

const SEED = '/world/russia-executing-soldiers-not-following-orders-says-us';
const FR = '/fr/monde/russia-executing-soldiers-not-following-orders-says-us-fr';
const AR = '/ar/alam/russia-executing-soldiers-not-following-orders-says-us-ar';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the Content API and language editions`, { skip }, () => {
    let site: TestSite;
    const get = async (url: string) => site.app.inject({ method: 'GET', url });
    const json = async (url: string) => {
      const res = await get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      return JSON.parse(res.body) as { data: Json[] };
    };

    before(async () => {
      // The demo: English (default), French under /fr/ and Arabic under /ar/, the seed story in all three.
      // With a page cache: the answers that list a translation must be dropped when it is withdrawn.
      site = await createTestSite(dialect, { demo: true, generated: 4, pageCacheMb: 16 });
    });
    after(() => site?.close());

    it('lists one edition’s stories with edition=, as its front does', async () => {
      const fr = await json('/api/v1/articles?edition=fr&limit=100');
      assert.deepEqual(
        fr.data.map((a) => a.headline),
        [SEED_TRANSLATIONS.fr.headline],
      );
      const ar = await json('/api/v1/articles?edition=ar&limit=100');
      assert.deepEqual(
        ar.data.map((a) => a.language),
        ['ar'],
      );
      const en = await json('/api/v1/articles?edition=en&limit=100');
      assert.ok(en.data.length > 1);
      assert.ok(en.data.some((a) => a.headline === SEED_ARTICLE.headline));
      assert.ok(
        en.data.every((a) => a.language !== 'fr' && a.language !== 'ar'),
        'the default edition lists no other edition’s stories',
      );
      const all = await json('/api/v1/articles?limit=100');
      assert.equal(all.data.length, en.data.length + 2, 'without edition=, every story');
      // Combines with the other filters.
      assert.equal((await json('/api/v1/articles?edition=fr&section=sport')).data.length, 0);
      assert.equal((await json('/api/v1/articles?edition=fr&section=world')).data.length, 1);
    });

    it('refuses an unknown or malformed edition with 400 and a clear message', async () => {
      const unknown = await get('/api/v1/articles?edition=xx');
      assert.equal(unknown.statusCode, 400);
      const err = apiError(unknown);
      assert.equal(err.code, 'validation_failed');
      assert.match(err.message, /edition: there is no edition "xx"; choose from en, fr, ar/);
      assert.equal(unknown.headers['cache-control'], 'no-store');
      const malformed = await get('/api/v1/articles?edition=Not%20one');
      assert.equal(malformed.statusCode, 400);
      assert.match(apiError(malformed).message, /edition: must be an edition code/);
      const search = await get('/api/v1/search?q=Kirby&edition=zz');
      assert.equal(search.statusCode, 400);
      assert.match(apiError(search).message, /there is no edition "zz"/);
    });

    it('gives each article its edition, its edition’s URLs and its published translations', async () => {
      const [fr] = (await json('/api/v1/articles?edition=fr')).data;
      assert.equal(fr!.edition, 'fr');
      assert.equal(fr!.language, 'fr');
      assert.equal(fr!.url, `${TEST_SITE_URL}${FR}`, 'the canonical address, not one that redirects');
      assert.equal((fr!.section as Json).url, `${TEST_SITE_URL}/fr/monde`);
      const translations = fr!.translations as Translation[];
      assert.deepEqual(translations.map((t) => [t.edition, t.language, t.url]).sort(), [
        ['ar', 'ar', `${TEST_SITE_URL}${AR}`],
        ['en', 'en', `${TEST_SITE_URL}${SEED}`],
      ]);
      // The same story read by id, and from the other side of the link.
      const english = translations.find((t) => t.edition === 'en')!;
      const one = JSON.parse((await get(`/api/v1/articles/${english.id}`)).body).data as Json;
      assert.equal(one.edition, 'en');
      assert.equal(one.url, `${TEST_SITE_URL}${SEED}`);
      assert.equal(one.headline, SEED_ARTICLE.headline);
      assert.deepEqual(
        ((one.translations as Translation[]).map((t) => t.id) as string[]).sort(),
        [fr!.id, translations.find((t) => t.edition === 'ar')!.id].sort(),
      );
      // fields= may ask for them.
      const picked = JSON.parse((await get(`/api/v1/articles/${english.id}?fields=edition,translations`)).body).data as Json;
      assert.deepEqual(Object.keys(picked).sort(), ['edition', 'translations']);
    });

    it('never lists an unpublished translation, and drops it from the cached answers', async () => {
      const before = JSON.parse((await get('/api/v1/articles?edition=en&limit=100')).body).data as Json[];
      const seed = before.find((a) => a.headline === SEED_ARTICLE.headline)!;
      // Both answers are now cached, each listing the Arabic version.
      const seedOne = (await json(`/api/v1/articles/${seed.id as string}`)).data as unknown as Json;
      const ar = (seed.translations as Translation[]).find((t) => t.edition === 'ar')!;
      assert.ok(ar, 'the Arabic version is linked while published');
      assert.ok((seedOne.translations as Translation[]).some((t) => t.id === ar.id));
      assert.equal((await get(`/api/v1/articles/${seed.id as string}`)).headers['x-page-cache'], 'hit');
      const { admin } = await seedStaff(site.deps, { admin: ['admin'] });
      await runWorkflowAction(site.deps, ar.id, { type: 'unpublish' }, { userId: admin.id, role: 'admin' });
      const after = JSON.parse((await get(`/api/v1/articles/${seed.id as string}`)).body).data as Json;
      assert.deepEqual(
        (after.translations as Translation[]).map((t) => t.edition),
        ['fr'],
      );
      assert.equal((await json('/api/v1/articles?edition=ar')).data.length, 0);
      await runWorkflowAction(site.deps, ar.id, { type: 'republish' }, { userId: admin.id, role: 'admin' });
    });

    it('searches one edition’s stories with edition=, each hit at its edition’s address', async () => {
      const all = await json('/api/v1/search?q=Kirby');
      const editions = new Set(all.data.map((h) => h.edition));
      assert.ok(editions.has('en') && editions.has('fr'), 'without edition=, the English and French stories both match');
      const fr = await json('/api/v1/search?q=Kirby&edition=fr');
      assert.deepEqual(
        fr.data.map((h) => [h.edition, h.url]),
        [['fr', `${TEST_SITE_URL}${FR}`]],
      );
      assert.equal(((fr.data[0]!.section as Json).url as string).startsWith(`${TEST_SITE_URL}/fr/`), true);
      const en = await json('/api/v1/search?q=Kirby&edition=en');
      assert.ok(en.data.length >= 1);
      assert.ok(en.data.every((h) => h.edition === 'en'));
    });

    it('documents edition= and the new article fields in the OpenAPI document', async () => {
      const doc = JSON.parse((await get('/api/openapi.json')).body) as {
        paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; description?: string }> }>>;
      };
      for (const path of ['/v1/articles', '/v1/search']) {
        const p = doc.paths[path] ?? doc.paths[`/api${path}`];
        const param = p?.get?.parameters?.find((x) => x.name === 'edition' && x.in === 'query');
        assert.ok(param, `${path} documents edition`);
        assert.match(param.description ?? '', /edition/);
      }
      const text = JSON.stringify(doc);
      assert.ok(text.includes('"translations"'));
    });
  });
}
