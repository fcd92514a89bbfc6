import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { testDialects } from '../../../test/support/test-db.ts';
import { createTestSite, TEST_SITE_URL, type TestSite } from '../../../test/support/test-site.ts';
import { schemasMissing, SITEMAP_EXTENSIONS, xsdErrors } from '../../../test/support/xml-schema-support.ts';
import { visibleToReaders } from '../../domain/articles/article-visibility.ts';

/*
 * Each language edition's tag and author pages, its tag and author sitemaps (only what has a
 * story in that edition, at the edition's addresses) and its Google News sitemap (its
 * stories, `news:language` its language), every sitemap valid against the fixture schemas.
 */

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: tag, author and news sitemaps per edition`, { skip }, () => {
    let site: TestSite;
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 6 });
    });
    after(() => site?.close());

    /** Slugs of the tags or authors with a visible story in `language` (or, with `not`, in none of those languages). */
    async function expected(kind: 'tags' | 'authors', languages: string[], not = false): Promise<string[]> {
      const nowIso = site.deps.clock().toISOString();
      const db = site.deps.db;
      const q =
        kind === 'tags'
          ? db
              .selectFrom('tags as t')
              .innerJoin('article_tags as x', 'x.tag_id', 't.id')
              .innerJoin('articles as a', 'a.id', 'x.article_id')
              .select('t.slug')
          : db
              .selectFrom('authors as t')
              .innerJoin('article_authors as x', 'x.author_id', 't.id')
              .innerJoin('articles as a', 'a.id', 'x.article_id')
              .select('t.slug');
      const rows = await q
        .where((eb) => visibleToReaders(eb, 'a', nowIso))
        .where('a.language', not ? 'not in' : 'in', languages)
        .distinct()
        .execute();
      return rows.map((r) => r.slug).sort();
    }

    for (const kind of ['tags', 'authors'] as const) {
      it(`lists in each edition’s ${kind} sitemap only what has a story there, at the edition’s addresses`, async () => {
        for (const [prefix, languages, not] of [
          ['/fr', ['fr'], false],
          ['/ar', ['ar'], false],
          ['', ['fr', 'ar'], true],
        ] as const) {
          const res = await get(`${prefix}/sitemaps/${kind}.xml`);
          assert.equal(res.statusCode, 200);
          const want = await expected(kind, [...languages], not);
          assert.ok(want.length > 0, `${prefix || 'default'} has ${kind}`);
          assert.deepEqual(
            locs(res.body),
            want.map((slug) => `${TEST_SITE_URL}${prefix}/${kind}/${slug}`).sort(),
            `${prefix}/sitemaps/${kind}.xml`,
          );
          if (!schemasMissing) assert.deepEqual(await xsdErrors(res.body, 'sitemap/sitemap.xsd', SITEMAP_EXTENSIONS), []);
        }
        const everywhere = new Set(await expected(kind, ['__none__'], true));
        const arabic = await expected(kind, ['ar']);
        assert.ok(arabic.length < everywhere.size, 'the Arabic edition lists fewer than the whole site (the filter filters)');
      });
    }

    it('serves an edition’s tag and author pages in its language, with its stories and links', async () => {
      const [tag] = await expected('tags', ['ar']);
      const [author] = await expected('authors', ['ar']);
      for (const path of [`/ar/tags/${tag}`, `/ar/authors/${author}`]) {
        const res = await get(path);
        assert.equal(res.statusCode, 200, path);
        const doc = parseHTML(res.body).document;
        assert.equal(doc.documentElement.getAttribute('lang'), 'ar', path);
        assert.equal(doc.documentElement.getAttribute('dir'), 'rtl', path);
        const links = Array.from(doc.querySelectorAll('.teaser__title a')).map((a) => a.getAttribute('href')!);
        assert.ok(links.length > 0, path);
        assert.ok(
          links.every((l) => l.startsWith('/ar/')),
          `${path}: ${links.join(' ')}`,
        );
      }
      // The same tag in the default edition lists no Arabic story.
      const en = parseHTML((await get(`/tags/${tag}`)).body).document;
      assert.ok(Array.from(en.querySelectorAll('.teaser__title a')).every((a) => !a.getAttribute('href')!.startsWith('/ar/')));
    });

    it('gives each edition its Google News sitemap, news:language its language, valid against the schema', async () => {
      for (const [prefix, language] of [
        ['/fr', 'fr'],
        ['/ar', 'ar'],
        ['', 'en'],
      ] as const) {
        const res = await get(`${prefix}/sitemap-news.xml`);
        assert.equal(res.statusCode, 200);
        const languages = [...res.body.matchAll(/<news:language>([^<]+)<\/news:language>/g)].map((m) => m[1]);
        assert.ok(languages.length > 0, `${prefix || 'default'} lists stories`);
        assert.deepEqual([...new Set(languages)], [language]);
        assert.ok(
          locs(res.body).every((l) => l.startsWith(`${TEST_SITE_URL}${prefix}/`)),
          `${prefix}: addresses in the edition`,
        );
        if (!schemasMissing) assert.deepEqual(await xsdErrors(res.body, 'sitemap/sitemap.xsd', SITEMAP_EXTENSIONS), []);
        // The edition's sitemap index names it, and its tag and author sitemaps.
        const index = locs((await get(`${prefix}/sitemap.xml`)).body);
        for (const name of ['/sitemap-news.xml', '/sitemaps/tags.xml', '/sitemaps/authors.xml'])
          assert.ok(index.includes(`${TEST_SITE_URL}${prefix}${name}`), `${prefix}${name} in the index`);
      }
    });
  });
}
