import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createArticle } from '../../src/domain/articles/article-service.ts';
import { setLiveCoverage } from '../../src/domain/live/live-coverage.ts';
import { createLiveEntry } from '../../src/domain/live/live-entry-service.ts';
import { seedUser } from '../support/account-factories.ts';
import {
  assertNoSeriousAxeViolations,
  browserSkipReason,
  cspViolations,
  eventually,
  signInThroughForm,
  useBrowserSite,
  watchPage,
} from '../support/browser.ts';
import { buildArticleInput, paragraphs, seedTaxonomy, type Taxonomy } from '../support/factories.ts';
import { testDialects } from '../support/test-db.ts';

/*
 * A live blog in headless Chromium: a reader scrolled down the page receives a new entry
 * without a reload, behind a "1 new update" bar, while what they were reading stays put; the
 * page passes axe; the live desk opens ready to type. Screenshots go to /tmp for a look.
 */

const browserSkip = browserSkipReason();
const { dialect, skip } = (await testDialects())[0]!;

describe(`live blog in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
  let tax: Taxonomy;
  const env = useBrowserSite(dialect, { seed: async (deps) => (tax = await seedTaxonomy(deps)) });

  test('a reader receives a new entry without reload, and the scroll position stays', async () => {
    const { site, browser } = env;
    const { deps, origin } = site;
    const editor = await seedUser(deps, 'editor', { name: 'Eve Editor' });
    const actor = { userId: editor.id, role: editor.role };
    const story = await createArticle(
      deps,
      buildArticleInput({
        sectionId: tax.world.id,
        headline: 'Storm Ilse reaches the coast',
        slug: 'storm-ilse-live',
        authorIds: [tax.reporter.id],
        publishedAt: new Date(Date.now() - 3_600_000).toISOString(),
        body: paragraphs('Follow our live coverage of the storm.'),
      }),
      { actor },
    );
    await setLiveCoverage(deps, actor, story.id, { live: true }, story.revision);
    for (let i = 1; i <= 12; i++) {
      await createLiveEntry(deps, actor, story.id, {
        body: paragraphs(`Update ${i}: ${'The wind keeps rising along the coast and crews are out. '.repeat(4)}`),
        publish: true,
        keyEvent: i === 3,
        pinned: i === 12,
        authorIds: [tax.reporter.id],
      });
    }
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const watched = await watchPage(page);
    await page.goto(`${origin}/world/storm-ilse-live`);
    await page.screenshot({ path: '/tmp/live-reader-top.png', fullPage: false });
    await assertNoSeriousAxeViolations(page, 'live blog page');

    // Scrolled down to an older entry, the reader keeps reading it while a new one arrives.
    const reading = page.locator('#live-entries .live-entry').nth(6);
    await reading.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 40));
    const topBefore = await reading.evaluate((el) => el.getBoundingClientRect().top);
    // The stream must be open before the entry is posted (else the page's cursor still catches it).
    const fresh = await createLiveEntry(deps, actor, story.id, {
      body: paragraphs('Breaking: the harbour wall has given way.'),
      publish: true,
    });
    const bar = page.locator('[data-live-new] button');
    await bar.waitFor();
    assert.equal(await bar.textContent(), '1 new update');
    const topAfter = await reading.evaluate((el) => el.getBoundingClientRect().top);
    assert.equal(Math.round(topAfter), Math.round(topBefore), 'what the reader was reading did not move');
    await page.screenshot({ path: '/tmp/live-reader-bar.png' });
    await bar.click();
    await eventually(async () => assert.equal(await page.locator(`#entry-${fresh.id}`).count(), 1));
    const first = await page.locator('#live-entries .live-entry').first().getAttribute('id');
    assert.equal(first, `entry-${fresh.id}`, 'the new entry heads the list, without a reload');
    await page.screenshot({ path: '/tmp/live-reader-after.png' });
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(watched.problems, []);

    // The live desk opens with the composer focused.
    await signInThroughForm(page, origin, editor.email);
    await page.goto(`${origin}/newsroom/stories/${story.id}/live`);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'entry-body');
    await page.keyboard.type('Posted from the desk with the keyboard.');
    await page.keyboard.press('Control+Enter');
    await page.waitForURL(`${origin}/newsroom/stories/${story.id}/live`);
    await eventually(async () => assert.match((await page.locator('[data-live-desk-list]').textContent()) ?? '', /Posted from the desk/));
    await page.screenshot({ path: '/tmp/live-desk.png', fullPage: false });
    await assertNoSeriousAxeViolations(page, 'live desk');
    await context.close();
  });
});
