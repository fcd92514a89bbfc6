import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertNoSeriousAxeViolations,
  browserSkipReason,
  cspViolations,
  screenshotPath,
  useBrowserSite,
  watchPage,
} from '../support/browser.ts';
import { SEED_TRANSLATIONS } from '../../src/demo/demo-editions.ts';

/*
 * The demo's language editions in real Chromium: the Arabic edition's front and its copy of
 * the seed story (light and dark: axe, screenshots, the layout mirrored as measured, not as
 * assumed from an attribute), and the French front. Screenshots land in
 * test-output/screenshots for a person to look at. SQLite only: the markup does not depend
 * on the database.
 */

const AR_FRONT = '/ar/';
const AR_STORY = '/ar/alam/russia-executing-soldiers-not-following-orders-says-us-ar';
const FR_FRONT = '/fr/';

type Box = { x: number; y: number; width: number; height: number };

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is laid out`);
  return b;
}

/** The masthead and navigation run right to left: measured on the laid-out page. */
async function assertMirrored(page: Page, width: number): Promise<void> {
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
  assert.equal(await page.locator('main').evaluate((el) => getComputedStyle(el).direction), 'rtl');
  const brand = await box(page, '.masthead__brand');
  const search = await box(page, '.masthead__search');
  // The header's first item (the brand) is at the right, the search box to its left.
  assert.ok(brand.x + brand.width > width * 0.6, `brand at the right (right edge ${brand.x + brand.width} of ${width})`);
  assert.ok(search.x + search.width <= brand.x + 1, `search box left of the brand (${search.x + search.width} vs ${brand.x})`);
  // Section navigation: the first section at the right, each next one to its left.
  const items = page.locator('.masthead__nav li');
  const first = (await items.nth(0).boundingBox())!;
  const second = (await items.nth(1).boundingBox())!;
  assert.ok(first.x > second.x, `first section right of the second (${first.x} vs ${second.x})`);
  assert.equal(await page.locator('.masthead__nav li a').first().textContent(), 'العالم');
}

describe('language editions in Chromium (demo: English, French, Arabic)', { skip: browserSkipReason() }, () => {
  const env = useBrowserSite('sqlite', { demo: true, generated: 12 });

  for (const scheme of ['light', 'dark'] as const) {
    test(`the Arabic front is mirrored, in Arabic, with no serious axe violations (${scheme})`, async () => {
      const context = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 1000 } });
      try {
        const page = await context.newPage();
        const { problems } = await watchPage(page);
        await page.goto(env.site.origin + AR_FRONT, { waitUntil: 'load' });
        await assertMirrored(page, 1280);
        // The seed story's Arabic version leads the front; its teaser starts at the right.
        const title = page.locator('.teaser__title a', { hasText: SEED_TRANSLATIONS.ar.headline });
        assert.equal(await title.count(), 1);
        const teaser = (await title.boundingBox())!;
        const mainBox = await box(page, 'main');
        assert.ok(teaser.x + teaser.width > mainBox.x + mainBox.width / 2, 'the headline sits on the right half');
        assert.equal(await page.locator('form.masthead__search').getAttribute('action'), '/ar/search');
        await page.screenshot({ path: screenshotPath(`editions-ar-front-${scheme}.png`) });
        await page.screenshot({ path: screenshotPath(`editions-ar-front-${scheme}-full.png`), fullPage: true });
        assert.deepEqual(problems, []);
        assert.deepEqual(await cspViolations(page), []);
      } finally {
        await context.close();
      }
      // axe needs its script on the page: a context that bypasses the CSP.
      const audit = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 1000 }, bypassCSP: true });
      try {
        const page = await audit.newPage();
        await page.goto(env.site.origin + AR_FRONT, { waitUntil: 'load' });
        await assertNoSeriousAxeViolations(page, `${AR_FRONT} (${scheme})`);
      } finally {
        await audit.close();
      }
    });

    test(`the Arabic seed story is mirrored, links its versions, with no serious axe violations (${scheme})`, async () => {
      const context = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 1000 } });
      try {
        const page = await context.newPage();
        const { problems } = await watchPage(page);
        await page.goto(env.site.origin + AR_STORY, { waitUntil: 'load' });
        await assertMirrored(page, 1280);
        assert.equal(await page.locator('h1').textContent(), SEED_TRANSLATIONS.ar.headline);
        const header = await box(page, '.article__header');
        const headline = await box(page, '.article__headline');
        assert.ok(
          Math.abs(headline.x + headline.width - (header.x + header.width)) < 2,
          `headline starts at the right edge (${headline.x + headline.width} vs ${header.x + header.width})`,
        );
        // The other editions' versions are offered, each in its own language.
        const versions = page.locator('.article__editions a');
        assert.equal(await versions.count(), 2);
        const hrefs = await versions.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(
          hrefs.some((h) => h?.endsWith('/fr/monde/russia-executing-soldiers-not-following-orders-says-us-fr')),
          hrefs.join(' '),
        );
        // An English title in the Arabic list keeps its own direction (its colon after "English", not before it).
        const english = page.locator('.article__editions a[hreflang="en"]');
        assert.equal(await english.evaluate((el) => getComputedStyle(el).direction), 'ltr');
        // An English caption under the photo of an Arabic story keeps its own direction too.
        assert.equal(await page.locator('.article__hero .caption').evaluate((el) => getComputedStyle(el).direction), 'ltr');
        await page.screenshot({ path: screenshotPath(`editions-ar-article-${scheme}.png`) });
        await page.screenshot({ path: screenshotPath(`editions-ar-article-${scheme}-full.png`), fullPage: true });
        assert.deepEqual(problems, []);
        assert.deepEqual(await cspViolations(page), []);
      } finally {
        await context.close();
      }
      const audit = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 1000 }, bypassCSP: true });
      try {
        const page = await audit.newPage();
        await page.goto(env.site.origin + AR_STORY, { waitUntil: 'load' });
        await assertNoSeriousAxeViolations(page, `${AR_STORY} (${scheme})`);
      } finally {
        await audit.close();
      }
    });
  }

  test('the Arabic front at phone width stays mirrored with no sideways scroll', async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      const page = await context.newPage();
      await page.goto(env.site.origin + AR_FRONT, { waitUntil: 'load' });
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      const brand = await box(page, '.masthead__brand');
      assert.ok(brand.x + brand.width > 390 * 0.6, `brand at the right (${brand.x + brand.width})`);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= 390, `no sideways scroll (${scrollWidth})`);
      await page.screenshot({ path: screenshotPath('editions-ar-front-phone.png') });
    } finally {
      await context.close();
    }
  });

  test('the French front reads left to right, in French, with its own sections and search', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 } });
    try {
      const page = await context.newPage();
      const { problems } = await watchPage(page);
      await page.goto(env.site.origin + FR_FRONT, { waitUntil: 'load' });
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'ltr');
      const brand = await box(page, '.masthead__brand');
      assert.ok(brand.x < 640, `brand at the left (${brand.x})`);
      assert.equal(await page.locator('.masthead__nav li a').first().textContent(), 'Monde');
      assert.equal(await page.locator('.teaser__title a', { hasText: SEED_TRANSLATIONS.fr.headline }).count(), 1);
      // The header search leads to the French edition's search, which answers in French.
      await page.locator('#masthead-q').fill('Kirby');
      await Promise.all([page.waitForURL(/\/fr\/search\?q=Kirby/), page.locator('.masthead__search button').click()]);
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      assert.equal(await page.locator('.search-result .teaser__title a').count(), 1);
      await page.goto(env.site.origin + FR_FRONT, { waitUntil: 'load' });
      await page.screenshot({ path: screenshotPath('editions-fr-front.png') });
      await page.screenshot({ path: screenshotPath('editions-fr-front-full.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
