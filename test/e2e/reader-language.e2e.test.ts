import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertNoSeriousAxeViolations, browserSkipReason, screenshotPath, signInThroughForm, useBrowserSite } from '../support/browser.ts';
import { seedTranslatedStories, STORIES, type StoryLanguage } from '../support/i18n-test-support.ts';
import { seedUser } from '../support/account-factories.ts';

/*
 * Story pages in Arabic, Persian and French in real Chromium: the interface in the story's
 * language, the layout mirrored for right-to-left (measured, not assumed), axe in light and
 * dark, and screenshots in test-output/screenshots for a person to look at.
 * SQLite only: the markup does not depend on the database.
 */

type Box = { x: number; y: number; width: number; height: number };

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is laid out`);
  return b;
}

const RTL: Record<'ar' | 'fa' | 'fr', boolean> = { ar: true, fa: true, fr: false };
const WORDS: Record<'ar' | 'fa' | 'fr', { skip: string; byline: RegExp; share: string }> = {
  ar: { skip: 'انتقل إلى المحتوى', byline: /^بقلم Amira Haddad و\s?ليلى منصور$/, share: 'التعليقات' },
  fa: { skip: 'رفتن به محتوا', byline: /^نوشتهٔ Amira Haddad و\s?ليلى منصور$/, share: 'دیدگاه‌ها' },
  fr: { skip: 'Aller au contenu', byline: /^Par Amira Haddad et ليلى منصور$/, share: 'Commentaires' },
};

describe('story pages in their language and direction (Chromium)', { skip: browserSkipReason() }, () => {
  let paths: Record<StoryLanguage, string>;
  const env = useBrowserSite('sqlite', {
    demo: true,
    generated: 0,
    seed: async (deps) => void (paths = await seedTranslatedStories(deps)),
  });

  for (const language of ['ar', 'fa', 'fr'] as const) {
    test(`${language}: localized words, ${RTL[language] ? 'mirrored' : 'left-to-right'} layout`, async () => {
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 } });
      try {
        const page = await context.newPage();
        await page.goto(env.site.origin + paths[language], { waitUntil: 'load' });
        assert.equal(await page.getAttribute('html', 'lang'), language);
        assert.equal(await page.getAttribute('html', 'dir'), RTL[language] ? 'rtl' : 'ltr');
        assert.equal(await page.locator('h1').textContent(), STORIES[language].headline);
        assert.equal(await page.locator('.skip-link').textContent(), WORDS[language].skip);
        assert.match((await page.locator('.byline').innerText()).trim(), WORDS[language].byline);
        assert.equal(await page.locator('.share-bar--top .share-bar__comments span').first().textContent(), WORDS[language].share);
        // site.js re-renders times in the page's language: Arabic and Persian month names, not English.
        const published = await page.locator('.article__times time').first().textContent();
        assert.doesNotMatch(published ?? '', /December|November|January/);

        // Mirrored: the brand, the headline and the byline start at the right; the share bar runs right to left.
        const main = await box(page, '.article__header');
        const brand = await box(page, '.masthead__brand');
        const byline = await box(page, '.byline');
        const headline = await box(page, '.article__headline');
        const links = page.locator('.share-bar--top .share-bar__link');
        const first = (await links.first().boundingBox())!;
        const second = (await links.nth(1).boundingBox())!;
        const start = (b: Box) => (RTL[language] ? b.x + b.width : b.x);
        const edge = RTL[language] ? main.x + main.width : main.x;
        if (RTL[language]) {
          assert.ok(brand.x > 640, `brand on the right (x=${brand.x})`);
          assert.ok(first.x > second.x, 'first share link to the right of the second');
        } else {
          assert.ok(brand.x < 640, `brand on the left (x=${brand.x})`);
          assert.ok(first.x < second.x, 'first share link to the left of the second');
        }
        assert.ok(Math.abs(start(headline) - edge) < 2, `headline starts at the inline-start edge (${start(headline)} vs ${edge})`);
        assert.ok(Math.abs(start(byline) - edge) < 2, `byline starts at the inline-start edge (${start(byline)} vs ${edge})`);
        // The bidi isolates keep each name whole: the Latin name's box does not straddle the Arabic one.
        const names = page.locator('.byline bdi');
        assert.equal(await names.count(), 2);

        await page.screenshot({ path: screenshotPath(`reader-language-${language}-article.png`), fullPage: false });
      } finally {
        await context.close();
      }
    });
  }

  for (const language of ['ar', 'fa'] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      test(`${language} story page has no serious axe violations (${scheme})`, async () => {
        const context = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
        try {
          const page = await context.newPage();
          await page.goto(env.site.origin + paths[language], { waitUntil: 'load' });
          await assertNoSeriousAxeViolations(page, `${language} ${paths[language]} (${scheme})`);
          if (language === 'ar')
            await page.screenshot({ path: screenshotPath(`reader-language-ar-article-${scheme}-full.png`), fullPage: true });
        } finally {
          await context.close();
        }
      });
    }
  }

  test('ar: the discussion page and a phone-width story page stay mirrored', async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      const page = await context.newPage();
      await page.goto(`${env.site.origin}${paths.ar}/comments`, { waitUntil: 'load' });
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      const back = await box(page, '.comments-page__back a');
      assert.ok(back.x + back.width > 300, `back link at the right (${back.x + back.width})`);
      await page.screenshot({ path: screenshotPath('reader-language-ar-comments-phone.png') });
      await page.goto(env.site.origin + paths.ar, { waitUntil: 'load' });
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= 390, `no sideways scroll (${scrollWidth})`);
      await page.screenshot({ path: screenshotPath('reader-language-ar-article-phone.png') });
    } finally {
      await context.close();
    }
  });

  test('newsroom: an Arabic story is written right to left; the newsroom stays left to right', async () => {
    const editor = await seedUser(env.site.deps, 'editor', { name: 'Edna Editor' });
    const id = (await env.site.deps.db.selectFrom('articles').select('id').where('language', '=', 'ar').executeTakeFirstOrThrow()).id;
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await signInThroughForm(page, env.site.origin, editor.email, { next: `/newsroom/stories/${id}` });
      assert.equal(await page.getAttribute('html', 'dir'), null);
      assert.equal(await page.locator('#story-headline').getAttribute('dir'), 'rtl');
      const body = page.locator('#story-body .ProseMirror');
      await body.click();
      await body.waitFor({ state: 'visible' });
      assert.equal(await body.evaluate((el) => getComputedStyle(el).direction), 'rtl');
      const headline = await box(page, '#story-headline');
      const label = await box(page, 'label[for="story-headline"]');
      assert.ok(label.x < headline.x + headline.width / 2, 'the newsroom form still reads left to right');
      // Switching the language flips the writing surface at once.
      await page.locator('#story-language').fill('fr');
      assert.equal(await body.evaluate((el) => getComputedStyle(el).direction), 'ltr');
      await page.locator('#story-language').fill('fa');
      assert.equal(await page.locator('#story-standfirst').evaluate((el) => getComputedStyle(el).direction), 'rtl');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: screenshotPath('reader-language-newsroom-editor-fa.png') });
    } finally {
      await context.close();
    }
  });
});
