import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { buildArticleInput, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { createArticle, updateArticle } from '../domain/articles/article-service.ts';
import { FRONT_PAGE_SIZE } from '../domain/published/front-service.ts';
import { ensureTags } from '../domain/tags/tag.ts';

const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';
const XSS = '<script>alert(1)</script>';
/** Stories added beyond the demo so World, the Russia tag and Sudesh Baniya each have more than one page. */
const EXTRA_STORIES = FRONT_PAGE_SIZE + 2;

function dom(html: string) {
  return parseHTML(html).document;
}

function attrs(doc: ReturnType<typeof dom>, selector: string, name: string): string[] {
  return Array.from(doc.querySelectorAll(selector)).map((el) => el.getAttribute(name) ?? '');
}

function text(doc: ReturnType<typeof dom>, selector: string): string {
  return (doc.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: public site over HTTP`, { skip }, () => {
    let site: TestSite;

    const get = (url: string) => site.app.inject({ method: 'GET', url });

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 12 });
      const { deps } = site;
      const world = await deps.db.selectFrom('sections').select('id').where('slug', '=', 'world').executeTakeFirstOrThrow();
      const author = await deps.db.selectFrom('authors').select('id').where('slug', '=', 'sudesh-baniya').executeTakeFirstOrThrow();
      const [russia] = await ensureTags(deps.db, ['Russia'], deps.clock());
      const day = 86_400_000;
      for (let i = 0; i < EXTRA_STORIES; i++) {
        await createArticle(
          deps,
          buildArticleInput({
            sectionId: world.id,
            headline: `Archive dispatch number ${i + 1} from the eastern front`,
            authorIds: [author.id],
            tagIds: [russia!.id],
            publishedAt: new Date(deps.clock().getTime() - (30 + i) * day).toISOString(),
          }),
        );
      }
    });
    after(() => site?.close());

    describe('seed article page', () => {
      let res: Awaited<ReturnType<typeof get>>;
      let doc: ReturnType<typeof dom>;
      before(async () => {
        res = await get(SEED_PATH);
        doc = dom(res.body);
      });

      it('answers 200 with HTML', () => {
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
      });

      it('shows headline, standfirst and the hero figcaption with caption and credit', () => {
        assert.equal(text(doc, 'h1.article__headline'), 'Russia executing soldiers not following orders, says US');
        assert.equal(text(doc, '.article__standfirst'), 'Moscow has reportedly struggled to enforce military discipline in Ukraine.');
        const caption = text(doc, '.article__hero figcaption');
        assert.ok(
          caption.includes('Russian military conscripts line up at a conscription point in Moscow, Friday, Nov. 26, 2010.'),
          caption,
        );
        assert.ok(caption.includes('Copyright Mikhail Metzel/AP2010'), caption);
        const img = doc.querySelector('.article__hero img');
        assert.ok(img?.getAttribute('src')?.startsWith('/media/'));
        assert.ok(img?.getAttribute('width') && img.getAttribute('height'), 'hero has intrinsic size');
      });

      it('links the byline to the author page and gives machine-readable times', () => {
        const byline = doc.querySelector('.byline a[href="/authors/sudesh-baniya"]');
        assert.equal(byline?.textContent, 'Sudesh Baniya');
        const times = attrs(doc, '.article__times time', 'datetime');
        assert.ok(times.length >= 1);
        for (const t of times) assert.match(t, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      });

      it('has a share bar for each network and a copy button', () => {
        const hrefs = attrs(doc, '.share-bar--top a.share-bar__link', 'href');
        const url = encodeURIComponent(`https://news.example.test${SEED_PATH}`);
        const expected = [
          /^mailto:\?/,
          /^https:\/\/x\.com\//,
          /^https:\/\/www\.facebook\.com\//,
          /^https:\/\/www\.linkedin\.com\//,
          /^https:\/\/wa\.me\//,
          /^https:\/\/t\.me\//,
        ];
        for (const re of expected) {
          const href = hrefs.find((h) => re.test(h));
          assert.ok(href, `share link matching ${re} in ${hrefs.join(' ')}`);
          assert.ok(href.includes(url), `${href} shares the article URL`);
        }
        assert.ok(doc.querySelector('.share-bar button.share-bar__copy[data-share-url]'), 'copy button');
      });

      it('names the comment count in words without aria-label on a plain span (a W3C validator error)', () => {
        for (const span of Array.from(doc.querySelectorAll('span[aria-label]')))
          assert.ok(span.getAttribute('role'), `aria-label on a span without a role: ${span.outerHTML}`);
        const link = doc.querySelector('.share-bar--top a.share-bar__comments')!;
        assert.equal(link.querySelector('.share-bar__count')?.getAttribute('aria-hidden'), 'true', 'the bare number is not read out');
        const count = link.querySelector('.share-bar__count')!.textContent;
        const spoken = link.querySelector('.visually-hidden')?.textContent ?? '';
        assert.match(spoken, new RegExp(`^, ${count} comments?$`), `the count is spoken as words: ${spoken}`);
      });

      it('renders quotes as blockquotes with attribution', () => {
        const quotes = Array.from(doc.querySelectorAll('.article__body figure.quote'));
        assert.ok(quotes.length >= 3, `found ${quotes.length} quotes`);
        const cites = quotes.map((q) => q.querySelector('cite')?.textContent ?? '');
        assert.ok(cites.includes('John Kirby, White House national security council spokesman'), cites.join(' | '));
        assert.ok(cites.includes('Former Wagner Group mercenary, speaking to Euronews'), cites.join(' | '));
        assert.ok(
          quotes.every((q) => q.querySelector('blockquote p')),
          'each quote has quoted text',
        );
      });

      it('has a comments section', () => {
        assert.ok(doc.querySelector('section#comments.comments h2'));
      });

      it('offers 3–6 related stories, none of which is the article itself', async () => {
        assert.equal(text(doc, '#related-heading'), 'You might also like');
        const links = attrs(doc, '.related .teaser__title a', 'href');
        assert.ok(links.length >= 3 && links.length <= 6, `related links: ${links.join(' ')}`);
        assert.ok(!links.includes(SEED_PATH));
        assert.equal(new Set(links).size, links.length, 'no duplicates');
        for (const link of links) assert.equal((await get(link)).statusCode, 200, `${link} resolves`);
      });
    });

    describe('fronts and lists', () => {
      it('home page answers 200 with the latest stories and section blocks', async () => {
        const res = await get('/');
        assert.equal(res.statusCode, 200);
        const doc = dom(res.body);
        assert.ok(doc.querySelector('.front__lead .teaser__title a'));
        assert.ok(attrs(doc, '.section-block h2 a', 'href').includes('/world'));
      });

      for (const base of ['/world', '/tags/russia', '/authors/sudesh-baniya']) {
        it(`${base} answers 200 and paginates with ?before= to an older page`, async () => {
          const first = await get(base);
          assert.equal(first.statusCode, 200);
          const doc1 = dom(first.body);
          const page1 = attrs(doc1, '.stream .teaser__title a', 'href');
          assert.equal(page1.length, FRONT_PAGE_SIZE);
          const next = doc1.querySelector('.pagination a[rel="next"]')?.getAttribute('href');
          assert.ok(next, 'an older-stories link');
          assert.ok(next.startsWith(`${base}?before=`), `older link ${next}`);
          assert.equal(doc1.querySelector('meta[name="robots"]'), null, 'page one is indexable');

          const second = await get(next);
          assert.equal(second.statusCode, 200);
          const doc2 = dom(second.body);
          const page2 = attrs(doc2, '.stream .teaser__title a', 'href');
          assert.ok(page2.length > 0);
          assert.deepEqual(
            page1.filter((p) => page2.includes(p)),
            [],
            'pages do not overlap',
          );
          assert.equal(doc2.querySelector('.pagination a[rel="first"]')?.getAttribute('href'), base);
          assert.equal(doc2.querySelector('meta[name="robots"]')?.getAttribute('content'), 'noindex, follow');
        });
      }

      it('the author page shows the author’s name and role', async () => {
        const doc = dom((await get('/authors/sudesh-baniya')).body);
        assert.equal(text(doc, '.list-header h1'), 'Sudesh Baniya');
        assert.equal(text(doc, '.list-header__role'), 'International news reporter');
      });
    });

    describe('not found', () => {
      const cases = [
        '/no-such-section',
        '/world/no-such-story',
        '/tags/no-such-tag',
        '/authors/nobody',
        '/World/Bad%20Slug!',
        '/World/Bad Slug!',
        `/world/${'a'.repeat(121)}`,
        `/world/${'very-long-slug-'.repeat(40)}`,
        '/%E0%A4%A',
        '/world/%E0%A4%A',
        '/world?before=garbage',
        '/world?before=',
        '/world?before=a&before=b',
        `/tags/russia?before=${'A'.repeat(60)}`,
        '/authors/sudesh-baniya?before=%3Cscript%3E',
      ];
      for (const url of cases) {
        it(`${url.length > 60 ? `${url.slice(0, 60)}…` : url} → 404 with a helpful page`, async () => {
          const res = await get(url);
          assert.equal(res.statusCode, 404);
          assert.match(String(res.headers['content-type']), /^text\/html/);
          const doc = dom(res.body);
          assert.equal(text(doc, 'h1'), 'We can’t find that page');
          assert.ok(doc.querySelector('.not-found a[href="/"]'), 'links to the front page');
          assert.equal(doc.querySelector('meta[name="robots"]')?.getAttribute('content'), 'noindex');
          assert.equal(res.headers['cache-control'], 'no-store');
        });
      }

      it('404 pages carry the security headers', async () => {
        for (const url of ['/no-such-section', '/world/no-such-story', '/world?before=garbage']) {
          const res = await get(url);
          assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
          assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, url);
        }
      });

      // Fastify answers malformed URLs before routing (frameworkErrors), bypassing onSend hooks.
      it('404 pages for malformed URLs (bad percent-encoding, over-long slug) carry the security headers', async () => {
        for (const url of ['/%E0%A4%A', '/world/%E0%A4%A', `/world/${'very-long-slug-'.repeat(40)}`]) {
          const res = await get(url);
          assert.equal(res.statusCode, 404, url);
          assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
          assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, url);
        }
      });
    });

    it('redirects an old slug with 301 to the new path after a rename', async () => {
      const { deps } = site;
      const world = await deps.db.selectFrom('sections').select('id').where('slug', '=', 'world').executeTakeFirstOrThrow();
      const a = await createArticle(
        deps,
        buildArticleInput({ sectionId: world.id, headline: 'Story that will be renamed', publishedAt: undefined }),
      );
      assert.equal((await get('/world/story-that-will-be-renamed')).statusCode, 200);
      const current = (await findArticleById(deps.db, a.id))!;
      await updateArticle(
        deps,
        a.id,
        { ...current, slug: 'story-with-a-better-name', publishedAt: undefined, updatedAt: undefined },
        current.revision,
      );
      const res = await get('/world/story-that-will-be-renamed');
      assert.equal(res.statusCode, 301);
      assert.equal(res.headers.location, '/world/story-with-a-better-name');
      assert.equal((await get('/world/story-with-a-better-name')).statusCode, 200);
    });

    it('sends security headers on pages', async () => {
      for (const url of [SEED_PATH, '/', '/world']) {
        const res = await get(url);
        const csp = String(res.headers['content-security-policy'] ?? '');
        assert.match(csp, /default-src 'self'/, url);
        assert.match(csp, /script-src 'self'/, url);
        assert.doesNotMatch(csp, /unsafe-inline/, url);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.ok(res.headers['referrer-policy']);
      }
    });

    it('never emits a hostile headline, standfirst or body as markup', async () => {
      const { deps } = site;
      const world = await deps.db.selectFrom('sections').select('id').where('slug', '=', 'world').executeTakeFirstOrThrow();
      const author = await deps.db.selectFrom('authors').select('id').where('slug', '=', 'sudesh-baniya').executeTakeFirstOrThrow();
      const a = await createArticle(
        deps,
        buildArticleInput({
          sectionId: world.id,
          slug: 'hostile-story',
          headline: `${XSS} "onerror="alert(1) Hostile headline`,
          standfirst: `${XSS} standfirst '><img src=x onerror=alert(1)>`,
          body: {
            version: 1,
            blocks: [
              ...paragraphs(`${XSS} body`).blocks,
              {
                type: 'paragraph',
                content: [{ type: 'link', href: 'https://example.com/"onerror="alert(1)', content: [{ type: 'text', text: XSS }] }],
              },
              { type: 'blockquote', content: [[{ type: 'text', text: XSS }]], attribution: XSS },
            ],
          },
          authorIds: [author.id],
          publishedAt: undefined,
        }),
      );
      for (const url of [`/world/${a.slug}`, '/', '/world', '/authors/sudesh-baniya']) {
        const res = await get(url);
        assert.equal(res.statusCode, 200, url);
        assert.ok(!res.body.includes(XSS), `raw script tag on ${url}`);
        assert.ok(res.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `escaped headline on ${url}`);
        assert.ok(!/["']\s*onerror=/i.test(res.body), `attribute break-out on ${url}`);
        assert.ok(!res.body.includes('<img src=x'), `injected tag on ${url}`);
        const doc = dom(res.body);
        assert.equal(doc.querySelectorAll('script:not([src]):not([type="application/ld+json"])').length, 0, `inline script on ${url}`);
      }
      const doc = dom((await get(`/world/${a.slug}`)).body);
      assert.equal(text(doc, 'h1.article__headline'), `${XSS} "onerror="alert(1) Hostile headline`);
      assert.ok(text(doc, 'title').startsWith(XSS));
    });
  });
}
