import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import sharp from 'sharp';
import { buildArticleInput, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { getArticlePage } from '../domain/published/article-page.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { FRONT_PAGE_SIZE } from '../domain/published/front-service.ts';
import { ensureTags } from '../domain/tags/tag.ts';
import { SEED_ARTICLE } from '../demo/demo-content.ts';
import { versionedAsset } from '../http/assets.ts';
import { createChromeLoader } from './site-chrome.ts';
import { articleView } from './views/article-view.ts';
import { PUBLISHER_LOGO } from './views/meta/json-ld.ts';

/*
 * Page metadata as crawlers and feed readers read it: Open Graph, the X card, robots,
 * schema.org JSON-LD and feed autodiscovery, on every kind of public page.
 */

const SITE = 'https://news.example.test';
const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';
/** ISO 8601 with a time zone (Z or ±hh:mm), as Google asks for datePublished/dateModified. */
const ISO_WITH_TZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const HOSTILE = '</script><script>alert(1)</script> & <!-- \u2028\u2029 "quoted" headline';

type Doc = ReturnType<typeof parseHTML>['document'];
type Json = { [key: string]: any };

function dom(body: string): Doc {
  return parseHTML(body).document;
}

function metaProp(doc: Doc, property: string): string[] {
  return Array.from(doc.querySelectorAll(`meta[property="${property}"]`)).map((el) => el.getAttribute('content') ?? '');
}

function metaName(doc: Doc, name: string): string | null {
  return doc.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;
}

function linkHref(doc: Doc, rel: string): string | null {
  return doc.querySelector(`head link[rel="${rel}"]`)?.getAttribute('href') ?? null;
}

/** Every JSON-LD block of the page, parsed. */
function jsonLd(doc: Doc): Json[] {
  return Array.from(doc.querySelectorAll('script[type="application/ld+json"]')).map((el) => JSON.parse(el.textContent ?? '') as Json);
}

/** Nodes of a JSON-LD document: its `@graph`, or the document itself. */
function nodes(data: Json): Json[] {
  return Array.isArray(data['@graph']) ? (data['@graph'] as Json[]) : [data];
}

function hasType(node: Json, type: string): boolean {
  const t = node['@type'];
  return Array.isArray(t) ? t.includes(type) : t === type;
}

function feedLinks(doc: Doc): Array<{ type: string; title: string; href: string }> {
  return Array.from(doc.querySelectorAll('head link[rel="alternate"]:not([hreflang])')).map((el) => ({
    type: el.getAttribute('type') ?? '',
    title: el.getAttribute('title') ?? '',
    href: el.getAttribute('href') ?? '',
  }));
}

function expectedFeeds(title: string, basePath: string) {
  const base = `${SITE}${basePath === '/' ? '' : basePath}`;
  return [
    { type: 'application/rss+xml', title: `${title} (RSS)`, href: `${base}/feed.xml` },
    { type: 'application/atom+xml', title: `${title} (Atom)`, href: `${base}/feed.atom` },
    { type: 'application/feed+json', title: `${title} (JSON Feed)`, href: `${base}/feed.json` },
  ];
}

function sitePath(url: string): string {
  assert.ok(url.startsWith(`${SITE}/`), `absolute URL on the site origin: ${url}`);
  return url.slice(SITE.length);
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: page metadata`, { skip }, () => {
    let site: TestSite;
    let hostilePath: string;
    let plainPath: string;
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    /** Fetches a site URL and checks it answers 200; returns the response. */
    async function expectOk(url: string) {
      const res = await get(sitePath(url));
      assert.equal(res.statusCode, 200, `${url} answers 200`);
      return res;
    }

    before(async () => {
      site = await createTestSite(dialect, { demo: true, siteUrl: SITE });
      const { deps } = site;
      const world = await deps.db.selectFrom('sections').select('id').where('slug', '=', 'world').executeTakeFirstOrThrow();
      const author = await deps.db.selectFrom('authors').select('id').where('slug', '=', 'sudesh-baniya').executeTakeFirstOrThrow();
      const [russia] = await ensureTags(deps.db, ['Russia'], deps.clock());
      const day = 86_400_000;
      // Enough older stories that World, the Russia tag and Sudesh Baniya each have a second page.
      for (let i = 0; i < FRONT_PAGE_SIZE + 2; i++) {
        await createArticle(
          deps,
          buildArticleInput({
            sectionId: world.id,
            headline: `Metadata archive dispatch ${i + 1}`,
            authorIds: [author.id],
            tagIds: [russia!.id],
            publishedAt: new Date(deps.clock().getTime() - (30 + i) * day).toISOString(),
          }),
        );
      }
      const hostile = await createArticle(
        deps,
        buildArticleInput({
          sectionId: world.id,
          slug: 'hostile-metadata',
          headline: HOSTILE,
          standfirst: `${HOSTILE} standfirst`,
          body: paragraphs('One two three four five.'),
          authorIds: [author.id],
          publishedAt: new Date(deps.clock().getTime() - 40 * day).toISOString(),
        }),
      );
      hostilePath = `/world/${hostile.slug}`;
      const plain = await createArticle(
        deps,
        buildArticleInput({
          sectionId: world.id,
          slug: 'unsigned-without-photo',
          headline: 'An unsigned brief without a photo',
          body: paragraphs('Four words of text.'),
          publishedAt: new Date(deps.clock().getTime() - 41 * day).toISOString(),
        }),
      );
      plainPath = `/world/${plain.slug}`;
    });
    after(() => site?.close());

    describe('seed article page', () => {
      let doc: Doc;
      let article: Json;
      const canonical = `${SITE}${SEED_PATH}`;

      before(async () => {
        const res = await get(SEED_PATH);
        assert.equal(res.statusCode, 200);
        doc = dom(res.body);
        const blocks = jsonLd(doc);
        assert.equal(blocks.length, 1, 'one JSON-LD block');
        article = blocks[0]!;
      });

      it('keeps the canonical link and lets search show the photo large', () => {
        assert.equal(linkHref(doc, 'canonical'), canonical);
        assert.match(metaName(doc, 'robots') ?? '', /(^|,\s*)max-image-preview:large(,|$)/);
      });

      it('has Open Graph for an article, with the URL, site name and locale', () => {
        assert.deepEqual(metaProp(doc, 'og:type'), ['article']);
        assert.deepEqual(metaProp(doc, 'og:title'), [SEED_ARTICLE.headline]);
        assert.deepEqual(metaProp(doc, 'og:description'), [SEED_ARTICLE.standfirst]);
        assert.deepEqual(metaProp(doc, 'og:url'), [canonical]);
        assert.deepEqual(metaProp(doc, 'og:site_name'), ['Masthead News']);
        assert.deepEqual(metaProp(doc, 'og:locale'), ['en_US']);
      });

      it('has an absolute og:image whose width and height match the served file, with alt text', async () => {
        const [url] = metaProp(doc, 'og:image');
        assert.ok(url, 'og:image');
        const res = await expectOk(url);
        const meta = await sharp(res.rawPayload).metadata();
        assert.equal(meta.format, 'jpeg');
        assert.deepEqual(metaProp(doc, 'og:image:width'), [String(meta.width)]);
        assert.deepEqual(metaProp(doc, 'og:image:height'), [String(meta.height)]);
        assert.ok(meta.width! >= 1200, `share image is at least 1200px wide (got ${meta.width})`);
        assert.deepEqual(metaProp(doc, 'og:image:alt'), [SEED_ARTICLE.image.altText]);
        assert.equal(metaName(doc, 'twitter:card'), 'summary_large_image');
      });

      it('has article:* times with a time zone, section, one tag each and author page URLs', async () => {
        const [published] = metaProp(doc, 'article:published_time');
        const [modified] = metaProp(doc, 'article:modified_time');
        assert.match(published ?? '', ISO_WITH_TZ);
        assert.match(modified ?? '', ISO_WITH_TZ);
        assert.ok(modified! >= published!, 'modified is not before published');
        assert.deepEqual(metaProp(doc, 'article:section'), ['World']);
        assert.deepEqual(metaProp(doc, 'article:tag'), [...SEED_ARTICLE.tags]);
        const authors = metaProp(doc, 'article:author');
        assert.deepEqual(authors, [`${SITE}/authors/sudesh-baniya`]);
        for (const url of authors) await expectOk(url);
      });

      it('links the site feeds and the section feeds', () => {
        assert.deepEqual(feedLinks(doc), [...expectedFeeds('Masthead News', '/'), ...expectedFeeds('Masthead News: World', '/world')]);
      });

      it('has NewsArticle JSON-LD with headline, description, page, language, section, keywords and word count', () => {
        assert.equal(article['@context'], 'https://schema.org');
        assert.equal(article['@type'], 'NewsArticle');
        assert.equal(article.headline, SEED_ARTICLE.headline);
        assert.equal(article.description, SEED_ARTICLE.standfirst);
        assert.deepEqual(article.mainEntityOfPage, { '@type': 'WebPage', '@id': canonical });
        assert.equal(article.url, canonical);
        assert.equal(article.inLanguage, 'en');
        assert.equal(article.articleSection, 'World');
        assert.deepEqual(article.keywords, [...SEED_ARTICLE.tags]);
        assert.equal(article.isAccessibleForFree, true);
        assert.ok(Number.isInteger(article.wordCount) && article.wordCount > 150, `wordCount ${article.wordCount}`);
        assert.equal(article.correction, undefined, 'no corrections, no correction property');
      });

      it('gives JSON-LD dates in ISO 8601 with a time zone, equal to the Open Graph times', () => {
        assert.match(article.datePublished, ISO_WITH_TZ);
        assert.match(article.dateModified, ISO_WITH_TZ);
        assert.deepEqual([article.datePublished], metaProp(doc, 'article:published_time'));
        assert.deepEqual([article.dateModified], metaProp(doc, 'article:modified_time'));
        assert.equal(doc.querySelector('.article__times time')?.getAttribute('datetime'), article.datePublished);
      });

      it('offers the hero in the 1:1, 4:3 and 16:9 crops Google asks for, each served at its stated size, with caption and rights', async () => {
        assert.ok(Array.isArray(article.image), 'image is a list');
        const images = article.image as Json[];
        assert.deepEqual(
          images.map((i) => (i.width / i.height).toFixed(3)),
          [1, 4 / 3, 16 / 9].map((r) => r.toFixed(3)),
          'one image per aspect ratio, in Google’s order',
        );
        assert.equal(new Set(images.map((i) => i.url)).size, 3, 'three different files');
        for (const img of images) {
          assert.equal(img['@type'], 'ImageObject');
          assert.match(img.url, new RegExp(`^${SITE}/media/[^/]+/c(1x1|4x3|16x9)\\.jpg$`));
          assert.equal(img.contentUrl, img.url);
          const meta = await sharp((await expectOk(img.url)).rawPayload).metadata();
          assert.equal(meta.format, 'jpeg');
          assert.deepEqual([meta.width, meta.height], [img.width, img.height], `${img.url} is the size it says`);
          // Google wants at least 50,000 pixels (width × height) per image.
          assert.ok(img.width * img.height >= 50_000, `${img.url}: ${img.width}×${img.height}`);
          assert.equal(img.caption, SEED_ARTICLE.image.caption);
          assert.equal(img.creditText, SEED_ARTICLE.image.credit);
          assert.equal(img.copyrightNotice, SEED_ARTICLE.image.copyrightNotice);
          assert.deepEqual(img.creator, { '@type': 'Person', name: SEED_ARTICLE.image.creator });
        }
      });

      it('names each author as a Person with job title and an author page that answers 200', async () => {
        assert.ok(Array.isArray(article.author) && article.author.length === 1);
        const [person] = article.author as Json[];
        assert.equal(person!['@type'], 'Person');
        assert.equal(person!.name, 'Sudesh Baniya');
        assert.equal(person!.url, `${SITE}/authors/sudesh-baniya`);
        assert.equal(typeof person!.jobTitle, 'string');
        assert.ok(person!.jobTitle.length > 0);
        const page = dom((await expectOk(person!.url)).body);
        assert.equal(page.querySelector('h1')?.textContent?.trim(), person!.name);
      });

      it('names the publisher as a NewsMediaOrganization with a served PNG logo of the stated size', async () => {
        const pub = article.publisher as Json;
        assert.equal(pub['@type'], 'NewsMediaOrganization');
        assert.equal(pub.name, 'Masthead News');
        assert.equal(pub.url, `${SITE}/`);
        await expectOk(pub.url);
        assert.equal(pub.logo['@type'], 'ImageObject');
        const res = await expectOk(pub.logo.url);
        assert.match(String(res.headers['content-type']), /^image\/png/);
        const meta = await sharp(res.rawPayload).metadata();
        assert.equal(pub.logo.width, meta.width);
        assert.equal(pub.logo.height, meta.height);
        assert.ok(meta.width! >= 112 && meta.height! >= 112, 'Google wants logos of at least 112px');
      });
    });

    it('emits a hostile headline safely: JSON-LD cannot close its script element and round-trips exactly', async () => {
      const res = await get(hostilePath);
      assert.equal(res.statusCode, 200);
      const raw = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(res.body)?.[1] ?? '';
      assert.ok(raw.length > 0, 'JSON-LD block present');
      assert.ok(!/[<>&\u2028\u2029]/.test(raw), 'no <, >, &, U+2028 or U+2029 left raw in the JSON text');
      assert.ok(!raw.includes('\\"quoted\\"'), 'quotes of user text are \\u0022 escapes');
      const data = JSON.parse(raw) as Json;
      assert.equal(data.headline, HOSTILE);
      assert.equal(data.description, `${HOSTILE} standfirst`);
      const doc = dom(res.body);
      // The only scripts are the JSON-LD block and the external site script.
      assert.deepEqual(
        Array.from(doc.querySelectorAll('script')).map((s) => s.getAttribute('type') ?? `src:${s.getAttribute('src')?.split('?')[0]}`),
        ['application/ld+json', 'src:/static/site.js'],
      );
      assert.deepEqual(metaProp(doc, 'og:title'), [HOSTILE]);
      assert.equal(jsonLd(doc)[0]!.headline, HOSTILE);
    });

    it('a story without photo or byline previews with the logo and is authored by the publisher', async () => {
      const doc = dom((await expectOk(`${SITE}${plainPath}`)).body);
      const data = jsonLd(doc)[0]!;
      assert.equal(data.image, undefined, 'no representative image in the structured data');
      assert.deepEqual(metaProp(doc, 'og:image'), [data.publisher.logo.url]);
      assert.deepEqual(metaProp(doc, 'og:image:width'), [String(data.publisher.logo.width)]);
      assert.equal(metaName(doc, 'twitter:card'), 'summary');
      assert.deepEqual(metaProp(doc, 'article:author'), []);
      assert.deepEqual(data.author, [
        { '@type': 'NewsMediaOrganization', '@id': data.publisher['@id'], name: 'Masthead News', url: `${SITE}/` },
      ]);
      assert.equal(data.keywords, undefined);
      assert.equal(data.wordCount, 4);
    });

    it('renders corrections as CorrectionComments when the page carries them', async () => {
      const { deps } = site;
      const result = await getArticlePage(deps, 'world', SEED_PATH.split('/')[2]!);
      assert.equal(result.kind, 'page');
      if (result.kind !== 'page') return;
      const chrome = await createChromeLoader(deps)();
      const logo = { path: versionedAsset(PUBLISHER_LOGO.file), ...PUBLISHER_LOGO };
      const corrections = [
        { text: 'An earlier version misstated the date of the briefing. It was Thursday.', date: '2026-11-25T10:00:00.000Z' },
        { text: 'A caption misspelled the photographer’s name </script>.', date: '2026-11-25T11:30:00.000Z' },
      ];
      const data = jsonLd(dom(articleView(chrome, { ...result.page, corrections }, logo).value))[0]!;
      assert.deepEqual(data.correction, [
        { '@type': 'CorrectionComment', text: corrections[0]!.text, datePublished: corrections[0]!.date },
        { '@type': 'CorrectionComment', text: corrections[1]!.text, datePublished: corrections[1]!.date },
      ]);
      const without = jsonLd(dom(articleView(chrome, { ...result.page, corrections: [] }, logo).value))[0]!;
      assert.equal(without.correction, undefined);
    });

    it('home page: WebSite and CollectionPage JSON-LD, Open Graph and the site feeds', async () => {
      const doc = dom((await expectOk(`${SITE}/`)).body);
      const data = jsonLd(doc);
      assert.equal(data.length, 1);
      assert.equal(data[0]!['@context'], 'https://schema.org');
      const graph = nodes(data[0]!);
      const website = graph.find((n) => hasType(n, 'WebSite'));
      const publisher = graph.find((n) => hasType(n, 'NewsMediaOrganization'));
      const page = graph.find((n) => hasType(n, 'CollectionPage'));
      assert.ok(website && publisher && page, 'WebSite, publisher and CollectionPage nodes');
      assert.equal(website.name, 'Masthead News');
      assert.equal(website.url, `${SITE}/`);
      assert.deepEqual(website.publisher, { '@id': publisher['@id'] });
      assert.equal(publisher.name, 'Masthead News');
      assert.equal(publisher.logo['@type'], 'ImageObject');
      assert.equal(page.url, `${SITE}/`);
      assert.deepEqual(page.isPartOf, { '@id': website['@id'] });
      const items = page.mainEntity.itemListElement as Json[];
      assert.ok(items.length >= 5);
      assert.deepEqual(
        items.map((i) => i.position),
        items.map((_, i) => i + 1),
      );
      assert.equal(
        items[0]!.url,
        `${SITE}${doc.querySelector('.front__lead .teaser__title a')?.getAttribute('href')}`,
        'the lead story comes first',
      );
      await expectOk(items[0]!.url);

      assert.deepEqual(metaProp(doc, 'og:type'), ['website']);
      assert.deepEqual(metaProp(doc, 'og:url'), [`${SITE}/`]);
      assert.deepEqual(metaProp(doc, 'og:site_name'), ['Masthead News']);
      assert.equal(metaProp(doc, 'og:title').length, 1);
      assert.equal(metaProp(doc, 'og:image')[0], publisher.logo.url);
      assert.deepEqual(feedLinks(doc), expectedFeeds('Masthead News', '/'));
    });

    for (const { base, title, feedTitle, kind } of [
      { base: '/world', title: 'World', feedTitle: 'Masthead News: World', kind: 'section' },
      { base: '/tags/russia', title: 'Russia', feedTitle: 'Masthead News: Russia', kind: 'tag' },
      { base: '/authors/sudesh-baniya', title: 'Sudesh Baniya', feedTitle: 'Masthead News: Sudesh Baniya', kind: 'author' },
    ] as const) {
      it(`${kind} page ${base}: CollectionPage, Open Graph, its feeds and head pagination links`, async () => {
        const doc = dom((await expectOk(`${SITE}${base}`)).body);
        const canonical = `${SITE}${base}`;
        assert.equal(linkHref(doc, 'canonical'), canonical);
        assert.deepEqual(metaProp(doc, 'og:type'), ['website']);
        assert.deepEqual(metaProp(doc, 'og:url'), [canonical]);
        assert.deepEqual(metaProp(doc, 'og:title'), [title]);
        assert.equal(metaProp(doc, 'og:description').length, 1);
        assert.equal(metaProp(doc, 'og:description')[0], metaName(doc, 'description'));
        assert.deepEqual(feedLinks(doc), expectedFeeds(feedTitle, base));

        const graph = nodes(jsonLd(doc)[0]!);
        const page = graph.find((n) => hasType(n, 'CollectionPage'));
        assert.ok(page, 'CollectionPage node');
        assert.equal(page.url, canonical);
        assert.equal(page.name, title);
        const list = (kind === 'author' ? page.hasPart : page.mainEntity) as Json;
        assert.equal(list['@type'], 'ItemList');
        assert.equal(list.itemListElement.length, FRONT_PAGE_SIZE);
        const shown = Array.from(doc.querySelectorAll('.stream a')).map((a) => `${SITE}${a.getAttribute('href')}`);
        for (const item of list.itemListElement as Json[]) assert.ok(shown.includes(item.url), `${item.url} is listed on the page`);
        if (kind === 'author') {
          assert.ok(hasType(page, 'ProfilePage'));
          assert.equal(page.mainEntity['@type'], 'Person');
          assert.equal(page.mainEntity.name, 'Sudesh Baniya');
          assert.equal(page.mainEntity.url, canonical);
          assert.ok(page.mainEntity.jobTitle);
        }
        if (kind === 'tag') assert.deepEqual(page.about, { '@type': 'Thing', name: 'Russia' });

        // Page one: indexable, a `next` link in the head matching the visible one, no `first`.
        assert.equal(metaName(doc, 'robots'), null);
        assert.equal(linkHref(doc, 'first'), null);
        const next = linkHref(doc, 'next');
        assert.ok(next, 'rel=next in the head');
        assert.equal(next, `${SITE}${doc.querySelector('.pagination a[rel="next"]')?.getAttribute('href')}`);

        // An older page: noindex, follow; `first` back to page one; canonical stays page one.
        const older = dom((await expectOk(next)).body);
        assert.equal(metaName(older, 'robots'), 'noindex, follow');
        assert.equal(linkHref(older, 'first'), canonical);
        assert.equal(linkHref(older, 'canonical'), canonical);
        assert.deepEqual(metaProp(older, 'og:url'), [canonical]);
        assert.deepEqual(feedLinks(older), expectedFeeds(feedTitle, base));
      });
    }

    it('keeps the article page lean: HTML, CSS and JS together under 60 KB', async () => {
      const res = await get(SEED_PATH);
      const doc = dom(res.body);
      let total = res.rawPayload.length;
      for (const href of [
        doc.querySelector('link[rel="stylesheet"]')?.getAttribute('href'),
        doc.querySelector('script[src]')?.getAttribute('src'),
      ]) {
        assert.ok(href);
        const asset = await get(href);
        assert.equal(asset.statusCode, 200, href);
        total += asset.rawPayload.length;
      }
      assert.ok(total < 60 * 1024, `page weight ${total} bytes`);
    });
  });
}
