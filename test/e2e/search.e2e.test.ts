import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertNoSeriousAxeViolations, browserSkipReason, screenshotPath, useBrowserSite } from '../support/browser.ts';
import { TEST_SITE_URL } from '../support/test-site.ts';

/*
 * A reader searches with JavaScript turned off: types a phrase into the header box of an
 * article page, lands on the results with the seed story first and the phrase marked, refines
 * by section and sort with the page's own form, and gets a clear page for an over-long query.
 * The result, no-result and refusal pages pass an axe audit in both colour schemes.
 * SQLite only: the markup does not depend on the database.
 */

describe('search in Chromium without JavaScript', { skip: browserSkipReason() }, () => {
  const env = useBrowserSite('sqlite', { demo: true, generated: 8, siteUrl: TEST_SITE_URL });

  test('the header box finds the seed story by a phrase from deep in its body; the form refines it', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${env.site.origin}/world/russia-executing-soldiers-not-following-orders-says-us`);
      const box = page.getByRole('search', { name: 'Site search' }).getByRole('searchbox', { name: 'Search stories' });
      await box.fill('"barrier troops"');
      await box.press('Enter');
      await page.waitForURL(/\/search\?q=/);
      const first = page.locator('.search-result').first();
      assert.equal(await first.locator('h2 a').textContent(), 'Russia executing soldiers not following orders, says US');
      assert.deepEqual(await first.locator('mark').allTextContents(), ['barrier', 'troops']);
      await page.screenshot({ path: screenshotPath('search-results.png'), fullPage: true });

      const form = page.getByRole('search', { name: 'Search stories' });
      await form.getByLabel('Search for').fill('russia');
      await form.getByLabel('Section').selectOption('world');
      await form.getByLabel('Sort by').selectOption('newest');
      await form.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/sort=newest/);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('section'), 'world');
      const kickers = await page.locator('.search-result .teaser__kicker').allTextContents();
      assert.ok(kickers.length > 0 && kickers.every((k) => k === 'World'), kickers.join(','));
    } finally {
      await context.close();
    }
  });

  test('an over-long query gets a 400 page that says why and offers the form again', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const res = await page.goto(`${env.site.origin}/search?q=${'word '.repeat(50)}`);
      assert.equal(res?.status(), 400);
      assert.match((await page.getByRole('alert').textContent()) ?? '', /at most 200 characters/);
      assert.equal(await page.getByRole('search', { name: 'Search stories' }).count(), 1);
    } finally {
      await context.close();
    }
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const url of ['/search', '/search?q=russia', '/search?q=xylophonist', '/search?q=barrier+trops', `/search?q=${'x'.repeat(201)}`]) {
      test(`${url.slice(0, 30)} has no serious or critical axe violations (${scheme})`, async () => {
        const context = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
        try {
          const page = await context.newPage();
          await page.goto(env.site.origin + url, { waitUntil: 'load' });
          await assertNoSeriousAxeViolations(page, url);
          assert.equal(await page.locator('main h1').count(), 1, 'exactly one h1 in main');
        } finally {
          await context.close();
        }
      });
    }
  }
});
