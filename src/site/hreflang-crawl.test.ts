import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, TEST_SITE_URL, type TestSite } from '../../test/support/test-site.ts';
import { translateStory } from '../domain/editions/translation-service.ts';
import { paragraphs } from '../../test/support/factories.ts';

/*
 * A crawler's view of the demo site's hreflang: starting from every edition's front, every
 * page reachable by the site's own links (fronts, sections, tags, authors, stories, list
 * pages) is fetched, and every hreflang cluster is checked the way search engines check it:
 * absolute URLs, a self link, x-default, each alternate a live page (200, not a redirect)
 * that links back (reciprocity), and no translation readers cannot see.
 */

/** Pages a crawler of the reader site follows; feeds, search, comments and assets are other tests' business. */
const SKIP = /^\/(?:[a-z]{2}\/)?(?:newsroom|api|static|media|comments|search|opensearch\.xml)\b|\.(?:xml|json|atom)$|\/(?:live|comments)$/;
const MAX_PAGES = 600;

interface Crawled {
  url: string;
  alternates: Map<string, string>;
  links: string[];
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: hreflang over the whole demo site (crawler)`, { skip }, () => {
    let site: TestSite;
    const hidden: string[] = [];
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 8 });
      const { deps } = site;
      const editions = new Map((await deps.db.selectFrom('editions').select(['id', 'code']).execute()).map((e) => [e.code, e.id]));
      const english = await deps.db
        .selectFrom('articles')
        .select(['id', 'slug'])
        .where('language', '=', 'en')
        .where('status', '=', 'published')
        // Stories not translated yet (the seed story already is, into French and Arabic).
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('articles as t')
                .select('t.id')
                .whereRef('t.translation_group_id', '=', 'articles.translation_group_id')
                .whereRef('t.id', '!=', 'articles.id'),
            ),
          ),
        )
        .orderBy('published_at', 'desc')
        .limit(3)
        .execute();
      const hour = 3_600_000;
      const now = deps.clock().getTime();
      const content = (headline: string) => ({ headline, standfirst: 'Traduction.', body: paragraphs(headline) });
      // A second published translation group (English + Arabic) besides the seed story's three.
      await translateStory(deps, null, english[0]!.id, editions.get('ar')!, {
        ...content('نسخة عربية منشورة'),
        status: 'published',
        publishedAt: new Date(now - hour).toISOString(),
      });
      // A draft and a scheduled translation: readers must never be pointed at either.
      const draft = await translateStory(deps, null, english[1]!.id, editions.get('fr')!, {
        ...content('Brouillon caché'),
        status: 'draft',
      });
      const scheduled = await translateStory(deps, null, english[2]!.id, editions.get('fr')!, {
        ...content('Programmée plus tard'),
        status: 'published',
        publishedAt: new Date(now + 5 * hour).toISOString(),
      });
      for (const t of [draft, scheduled]) hidden.push(`/${t.slug}`);
    });
    after(() => site?.close());

    it('finds 0 non-reciprocal pairs, only absolute URLs, x-default everywhere, no hidden translation', async () => {
      const pages = new Map<string, Crawled>();
      const queue = ['/', '/fr/', '/ar/'];
      const seen = new Set(queue);
      while (queue.length && pages.size < MAX_PAGES) {
        const path = queue.shift()!;
        const res = await get(path);
        if (res.statusCode === 301 || res.statusCode === 302) continue; // a story's address in another edition: its own edition is crawled
        assert.equal(res.statusCode, 200, `${path} answers`);
        const doc = parseHTML(res.body).document;
        const alternates = new Map<string, string>();
        for (const l of doc.querySelectorAll('link[rel="alternate"][hreflang]')) {
          const lang = l.getAttribute('hreflang')!;
          assert.ok(!alternates.has(lang), `${path}: one hreflang="${lang}"`);
          alternates.set(lang, l.getAttribute('href')!);
        }
        const links = Array.from(doc.querySelectorAll('a[href]'))
          .map((a) => a.getAttribute('href')!)
          .map((h) => (h.startsWith(TEST_SITE_URL) ? h.slice(TEST_SITE_URL.length) : h))
          .filter((h) => h.startsWith('/') && !h.startsWith('//'))
          .map((h) => h.split('#')[0]!)
          .filter((h) => h && !h.includes('?') && !SKIP.test(h));
        pages.set(path, { url: `${TEST_SITE_URL}${path}`, alternates, links });
        for (const l of links) {
          if (!seen.has(l)) {
            seen.add(l);
            queue.push(l);
          }
        }
      }
      assert.ok(pages.size < MAX_PAGES, 'the crawl covered the whole site');

      const clustered = [...pages.values()].filter((p) => p.alternates.size);
      const kinds = (re: RegExp) => clustered.filter((p) => re.test(p.url)).length;
      // Every edition's front, its sections and the translated stories are in clusters.
      assert.ok(kinds(/\/(fr|ar)\/$/) === 2 && kinds(/\/fr\/monde$/) === 1, 'fronts and sections carry hreflang');
      assert.ok(kinds(/-ar$/) >= 1 && kinds(/-fr$/) >= 1, 'translated stories carry hreflang');

      const problems: string[] = [];
      let pairs = 0;
      for (const page of clustered) {
        for (const [lang, href] of page.alternates) {
          if (!/^https?:\/\/[^/]+\//.test(href)) problems.push(`${page.url}: hreflang="${lang}" is not absolute (${href})`);
          if (hidden.some((h) => href.endsWith(h))) problems.push(`${page.url}: links an unpublished translation (${href})`);
        }
        if (!page.alternates.has('x-default')) problems.push(`${page.url}: no x-default`);
        if (![...page.alternates.values()].includes(page.url)) problems.push(`${page.url}: does not list itself`);
        for (const [lang, href] of page.alternates) {
          if (lang === 'x-default' || href === page.url) continue;
          pairs++;
          const path = href.slice(TEST_SITE_URL.length);
          let other = pages.get(path);
          if (!other) {
            // Not reached by a link: a crawler follows the hreflang itself.
            const res = await get(path);
            if (res.statusCode !== 200) {
              problems.push(`${page.url}: hreflang="${lang}" → ${href} answers ${res.statusCode}`);
              continue;
            }
            const doc = parseHTML(res.body).document;
            other = {
              url: href,
              links: [],
              alternates: new Map(
                Array.from(doc.querySelectorAll('link[rel="alternate"][hreflang]')).map((l) => [
                  l.getAttribute('hreflang')!,
                  l.getAttribute('href')!,
                ]),
              ),
            };
          }
          if (![...other.alternates.values()].includes(page.url)) problems.push(`${page.url} → ${href} (${lang}): not reciprocal`);
          if (other.alternates.get('x-default') !== page.alternates.get('x-default'))
            problems.push(`${page.url} and ${href}: different x-default`);
        }
      }
      assert.deepEqual(problems, []);
      // The demo with 8 generated stories: 88 pages, 32 of them in clusters, 62 pairs (as measured).
      assert.ok(pages.size > 60 && pairs > 40, `enough of the site checked (${pages.size} pages, ${pairs} pairs)`);
      // Nor do the pages link the hidden translations in their bodies.
      for (const page of pages.values())
        for (const h of hidden) assert.ok(!page.links.some((l) => l.endsWith(h)), `${page.url} links ${h}`);
    });
  });
}
