import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createArticle } from '../../src/domain/articles/article-service.ts';
import { SEED_ARTICLE } from '../../src/demo/demo-content.ts';
import { buildArticleInput, paragraphs } from '../support/factories.ts';
import { browserSkipReason, cspViolations, launchChromium, startBrowserSite, watchPage, type BrowserSite } from '../support/browser.ts';
import { testDialects } from '../support/test-db.ts';
import { TEST_SITE_URL } from '../support/test-site.ts';

/*
 * JSON-LD in a real browser: the strict CSP (script-src 'self') must not report the
 * `application/ld+json` blocks, a hostile headline must not run, and the browser must read
 * the escaped JSON back to the exact text.
 */

const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';
const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)> & \u2028 "quoted"';

const browserSkip = browserSkipReason();

for (const { dialect, skip } of await testDialects()) {
  describe(`page metadata in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
    let site: BrowserSite;
    let browser: Browser;
    let origin: string;
    let hostilePath: string;

    before(async () => {
      site = await startBrowserSite(dialect, { demo: true, siteUrl: TEST_SITE_URL });
      origin = site.origin;
      const { deps } = site;
      const world = await deps.db.selectFrom('sections').select('id').where('slug', '=', 'world').executeTakeFirstOrThrow();
      const hostile = await createArticle(
        deps,
        buildArticleInput({
          sectionId: world.id,
          slug: 'hostile-json-ld',
          headline: HOSTILE,
          body: paragraphs('Text.'),
          publishedAt: new Date(deps.clock().getTime() - 86_400_000).toISOString(),
        }),
      );
      hostilePath = `/world/${hostile.slug}`;
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      await site?.close();
    });

    /** Loads a page; returns its parsed JSON-LD blocks and every problem the browser reported. */
    async function load(path: string): Promise<{ data: Array<Record<string, unknown>>; problems: string[] }> {
      const context = await browser.newContext();
      const { problems } = await watchPage(context);
      const page = await context.newPage();
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      try {
        const res = await page.goto(origin + path, { waitUntil: 'load' });
        assert.equal(res?.status(), 200, path);
        assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
        const data = await page.evaluate(() =>
          Array.from(document.querySelectorAll('script[type="application/ld+json"]')).map(
            (s) => JSON.parse(s.textContent ?? '') as Record<string, unknown>,
          ),
        );
        problems.push(...(await cspViolations(page)).map((v) => `CSP: ${v}`));
        // Only the site script and the JSON-LD block are script elements.
        const scripts = await page.evaluate(() => Array.from(document.scripts).map((s) => s.type || s.src.replace(/\?.*$/, '')));
        assert.deepEqual(
          scripts.map((s) => s.replace(/^https?:\/\/[^/]+/, '')),
          ['application/ld+json', '/static/site.js'],
          path,
        );
        return { data, problems };
      } finally {
        await context.close();
      }
    }

    for (const path of [SEED_PATH, '/', '/world', '/tags/russia', '/authors/sudesh-baniya']) {
      test(`${path}: JSON-LD parses in the browser and no CSP violation or error is reported`, async () => {
        const { data, problems } = await load(path);
        assert.deepEqual(problems, []);
        assert.equal(data.length, 1);
        if (path === SEED_PATH) assert.equal(data[0]!.headline, SEED_ARTICLE.headline);
        else assert.ok(Array.isArray(data[0]!['@graph']));
      });
    }

    test('a hostile headline stays text: nothing runs, the JSON-LD reads back exactly', async () => {
      const { data, problems } = await load(hostilePath);
      assert.deepEqual(problems, []);
      assert.equal(data[0]!.headline, HOSTILE);
    });
  });
}
