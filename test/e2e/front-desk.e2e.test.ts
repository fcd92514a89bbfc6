import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Deps } from '../../src/deps.ts';
import { createArticle } from '../../src/domain/articles/article-service.ts';
import { createSection } from '../../src/domain/sections/section.ts';
import { seedUser } from '../support/account-factories.ts';
import {
  assertNoSeriousAxeViolations,
  browserSkipReason,
  eventually,
  launchChromium,
  screenshotPath,
  signInThroughForm,
  startBrowserSite,
  watchPage,
  type BrowserSite,
} from '../support/browser.ts';
import { buildArticleInput } from '../support/factories.ts';
import { testDialects } from '../support/test-db.ts';

/*
 * An editor arranges the home front in headless Chromium, with the keyboard alone (the
 * picker's search and Pin buttons, Move down, Publish now) and with the mouse (a story
 * dragged into the lead slot), and a reader, whose home page was cached, sees the new lead at
 * once. axe audits the arranging page. Needs /usr/bin/chromium (CHROMIUM_PATH).
 */

const { dialect, skip } = (await testDialects())[0]!;

const HEADLINES = ['Harbour reopens after the storm', 'Council agrees new budget', 'Rail strike called off', 'Museum finds lost painting'];

describe(`arranging the home front (${dialect})`, { skip: browserSkipReason() || skip }, () => {
  let site: BrowserSite;
  let deps: Deps;
  let browser: Browser;

  before(async () => {
    site = await startBrowserSite(dialect, {
      pageCacheMb: 16,
      seed: async (d) => {
        const world = await createSection(d.db, { name: 'World' }, new Date());
        for (const [i, headline] of HEADLINES.entries())
          await createArticle(
            d,
            buildArticleInput({ sectionId: world.id, headline, publishedAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString() }),
          );
      },
    });
    deps = site.deps;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  const leadHeadline = (page: Page) => page.locator('.front__lead .teaser__title').innerText();
  const pinned = (page: Page, slot: string) => page.locator(`.nr-pins[data-slot="${slot}"] .nr-pin__title`).allInnerTexts();

  test('keyboard and mouse arrange, publish, and the reader sees the new lead', async () => {
    const editor = await seedUser(deps, 'editor', { name: 'Edna Editor' });
    // axe is injected through DevTools, which the CSP does not govern: bypassCSP (see browser.ts).
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, bypassCSP: true });
    const { problems } = await watchPage(context);
    const desk = await context.newPage();

    const reader = await (await browser.newContext()).newPage();
    await reader.goto(`${site.origin}/`);
    assert.equal(await leadHeadline(reader), HEADLINES[0]);
    await reader.reload(); // now served from the page cache

    await signInThroughForm(desk, site.origin, editor.email, { next: '/newsroom/fronts/home' });
    await assertNoSeriousAxeViolations(desk, 'the front desk');

    // Keyboard only: search, pin two stories to Top stories, move the first down.
    await desk.getByLabel('Headline contains').focus();
    await desk.keyboard.type('rail');
    const pinRail = desk.getByRole('button', { name: `Pin ${HEADLINES[2]}` });
    await pinRail.waitFor();
    await pinRail.focus();
    await desk.keyboard.press('Enter');
    await desk.getByLabel('Headline contains').fill('');
    await desk.getByLabel('Headline contains').focus();
    await desk.keyboard.type('museum');
    const pinMuseum = desk.getByRole('button', { name: `Pin ${HEADLINES[3]}` });
    await pinMuseum.waitFor();
    await pinMuseum.focus();
    await desk.keyboard.press('Enter');
    assert.deepEqual(await pinned(desk, 'top'), [HEADLINES[2], HEADLINES[3]]);
    const down = desk.getByRole('button', { name: `Move ${HEADLINES[2]} down` });
    await down.focus();
    await desk.keyboard.press('Enter');
    assert.deepEqual(await pinned(desk, 'top'), [HEADLINES[3], HEADLINES[2]]);
    assert.equal(
      await desk.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      `Move ${HEADLINES[2]} down`,
      'focus stays on the button',
    );
    await eventually(async () =>
      assert.match(await desk.locator('[data-front-announce]').innerText(), new RegExp(`${HEADLINES[2]} is now 2 of 2 in Top stories`)),
    );

    // Mouse: drag the museum story into the empty lead slot.
    await desk.locator('.nr-pin', { hasText: HEADLINES[3] }).dragTo(desk.locator('.nr-pins[data-slot="lead"]'));
    assert.deepEqual(await pinned(desk, 'lead'), [HEADLINES[3]]);
    assert.deepEqual(await pinned(desk, 'top'), [HEADLINES[2]]);

    await assertNoSeriousAxeViolations(desk, 'the front desk with pinned stories');
    await desk.screenshot({ path: screenshotPath('front-desk-arranged.png'), fullPage: true });

    // Publish with the keyboard.
    await desk.getByRole('button', { name: 'Publish now' }).focus();
    await desk.keyboard.press('Enter');
    await desk.waitForURL(`${site.origin}/newsroom/fronts/home`);
    await desk.getByText('The arrangement is published').waitFor();
    await desk.getByText('Version 1 is on the front now.').waitFor();

    // The reader's cached home page was purged: the new lead, then the pinned top story.
    await reader.reload();
    assert.equal(await leadHeadline(reader), HEADLINES[3]);
    assert.equal(await reader.locator('.front__latest .teaser__title').first().innerText(), HEADLINES[2]);
    await assertNoSeriousAxeViolations(reader, 'the arranged home front');
    await reader.screenshot({ path: screenshotPath('front-desk-reader-home.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});
