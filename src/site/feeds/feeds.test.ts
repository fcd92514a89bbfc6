import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import AjvModule from 'ajv-draft-04';
import { DOMParser } from 'linkedom';
import { buildArticleInput, paragraphs } from '../../../test/support/factories.ts';
import { testDialects } from '../../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../../test/support/test-site.ts';
import { FEED_SIZE, listSitemapArticles, walkSitemapPages } from '../../domain/published/article-feed.ts';
import { createArticle } from '../../domain/articles/article-service.ts';
import { schema, SCHEMAS, schemasMissing, SITEMAP_EXTENSIONS, xsdErrors } from '../../../test/support/xml-schema-support.ts';

/*
 * Every feed and sitemap is checked against the real schemas in ../shared/fixtures/schemas
 * (read at run time, never copied): sitemaps with libxml2's XSD validator (xmllint-wasm),
 * Atom with jing against RFC 4287's RELAX NG schema, JSON Feed with SchemaStore's schemas
 * (ajv, draft-04), RSS with the unofficial RSS 2.0 XSD plus the spec's required elements.
 */

// ajv-draft-04 is CommonJS: its class is module.exports, typed as the `default` member under NodeNext.
const Ajv = (AjvModule as unknown as { default: typeof AjvModule.default }).default ?? AjvModule;
const jingMissing = spawnSync('jing', [], { encoding: 'utf8' }).error ? 'jing is not installed (apt-get install jing)' : false;
if (jingMissing && process.env.CI === 'true') throw new Error(`${jingMissing}; CI must validate Atom feeds`);

const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';
const SITE_URL = 'https://news.example.test';
const DAY = 86_400_000;
const FORMATS = ['feed.xml', 'feed.atom', 'feed.json'] as const;
const SCOPES = ['', '/world', '/tags/russia', '/authors/sudesh-baniya'] as const;

function jingErrors(xml: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-atom-'));
  try {
    const file = path.join(dir, 'feed.atom');
    fs.writeFileSync(file, xml);
    const r = spawnSync('jing', ['-c', path.join(SCHEMAS, 'atom/atom.rnc'), file], { encoding: 'utf8' });
    return r.status === 0 ? [] : r.stdout.split('\n').filter(Boolean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let jsonFeedValidator: ((data: unknown) => string[]) | undefined;
function jsonFeedErrors(data: unknown): string[] {
  if (!jsonFeedValidator) {
    // feed.json (1.1) $refs feed-1 (1.0); both are draft-04 (README of the fixtures).
    const ajv = new Ajv({ validateSchema: false, validateFormats: false, strict: false, allErrors: true });
    ajv.addSchema(JSON.parse(schema('jsonfeed/feed-1.json')) as object);
    const validate = ajv.compile(JSON.parse(schema('jsonfeed/feed.json')) as object);
    jsonFeedValidator = (d) => (validate(d) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  }
  return jsonFeedValidator(data);
}

describe('the validators are not vacuous', { skip: schemasMissing }, () => {
  it('reject broken feeds and sitemaps', async () => {
    const badSitemap =
      '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>yesterday</lastmod></url></urlset>';
    assert.notDeepEqual(await xsdErrors(badSitemap, 'sitemap/sitemap.xsd', SITEMAP_EXTENSIONS), []);
    const badNews =
      '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://x.test/a</loc><news:news><news:title>t</news:title></news:news></url></urlset>';
    assert.notDeepEqual(await xsdErrors(badNews, 'sitemap/sitemap.xsd', SITEMAP_EXTENSIONS), []);
    assert.notDeepEqual(
      await xsdErrors('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>', 'rss/rss-2_0.xsd'),
      [],
    );
    assert.notDeepEqual(jsonFeedErrors({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [{ title: 'no id' }] }), []);
    if (!jingMissing) assert.notDeepEqual(jingErrors('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'), []);
  });
});

const xmlDoc = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const tags = (doc: ReturnType<typeof xmlDoc>, name: string) => Array.from(doc.getElementsByTagName(name));
const textOf = (el: { textContent: string | null } | undefined) => (el?.textContent ?? '').trim();

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: feeds and sitemaps`, { skip }, () => {
    let site: TestSite;
    const get = (url: string, headers: Record<string, string> = {}) => site.app.inject({ method: 'GET', url, headers });
    const EMBARGOED = 'Embargoed budget leak must not be syndicated';
    const DRAFT = 'Unfinished draft must not be syndicated';
    const UNDER_EMBARGO = 'Published row still under embargo must not be syndicated';
    const FRENCH_PATH = '/world/le-budget-est-adopte';

    before(async () => {
      // Enough generated stories that the site feed is cut at its size.
      site = await createTestSite(dialect, { demo: true, generated: FEED_SIZE + 6, siteUrl: SITE_URL });
      const { deps } = site;
      const world = await deps.db.selectFrom('sections').select('id').where('slug', '=', 'world').executeTakeFirstOrThrow();
      const author = await deps.db.selectFrom('authors').select('id').where('slug', '=', 'sudesh-baniya').executeTakeFirstOrThrow();
      const russia = await deps.db.selectFrom('tags').select('id').where('slug', '=', 'russia').executeTakeFirstOrThrow();
      const common = { sectionId: world.id, authorIds: [author.id], tagIds: [russia.id] };
      const future = new Date(deps.clock().getTime() + DAY).toISOString();
      await createArticle(
        deps,
        buildArticleInput({ ...common, headline: EMBARGOED, slug: 'embargoed-budget-leak', status: 'published', publishedAt: future }),
      );
      await createArticle(deps, buildArticleInput({ ...common, headline: DRAFT, slug: 'unfinished-draft', status: 'draft' }));
      // A published row whose embargo has not lifted (an import or a hand edit; the services refuse this state).
      const flagged = await createArticle(
        deps,
        buildArticleInput({
          ...common,
          headline: UNDER_EMBARGO,
          slug: 'still-under-embargo',
          status: 'published',
          publishedAt: new Date(deps.clock().getTime() - 3_600_000).toISOString(),
        }),
      );
      await deps.db.updateTable('articles').set({ embargo_until: future }).where('id', '=', flagged.id).execute();
      // A French story inside the news window; its body holds the CDATA terminator.
      await createArticle(
        deps,
        buildArticleInput({
          ...common,
          headline: 'Le budget est adopté',
          slug: 'le-budget-est-adopte',
          language: 'fr-CA',
          publishedAt: new Date(deps.clock().getTime() - 40 * 3_600_000).toISOString(),
          body: paragraphs('Le texte ]]> passe <enfin>.'),
        }),
      );
    });
    after(() => site?.close());

    describe('routing', () => {
      it('serves every feed of the site, a section, a tag and an author with its media type', async () => {
        const types = { 'feed.xml': 'application/rss+xml', 'feed.atom': 'application/atom+xml', 'feed.json': 'application/feed+json' };
        for (const scope of SCOPES) {
          for (const file of FORMATS) {
            const res = await get(`${scope}/${file}`);
            assert.equal(res.statusCode, 200, `${scope}/${file}`);
            assert.match(String(res.headers['content-type']), new RegExp(`^${types[file].replace('+', '\\+')}; charset=utf-8`));
          }
        }
      });

      it('keeps /<section>/<slug> for articles: feed.* is a static segment, an article slug still opens', async () => {
        assert.equal((await get(SEED_PATH)).statusCode, 200);
        assert.match((await get('/world/feed.xml')).body, /^<\?xml/);
        assert.equal((await get('/world/feed.txt')).statusCode, 404);
      });

      it('answers 404 for feeds of unknown sections, tags and authors', async () => {
        for (const url of [
          '/no-such-section/feed.xml',
          '/tags/no-such-tag/feed.atom',
          '/authors/nobody/feed.json',
          '/tags/Bad Slug/feed.xml',
        ]) {
          assert.equal((await get(url)).statusCode, 404, url);
        }
      });
    });

    describe('RSS 2.0', () => {
      let xml: string;
      before(async () => {
        xml = (await get('/feed.xml')).body;
      });

      it('has the required channel and item elements', () => {
        const doc = xmlDoc(xml);
        const channel = tags(doc, 'channel')[0]!;
        assert.equal(tags(doc, 'rss')[0]?.getAttribute('version'), '2.0');
        for (const name of ['title', 'link', 'description']) assert.ok(textOf(tags(channel, name)[0]), `channel ${name}`);
        const items = tags(doc, 'item');
        assert.equal(items.length, FEED_SIZE, 'the latest FEED_SIZE (20–50) stories');
        for (const item of items) assert.ok(textOf(tags(item, 'title')[0]) || textOf(tags(item, 'description')[0]));
      });

      it('validates against rss-2_0.xsd', { skip: schemasMissing }, async () => {
        assert.deepEqual(await xsdErrors(xml, 'rss/rss-2_0.xsd'), []);
      });

      it('carries the seed article with byline, categories, guid, RFC 822 date and its hero as media:content', () => {
        const doc = xmlDoc(xml);
        const item = tags(doc, 'item').find((i) => textOf(tags(i, 'link')[0]) === `${SITE_URL}${SEED_PATH}`);
        assert.ok(item, 'seed article in the site feed');
        assert.equal(textOf(tags(item, 'dc:creator')[0]), 'Sudesh Baniya');
        const categories = tags(item, 'category').map(textOf);
        assert.ok(categories.includes('World') && categories.includes('Russia'), categories.join());
        const guid = tags(item, 'guid')[0]!;
        assert.equal(guid.getAttribute('isPermaLink'), 'false');
        assert.match(textOf(guid), /^urn:uuid:[0-9a-f-]{36}$/);
        assert.match(
          textOf(tags(item, 'pubDate')[0]),
          /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/,
        );
        const media = tags(item, 'media:content')[0];
        assert.ok(media, 'hero image as media:content');
        assert.match(media.getAttribute('url') ?? '', new RegExp(`^${SITE_URL}/media/[^/]+/w\\d+\\.jpg$`));
        assert.ok(Number(media.getAttribute('width')) > 0 && Number(media.getAttribute('height')) > 0);
        assert.equal(media.getAttribute('medium'), 'image');
      });

      it('carries the full body as content:encoded (CDATA) with absolute URLs', () => {
        const doc = xmlDoc(xml);
        assert.match(xml, /xmlns:content="http:\/\/purl\.org\/rss\/1\.0\/modules\/content\/"/);
        const items = tags(doc, 'item');
        assert.ok(
          items.every((i) => tags(i, 'content:encoded').length === 1),
          'every item has the body',
        );
        const seed = items.find((i) => textOf(tags(i, 'link')[0]) === `${SITE_URL}${SEED_PATH}`)!;
        const body = textOf(tags(seed, 'content:encoded')[0]);
        assert.ok(body.includes('<blockquote>') && body.includes('Kirby'), 'rendered body HTML');
        assert.doesNotMatch(body, /(src|href|srcset)="\/(?!\/)/, 'no root-relative URLs');
        assert.match(xml, /<content:encoded><!\[CDATA\[/);
      });

      it('keeps a body with ]]> and markup-like text intact and valid', async () => {
        const res = await get('/world/feed.xml');
        const item = tags(xmlDoc(res.body), 'item').find((i) => textOf(tags(i, 'link')[0]) === `${SITE_URL}${FRENCH_PATH}`);
        assert.ok(item, 'French story in the section feed');
        assert.ok(textOf(tags(item, 'content:encoded')[0]).includes('<p>Le texte ]]&gt; passe &lt;enfin&gt;.</p>'));
        if (!schemasMissing) assert.deepEqual(await xsdErrors(res.body, 'rss/rss-2_0.xsd'), []);
      });

      it('lists newest first', () => {
        const dates = tags(xmlDoc(xml), 'item').map((i) => Date.parse(textOf(tags(i, 'pubDate')[0])));
        assert.deepEqual(
          dates,
          [...dates].sort((a, b) => b - a),
        );
      });
    });

    describe('Atom 1.0', () => {
      it(
        'validates against RFC 4287 atom.rnc for the site, a section, a tag and an author',
        { skip: schemasMissing || jingMissing },
        async () => {
          for (const scope of SCOPES) assert.deepEqual(jingErrors((await get(`${scope}/feed.atom`)).body), [], `${scope}/feed.atom`);
        },
      );

      it('has id, updated, author, alternate and self links, summary and categories', async () => {
        const doc = xmlDoc((await get('/world/feed.atom')).body);
        const feed = tags(doc, 'feed')[0]!;
        assert.equal(feed.getAttribute('xmlns'), 'http://www.w3.org/2005/Atom');
        const links = tags(doc, 'link').map((l) => `${l.getAttribute('rel')} ${l.getAttribute('href')}`);
        assert.ok(links.includes(`self ${SITE_URL}/world/feed.atom`), links.join());
        assert.ok(links.includes(`alternate ${SITE_URL}/world`), links.join());
        const entry = tags(doc, 'entry').find((e) => tags(e, 'link').some((l) => l.getAttribute('href') === `${SITE_URL}${SEED_PATH}`));
        assert.ok(entry, 'seed entry');
        assert.match(textOf(tags(entry, 'id')[0]), /^urn:uuid:/);
        assert.match(textOf(tags(entry, 'updated')[0]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(textOf(tags(tags(entry, 'author')[0]!, 'name')[0]), 'Sudesh Baniya');
        assert.equal(textOf(tags(entry, 'summary')[0]), 'Moscow has reportedly struggled to enforce military discipline in Ukraine.');
        assert.ok(tags(entry, 'category').some((c) => c.getAttribute('term') === 'russia'));
      });

      it('carries the full body as escaped HTML content beside the summary, as RSS and JSON Feed do', async () => {
        const doc = xmlDoc((await get('/feed.atom')).body);
        const entries = tags(doc, 'entry');
        assert.ok(
          entries.every((e) => tags(e, 'content').length === 1 && tags(e, 'summary').length === 1),
          'every entry has content and summary',
        );
        const entry = entries.find((e) => tags(e, 'link').some((l) => l.getAttribute('href') === `${SITE_URL}${SEED_PATH}`))!;
        const content = tags(entry, 'content')[0]!;
        assert.equal(content.getAttribute('type'), 'html');
        const body = textOf(content);
        assert.ok(body.includes('<blockquote>') && body.includes('Kirby'), 'rendered body HTML');
        assert.doesNotMatch(body, /(src|href|srcset)="\/(?!\/)/, 'no root-relative URLs');
        // The same HTML the JSON Feed gives for the same story.
        const json = JSON.parse((await get('/feed.json')).body) as { items: Array<{ url: string; content_html: string }> };
        assert.equal(body, json.items.find((i) => i.url === `${SITE_URL}${SEED_PATH}`)!.content_html.trim());
      });
    });

    describe('JSON Feed 1.1', () => {
      it(
        'validates against SchemaStore feed.json + feed-1.json for the site, a section, a tag and an author',
        { skip: schemasMissing },
        async () => {
          for (const scope of SCOPES)
            assert.deepEqual(jsonFeedErrors(JSON.parse((await get(`${scope}/feed.json`)).body)), [], `${scope}/feed.json`);
        },
      );

      it('gives the seed item with body HTML (absolute URLs), hero image, dates, authors, tags and language', async () => {
        const feed = JSON.parse((await get('/feed.json')).body) as {
          version: string;
          feed_url: string;
          items: Array<Record<string, unknown>>;
        };
        assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
        assert.equal(feed.feed_url, `${SITE_URL}/feed.json`);
        const item = feed.items.find((i) => i.url === `${SITE_URL}${SEED_PATH}`);
        assert.ok(item, 'seed item');
        assert.match(String(item.id), /^urn:uuid:/);
        assert.match(String(item.image), new RegExp(`^${SITE_URL}/media/.+\\.jpg$`));
        const body = String(item.content_html);
        assert.ok(body.includes('<blockquote>') && body.includes('Kirby'), 'rendered body');
        assert.doesNotMatch(body, /(src|href|srcset)="\/(?!\/)/, 'no root-relative URLs');
        assert.match(String(item.date_published), /Z$/);
        assert.deepEqual(item.authors, [{ name: 'Sudesh Baniya', url: `${SITE_URL}/authors/sudesh-baniya` }]);
        assert.ok((item.tags as string[]).includes('Russia'));
        assert.equal(item.language, 'en');
      });
    });

    describe('conditional GET', () => {
      for (const file of FORMATS) {
        it(`${file}: ETag and Last-Modified, 304 on If-None-Match or a current If-Modified-Since`, async () => {
          const first = await get(`/${file}`);
          const etag = String(first.headers.etag);
          const lastModified = String(first.headers['last-modified']);
          assert.match(etag, /^"[\w-]+"$/);
          assert.ok(Date.parse(lastModified) > 0);
          const byTag = await get(`/${file}`, { 'if-none-match': etag });
          assert.equal(byTag.statusCode, 304);
          assert.equal(byTag.body, '');
          assert.equal(byTag.headers.etag, etag);
          assert.equal((await get(`/${file}`, { 'if-none-match': `W/${etag}, "other"` })).statusCode, 304);
          assert.equal((await get(`/${file}`, { 'if-modified-since': lastModified })).statusCode, 304);
          assert.equal(
            (await get(`/${file}`, { 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() })).statusCode,
            200,
          );
          // A different ETag wins over a current date: the list may have lost a story.
          assert.equal((await get(`/${file}`, { 'if-none-match': '"stale"', 'if-modified-since': lastModified })).statusCode, 200);
        });
      }
    });

    describe('embargo safety', () => {
      it('never shows a future-dated or draft story in any feed or sitemap', async () => {
        const urls = [...SCOPES.flatMap((s) => FORMATS.map((f) => `${s}/${f}`)), '/sitemap-news.xml'];
        const index = (await get('/sitemap.xml')).body;
        for (const [, loc] of index.matchAll(/<loc>([^<]+)<\/loc>/g)) urls.push(loc!.slice(SITE_URL.length));
        for (const url of urls) {
          const body = (await get(url)).body;
          assert.ok(!body.includes(EMBARGOED) && !body.includes('embargoed-budget-leak'), `embargoed story in ${url}`);
          assert.ok(!body.includes(DRAFT) && !body.includes('unfinished-draft'), `draft in ${url}`);
          assert.ok(!body.includes(UNDER_EMBARGO) && !body.includes('still-under-embargo'), `story under embargo in ${url}`);
        }
      });
    });

    describe('robots.txt and sitemaps', () => {
      it('robots.txt allows everything and points to the sitemap index', async () => {
        const res = await get('/robots.txt');
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^text\/plain/);
        assert.match(res.body, /^User-agent: \*$/m);
        assert.match(res.body, /^Allow: \/$/m);
        assert.match(res.body, new RegExp(`^Sitemap: ${SITE_URL}/sitemap\\.xml$`, 'm'));
      });

      it(
        'the index and every sitemap it lists validate against the sitemaps.org and Google schemas',
        { skip: schemasMissing },
        async () => {
          const index = (await get('/sitemap.xml')).body;
          assert.deepEqual(await xsdErrors(index, 'sitemap/siteindex.xsd'), []);
          const locs = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
          assert.ok(locs.includes(`${SITE_URL}/sitemap-news.xml`));
          assert.ok(locs.some((l) => l.startsWith(`${SITE_URL}/sitemaps/articles/`)));
          for (const loc of locs) {
            const res = await get(loc.slice(SITE_URL.length));
            assert.equal(res.statusCode, 200, loc);
            assert.deepEqual(await xsdErrors(res.body, 'sitemap/sitemap.xsd', SITEMAP_EXTENSIONS), [], loc);
          }
        },
      );

      it('article sitemaps give lastmod and the hero image for the seed article', async () => {
        const index = (await get('/sitemap.xml')).body;
        const pages = [...index.matchAll(/<loc>([^<]+\/sitemaps\/articles\/[^<]+)<\/loc>/g)].map((m) => m[1]!);
        const bodies = await Promise.all(pages.map(async (p) => (await get(p.slice(SITE_URL.length))).body));
        const doc = xmlDoc(
          bodies
            .join('')
            .replace(/<\?xml[^>]*>/g, '')
            .replace(/^/, '<all>') + '</all>',
        );
        const seed = tags(doc, 'url').find((u) => textOf(tags(u, 'loc')[0]) === `${SITE_URL}${SEED_PATH}`);
        assert.ok(seed, 'seed article listed');
        assert.match(textOf(tags(seed, 'lastmod')[0]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.match(textOf(tags(seed, 'image:loc')[0]), new RegExp(`^${SITE_URL}/media/.+\\.jpg$`));
        const nowIso = site.deps.clock().toISOString();
        const total = await site.deps.db
          .selectFrom('articles')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'published')
          .where('published_at', '<=', nowIso)
          .where((eb) => eb.or([eb('embargo_until', 'is', null), eb('embargo_until', '<=', nowIso)]))
          // The demo's French and Arabic stories are in their editions' sitemaps (/fr/, /ar/).
          .where('language', 'not in', ['fr', 'ar'])
          .executeTakeFirstOrThrow();
        assert.equal(tags(doc, 'url').length, Number(total.n), 'every visible story of the default edition once');
      });

      it('keyset pages partition the stories: no gaps, no overlaps, oldest first', async () => {
        const pages = [];
        for await (const page of walkSitemapPages(site.deps, 7)) pages.push(page);
        assert.ok(pages.length > 2, `${pages.length} pages`);
        const ids: string[] = [];
        for (const page of pages)
          ids.push(...(await listSitemapArticles(site.deps, { from: page.start, limit: page.count })).map((a) => a.id));
        const all = await listSitemapArticles(site.deps, { limit: 10_000 });
        assert.deepEqual(
          ids,
          all.map((a) => a.id),
        );
        assert.equal(new Set(ids).size, ids.length);
      });

      it('malformed article sitemap page names answer 404', async () => {
        for (const url of ['/sitemaps/articles/nope.xml', '/sitemaps/articles/AAAAAAAAAAAA.xml', '/sitemaps/articles/x'])
          assert.equal((await get(url)).statusCode, 404, url);
      });

      it('the news sitemap validates, names the publication, and holds only stories of the last 2 days', async () => {
        const res = await get('/sitemap-news.xml');
        if (!schemasMissing) assert.deepEqual(await xsdErrors(res.body, 'sitemap/sitemap.xsd', SITEMAP_EXTENSIONS), []);
        const doc = xmlDoc(res.body);
        const news = tags(doc, 'news:news');
        assert.ok(news.length > 0 && news.length <= 1000);
        const since = site.deps.clock().getTime() - 2 * DAY;
        for (const n of news) {
          assert.equal(textOf(tags(n, 'news:name')[0]), site.deps.config.siteName);
          const loc = textOf(tags(n.parentNode as unknown as Parameters<typeof tags>[0], 'loc')[0]);
          // Each story's own language (fr-CA → fr), not the site's.
          assert.equal(textOf(tags(n, 'news:language')[0]), loc === `${SITE_URL}${FRENCH_PATH}` ? 'fr' : 'en', loc);
          assert.ok(textOf(tags(n, 'news:title')[0]));
          assert.ok(Date.parse(textOf(tags(n, 'news:publication_date')[0])) >= since, 'older than 2 days');
        }
        assert.ok(res.body.includes(`<loc>${SITE_URL}${SEED_PATH}</loc>`), 'seed article (3 hours old) listed');
        assert.ok(res.body.includes(`<loc>${SITE_URL}${FRENCH_PATH}</loc>`), 'French story (40 hours old) listed');
        const old = await site.deps.db
          .selectFrom('articles as a')
          .innerJoin('sections as s', 's.id', 'a.section_id')
          .select(['a.slug', 's.slug as section'])
          .where('a.status', '=', 'published')
          .where('a.published_at', '<', new Date(since).toISOString())
          .execute();
        assert.ok(old.length > 0, 'the demo has older stories');
        for (const o of old) assert.ok(!res.body.includes(`/${o.section}/${o.slug}<`), `old story /${o.section}/${o.slug} listed`);
      });
    });
  });
}
