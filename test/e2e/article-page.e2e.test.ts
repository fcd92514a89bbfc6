import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Browser, BrowserContext, ConsoleMessage, Locator, Page } from 'playwright-core';
import { SEED_ARTICLE } from '../../src/demo/demo-content.ts';
import { browserSkipReason, cspViolations, installCspRecorder, screenshotPath, useBrowserSite } from '../support/browser.ts';
import { testDialects } from '../support/test-db.ts';
import { TEST_SITE_URL } from '../support/test-site.ts';

/*
 * The seed article in a real headless Chromium: everything a reader sees must actually be
 * visible (layout boxes, decoded images), the page must work without JavaScript, and no
 * console error or Content-Security-Policy violation may occur.
 *
 * Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the suite is skipped
 * locally and fails under CI=true.
 */

const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';
const FIRST_BODY_SENTENCE = 'The US on Thursday accused Russia of executing soldiers';

/** Polls until the locator is really visible (non-empty box, not hidden), like `toBeVisible`. */
async function expectVisible(locator: Locator, what: string, timeout = 5000): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout });
  } catch {
    assert.fail(`${what} should be visible`);
  }
  const box = await locator.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, `${what} should have a non-empty layout box (got ${JSON.stringify(box)})`);
}

/** Collects console errors, uncaught page errors, CSP violations and failed same-origin requests. */
function watchForProblems(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.url().startsWith(origin) && res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    // ERR_ABORTED is the browser cancelling (lazy) image loads when we navigate away.
    if (req.url().startsWith(origin) && req.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  return problems;
}

const dialects = await testDialects();
const browserSkip = browserSkipReason();

for (const { dialect, skip } of dialects) {
  describe(`article page in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
    const env = useBrowserSite(dialect, { demo: true, generated: 12, siteUrl: TEST_SITE_URL });
    let browser: Browser;
    let origin: string;

    before(() => {
      ({
        browser,
        site: { origin },
      } = env);
    });

    async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      await installCspRecorder(context);
      return context;
    }

    test('desktop: headline, hero, byline, sharing, comments and related stories are visible and work', async () => {
      const context = await newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
      // Headless Linux Chromium has no share sheet, but make sure the clipboard path is taken.
      await context.addInitScript(() => {
        delete (Navigator.prototype as { share?: unknown }).share;
      });
      const page = await context.newPage();
      const problems = watchForProblems(page, origin);
      try {
        const res = await page.goto(origin + SEED_PATH, { waitUntil: 'load' });
        assert.equal(res?.status(), 200);
        assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self'/);

        // Headline.
        const h1 = page.locator('h1');
        await expectVisible(h1, 'headline');
        assert.equal((await h1.innerText()).trim(), SEED_ARTICLE.headline);

        // Hero image: decoded, with meaningful alt text that is not the credit.
        const heroFigure = page.locator('article figure').first();
        const heroImg = heroFigure.locator('img');
        await expectVisible(heroImg, 'hero image');
        await page.waitForFunction(
          (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
          await heroImg.elementHandle(),
          { timeout: 5000 },
        );
        const alt = await heroImg.getAttribute('alt');
        assert.ok(alt && alt.trim().length > 0, 'hero image needs alt text');
        assert.ok(!/copyright/i.test(alt), `alt text must describe the photo, not credit it: ${alt}`);
        assert.equal(alt, SEED_ARTICLE.image.altText);

        // Caption and credit.
        const caption = heroFigure.locator('figcaption');
        await expectVisible(caption, 'hero caption');
        await expectVisible(caption.getByText(SEED_ARTICLE.image.caption, { exact: true }), 'caption text');
        await expectVisible(caption.getByText('Copyright Mikhail Metzel/AP2010', { exact: true }), 'photo credit');

        // Share links (both bars exist; the first must be visible and point at the canonical URL).
        for (const network of ['Email', 'X', 'Facebook', 'LinkedIn', 'WhatsApp', 'Telegram']) {
          const link = page.getByRole('link', { name: new RegExp(`^Share by ${network}\\b`) }).first();
          await expectVisible(link, `share link ${network}`);
          assert.ok((await link.getAttribute('href'))?.includes(encodeURIComponent(SEED_PATH)), `${network} link shares the article URL`);
        }

        // Comments section.
        const commentsSection = page.locator('section#comments');
        await expectVisible(commentsSection, 'comments section');
        await expectVisible(commentsSection.getByRole('heading', { name: /Comments/ }), 'comments heading');

        // Related stories.
        const relatedHeading = page.getByRole('heading', { name: 'You might also like' });
        await expectVisible(relatedHeading, '"You might also like" heading');
        const related = page.locator('section', { has: relatedHeading });
        const storyLinks = related.locator('h2 a, h3 a, h4 a');
        const storyCount = await storyLinks.count();
        assert.ok(storyCount >= 3, `expected 3+ related stories, got ${storyCount}`);
        for (let i = 0; i < storyCount; i++) {
          await expectVisible(storyLinks.nth(i), `related story link ${i + 1}`);
          assert.match((await storyLinks.nth(i).getAttribute('href')) ?? '', /^\/[^/]+\/[^/]+$/);
        }

        // Copy-link button: hidden in the HTML, revealed by site.js, copies the canonical URL.
        // (Matched by either label: the accessible name changes when the label does.)
        const copy = page.getByRole('button', { name: /Copy link|Link copied/ }).first();
        await expectVisible(copy, 'copy-link button (unhidden by site.js)');
        await page.screenshot({ path: screenshotPath(`article-desktop-1280-${dialect}.png`), fullPage: true });
        await copy.click();
        await expectVisible(copy.getByText('Link copied'), '"Link copied" label', 2000);
        const clip = await page.evaluate(() => navigator.clipboard.readText());
        assert.equal(clip, `https://news.example.test${SEED_PATH}`);

        // Byline → author page listing this article.
        const byline = page.locator('a[href^="/authors/"]', { hasText: 'Sudesh Baniya' }).first();
        await expectVisible(byline, 'byline link');
        await Promise.all([page.waitForURL(`${origin}/authors/**`), byline.click()]);
        await expectVisible(page.getByRole('heading', { level: 1, name: 'Sudesh Baniya' }), 'author page heading');
        await expectVisible(page.locator(`a[href="${SEED_PATH}"]`).first(), 'seed article on the author page');

        // Back to the article; a related story opens an article page.
        await page.goto(origin + SEED_PATH);
        const firstRelated = page
          .locator('section', { has: page.getByRole('heading', { name: 'You might also like' }) })
          .locator('h2 a, h3 a, h4 a')
          .first();
        const target = (await firstRelated.getAttribute('href'))!;
        const targetTitle = (await firstRelated.innerText()).trim();
        await Promise.all([page.waitForURL(origin + target), firstRelated.click()]);
        await expectVisible(page.locator('h1'), 'related article headline');
        assert.equal((await page.locator('h1').innerText()).trim(), targetTitle);

        assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
        assert.deepEqual(problems, [], 'no console errors or failed requests');
      } finally {
        await context.close();
      }
    });

    test('mobile 390px: the article reads without horizontal scrolling', async () => {
      const context = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      const problems = watchForProblems(page, origin);
      try {
        await page.goto(origin + SEED_PATH, { waitUntil: 'load' });
        await expectVisible(page.locator('h1'), 'headline');
        await expectVisible(page.locator('article figure img').first(), 'hero image');
        await expectVisible(page.locator('section#comments'), 'comments section');
        await expectVisible(page.getByRole('heading', { name: 'You might also like' }), '"You might also like" heading');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `page is ${overflow}px wider than the 390px viewport`);
        await page.screenshot({ path: screenshotPath(`article-mobile-390-${dialect}.png`), fullPage: true });
        assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
        assert.deepEqual(problems, [], 'no console errors or failed requests');
      } finally {
        await context.close();
      }
    });

    test('without JavaScript: headline and body text are visible, copy button stays hidden', async () => {
      const context = await newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      const problems = watchForProblems(page, origin);
      try {
        const res = await page.goto(origin + SEED_PATH, { waitUntil: 'load' });
        assert.equal(res?.status(), 200);
        await expectVisible(page.locator('h1', { hasText: SEED_ARTICLE.headline }), 'headline');
        await expectVisible(page.locator('article p', { hasText: FIRST_BODY_SENTENCE }), 'first body paragraph');
        await expectVisible(page.locator('article blockquote').first(), 'body quote');
        await expectVisible(page.locator('article figure img').first(), 'hero image');
        await expectVisible(page.locator('a[href^="/authors/"]', { hasText: 'Sudesh Baniya' }).first(), 'byline link');
        assert.equal(
          await page
            .getByRole('button', { name: /Copy link/ })
            .first()
            .isVisible(),
          false,
          'copy button needs JS, so it stays hidden',
        );
        assert.deepEqual(problems, [], 'no console errors or failed requests');
      } finally {
        await context.close();
      }
    });
  });
}
