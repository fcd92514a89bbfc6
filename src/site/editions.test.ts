import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { seedStaff } from '../../test/support/account-factories.ts';
import { NewsroomClient, signedInClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, TEST_SITE_URL, type TestSite } from '../../test/support/test-site.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import { SEED_TRANSLATIONS } from '../demo/demo-editions.ts';
import { SEED_ARTICLE } from '../demo/demo-content.ts';
import type { User } from '../domain/accounts/user.ts';
import { buildArticleInput } from '../../test/support/factories.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { createArticle, updateArticle } from '../domain/articles/article-service.ts';
import { addNote } from '../domain/articles/article-notes.ts';

const SEED = '/world/russia-executing-soldiers-not-following-orders-says-us';
const FR = '/fr/monde/russia-executing-soldiers-not-following-orders-says-us-fr';
const AR = '/ar/alam/russia-executing-soldiers-not-following-orders-says-us-ar';

const dom = (html: string) => parseHTML(html).document;

/** The page's hreflang links as `lang → href`. */
function hreflangs(html: string): Map<string, string> {
  const doc = dom(html);
  return new Map(
    Array.from(doc.querySelectorAll('link[rel="alternate"][hreflang]')).map((l) => [l.getAttribute('hreflang')!, l.getAttribute('href')!]),
  );
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: language editions`, { skip }, () => {
    let site: TestSite;
    let admin: User;
    let editor: User;
    const get = (url: string, headers: Record<string, string> = {}) => site.app.inject({ method: 'GET', url, headers });

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 6 });
      ({ admin, editor } = await seedStaff(site.deps, { admin: ['admin'], editor: ['editor'] }));
    });
    after(() => site?.close());

    it('routes by prefix: each edition has its own home front in its language and direction; the default keeps its addresses', async () => {
      const [en, fr, ar] = await Promise.all([get('/'), get('/fr/'), get('/ar')]);
      assert.equal(en.statusCode, 200);
      assert.equal(fr.statusCode, 200);
      assert.equal(ar.statusCode, 200);
      assert.match(fr.body, /<html lang="fr" dir="ltr">/);
      assert.match(ar.body, /<html lang="ar" dir="rtl">/);
      assert.ok(en.body.includes(SEED_ARTICLE.headline));
      assert.ok(!en.body.includes('La Russie exécute'), 'the default front lists no French story');
      assert.ok(fr.body.includes('La Russie exécute'));
      assert.ok(!fr.body.includes(SEED_ARTICLE.headline), 'the French front lists no English story');
      assert.ok(ar.body.includes(SEED_TRANSLATIONS.ar.headline.replace(/"/g, '&quot;')));
      // Navigation and story links stay inside the edition.
      assert.ok(fr.body.includes(`href="${FR}"`));
      assert.ok(fr.body.includes('href="/fr/monde"'));
      assert.ok(fr.body.includes('>Monde<'));
      // Fronts carry reciprocal hreflang links to every edition's front, with x-default.
      assert.deepEqual(Object.fromEntries(hreflangs(fr.body)), {
        en: `${TEST_SITE_URL}/`,
        fr: `${TEST_SITE_URL}/fr/`,
        ar: `${TEST_SITE_URL}/ar/`,
        'x-default': `${TEST_SITE_URL}/`,
      });
      assert.deepEqual(hreflangs(fr.body), hreflangs(en.body));
    });

    it('serves section fronts per edition under the edition’s section slug', async () => {
      const res = await get('/fr/monde');
      assert.equal(res.statusCode, 200);
      const doc = dom(res.body);
      assert.equal(doc.querySelector('h1')?.textContent, 'Monde');
      assert.ok(res.body.includes(`href="${FR}"`));
      assert.ok(!res.body.includes(`href="${SEED}"`));
      assert.equal(hreflangs(res.body).get('en'), `${TEST_SITE_URL}/world`);
      assert.equal((await get('/fr/no-such-section')).statusCode, 404);
      assert.equal((await get('/fr/newsroom')).statusCode, 404);
    });

    it('sends a story’s address in another edition to its own edition', async () => {
      const res = await get('/world/russia-executing-soldiers-not-following-orders-says-us-fr');
      assert.equal(res.statusCode, 301);
      assert.equal(res.headers.location, FR);
      const wrong = await get('/fr/monde/russia-executing-soldiers-not-following-orders-says-us');
      assert.equal(wrong.statusCode, 301);
      assert.equal(wrong.headers.location, SEED);
    });

    it('links published translations with reciprocal, absolute hreflang and a reader-visible list', async () => {
      const pages = new Map<string, string>();
      for (const path of [SEED, FR, AR]) {
        const res = await get(path);
        assert.equal(res.statusCode, 200, path);
        pages.set(path, res.body);
      }
      const expected = {
        en: `${TEST_SITE_URL}${SEED}`,
        fr: `${TEST_SITE_URL}${FR}`,
        ar: `${TEST_SITE_URL}${AR}`,
        'x-default': `${TEST_SITE_URL}${SEED}`,
      };
      for (const [path, body] of pages) assert.deepEqual(Object.fromEntries(hreflangs(body)), expected, `${path} links every version`);
      const fr = dom(pages.get(FR)!);
      assert.equal(fr.querySelector('html')?.getAttribute('lang'), 'fr');
      const others = Array.from(fr.querySelectorAll('.article__editions a')).map((a) => a.getAttribute('href'));
      assert.deepEqual(others.sort(), [`${TEST_SITE_URL}${AR}`, `${TEST_SITE_URL}${SEED}`].sort());
      assert.equal(dom(pages.get(AR)!).querySelector('html')?.getAttribute('dir'), 'rtl');
    });

    it('gives each edition its feeds and sitemaps, with news:language and xhtml:link alternates', async () => {
      const feed = await get('/fr/feed.xml');
      assert.equal(feed.statusCode, 200);
      assert.match(feed.body, /<language>fr<\/language>/);
      assert.ok(feed.body.includes(`<link>${TEST_SITE_URL}${FR}</link>`));
      assert.ok(!feed.body.includes(SEED_ARTICLE.headline));
      const sectionFeed = await get('/fr/monde/feed.atom');
      assert.equal(sectionFeed.statusCode, 200);
      assert.ok(sectionFeed.body.includes(`${TEST_SITE_URL}${FR}`));
      const enFeed = await get('/feed.xml');
      assert.ok(!enFeed.body.includes('La Russie exécute'));

      const index = await get('/fr/sitemap.xml');
      assert.equal(index.statusCode, 200);
      const locs = [...index.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
      assert.ok(
        locs.every((l) => l.startsWith(`${TEST_SITE_URL}/fr/`)),
        locs.join(' '),
      );
      const articles = locs.find((l) => l.includes('/sitemaps/articles/'))!;
      const page = await get(articles.slice(TEST_SITE_URL.length));
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(`<loc>${TEST_SITE_URL}${FR}</loc>`));
      assert.ok(!page.body.includes(`<loc>${TEST_SITE_URL}${SEED}</loc>`));
      assert.ok(page.body.includes(`<xhtml:link rel="alternate" hreflang="en" href="${TEST_SITE_URL}${SEED}"/>`));
      assert.ok(page.body.includes(`<xhtml:link rel="alternate" hreflang="x-default" href="${TEST_SITE_URL}${SEED}"/>`));

      const news = await get('/fr/sitemap-news.xml');
      assert.equal(news.statusCode, 200);
      assert.match(news.body, /<news:language>fr<\/news:language>/);
      assert.doesNotMatch(news.body, /<news:language>en<\/news:language>/);
      const robots = await get('/robots.txt');
      assert.ok(robots.body.includes(`Sitemap: ${TEST_SITE_URL}/fr/sitemap.xml`));
    });

    it('drops an unpublished translation from every hreflang, list and sitemap, and purges the cached pages', async () => {
      // Warm the cache with the English page first: the unpublish must purge it.
      assert.ok(hreflangs((await get(SEED)).body).has('ar'));
      const ar = await site.deps.db.selectFrom('articles').select('id').where('language', '=', 'ar').executeTakeFirstOrThrow();
      await runWorkflowAction(site.deps, ar.id, { type: 'unpublish' }, { userId: admin.id, role: 'admin' });
      const en = await get(SEED);
      assert.deepEqual([...hreflangs(en.body).keys()].sort(), ['en', 'fr', 'x-default']);
      assert.ok(!en.body.includes(AR));
      assert.equal((await get(AR)).statusCode, 404);
      const frIndex = await get('/fr/sitemap.xml');
      const articles = [...frIndex.body.matchAll(/<loc>([^<]+sitemaps\/articles\/[^<]+)<\/loc>/g)].map((m) => m[1]!)[0]!;
      assert.ok(!(await get(articles.slice(TEST_SITE_URL.length))).body.includes('hreflang="ar"'));
    });

    describe('newsroom administration', () => {
      let adminClient: NewsroomClient;
      let editorClient: NewsroomClient;
      before(async () => {
        adminClient = await signedInClient(site, admin, '203.0.113.91');
        editorClient = await signedInClient(site, editor, '203.0.113.92');
      });

      it('is for administrators only, with CSRF, and audited', async () => {
        assert.equal((await editorClient.get('/newsroom/editions')).statusCode, 403);
        const token = await editorClient.csrfToken();
        const refused = await editorClient.request('POST', '/newsroom/editions', {
          _csrf: token,
          name: 'Deutsch',
          code: 'de',
          language: 'de',
          locale: 'de-DE',
          direction: 'ltr',
          pathPrefix: 'de',
        });
        assert.equal(refused.statusCode, 403);
        const noCsrf = await adminClient.request('POST', '/newsroom/editions', {
          name: 'Deutsch',
          code: 'de',
          language: 'de',
          locale: 'de-DE',
          direction: 'ltr',
          pathPrefix: 'de',
        });
        assert.equal(noCsrf.statusCode, 403);
        const bad = await adminClient.submit('/newsroom/editions', '/newsroom/editions', {
          name: 'Bad',
          code: 'xx',
          language: 'not a tag',
          locale: 'de-DE',
          direction: 'ltr',
          pathPrefix: 'xx',
        });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /BCP 47/);
        const taken = await adminClient.submit('/newsroom/editions', '/newsroom/editions', {
          name: 'Clash',
          code: 'ww',
          language: 'de',
          locale: 'de-DE',
          direction: 'ltr',
          pathPrefix: 'world',
        });
        assert.equal(taken.statusCode, 409, 'a prefix a section uses is refused');
        const made = await adminClient.submit('/newsroom/editions', '/newsroom/editions', {
          name: 'Deutsch',
          code: 'de',
          language: 'de',
          locale: 'de-DE',
          direction: 'ltr',
          pathPrefix: 'de',
        });
        assert.equal(made.statusCode, 303);
        const audit = await site.deps.db
          .selectFrom('audit_log')
          .select(['action', 'actor_user_id'])
          .where('action', '=', 'edition.created')
          .execute();
        assert.deepEqual(audit, [{ action: 'edition.created', actor_user_id: admin.id }]);
        const de = await get('/de/');
        assert.equal(de.statusCode, 200);
        assert.match(de.body, /<html lang="de"/);
        assert.equal(
          hreflangs((await get('/')).body).get('de'),
          `${TEST_SITE_URL}/de/`,
          'the new edition shows at once in every front’s hreflang',
        );
      });

      it('translates a story into a linked draft, flags it out of date after a correction, until an editor confirms', async () => {
        const { deps } = site;
        const world = await deps.db.selectFrom('sections').select('id').where('slug', '=', 'world').executeTakeFirstOrThrow();
        const author = await deps.db.selectFrom('authors').select('id').limit(1).executeTakeFirstOrThrow();
        const source = await createArticle(
          deps,
          buildArticleInput({
            sectionId: world.id,
            headline: 'Harbour reopens after the storm',
            authorIds: [author.id],
            status: 'published',
          }),
        );
        const fr = await deps.db.selectFrom('editions').select('id').where('code', '=', 'fr').executeTakeFirstOrThrow();
        const editorPage = await editorClient.get(`/newsroom/stories/${source.id}`);
        assert.equal(editorPage.statusCode, 200);
        assert.match(editorPage.body, /id="editions-panel"/);
        const noCsrf = await editorClient.request('POST', `/newsroom/stories/${source.id}/translate`, { editionId: fr.id });
        assert.equal(noCsrf.statusCode, 403);
        const made = await editorClient.submit(`/newsroom/stories/${source.id}`, `/newsroom/stories/${source.id}/translate`, {
          editionId: fr.id,
        });
        assert.equal(made.statusCode, 303);
        const translationId = /\/newsroom\/stories\/([^/?]+)$/.exec(String(made.headers.location))![1]!;
        const translation = await findArticleById(deps.db, translationId);
        assert.equal(translation?.language, 'fr');
        assert.equal(translation?.status, 'draft');
        assert.equal(translation?.translationGroupId, source.translationGroupId);
        assert.deepEqual(translation?.authorIds, source.authorIds);
        assert.equal(translation?.body.blocks.length, source.body.blocks.length);
        const again = await editorClient.submit(`/newsroom/stories/${source.id}`, `/newsroom/stories/${source.id}/translate`, {
          editionId: fr.id,
        });
        assert.notEqual(again.statusCode, 303, 'no second French version');
        const flag = () =>
          deps.db
            .selectFrom('translation_links')
            .select('out_of_date_since')
            .where('article_id', '=', translationId)
            .executeTakeFirstOrThrow();
        assert.equal((await flag()).out_of_date_since, null);

        await addNote(
          deps,
          source.id,
          { kind: 'correction', text: 'An earlier version gave the wrong date.' },
          { userId: editor.id, role: 'editor' },
        );
        assert.notEqual((await flag()).out_of_date_since, null, 'a correction of the source flags the translation');
        const desk = await editorClient.get(`/newsroom/stories/${translationId}`);
        assert.match(desk.body, /Out of date/);
        assert.ok(desk.body.includes('An earlier version gave the wrong date.'));

        const confirmed = await editorClient.submit(
          `/newsroom/stories/${translationId}`,
          `/newsroom/stories/${translationId}/translation/confirm`,
          {},
        );
        assert.equal(confirmed.statusCode, 303);
        assert.equal((await flag()).out_of_date_since, null);
        assert.doesNotMatch((await editorClient.get(`/newsroom/stories/${translationId}`)).body, /Out of date/);
        const audit = await deps.db.selectFrom('audit_log').select('action').where('subject_id', '=', translationId).execute();
        assert.ok(audit.some((r) => r.action === 'translation.created'));
        assert.ok(audit.some((r) => r.action === 'translation.confirmed'));

        // A published source's words changing flags it again.
        await updateArticle(
          deps,
          source.id,
          buildArticleInput({ sectionId: world.id, headline: 'Harbour reopens after the great storm', authorIds: [author.id] }),
          (await findArticleById(deps.db, source.id))!.revision,
        );
        assert.notEqual((await flag()).out_of_date_since, null);
      });
    });
  });
}
