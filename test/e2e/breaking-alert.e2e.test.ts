import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createArticle } from '../../src/domain/articles/article-service.ts';
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
 * The breaking-news alert in headless Chromium: an editor raises it from the newsroom in one
 * browser, and a reader's open page shows the banner without a reload, then loses it when the
 * editor clears it. Both pages pass axe with the banner up.
 */

const browserSkip = browserSkipReason();
const { dialect, skip } = (await testDialects())[0]!;

describe(`breaking-news alert in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
  let tax: Taxonomy;
  const env = useBrowserSite(dialect, { seed: async (deps) => (tax = await seedTaxonomy(deps)) });

  test('a banner raised in the newsroom appears on an open page without reload, and goes when cleared', async () => {
    const { site, browser } = env;
    const { deps, origin } = site;
    const editor = await seedUser(deps, 'editor', { name: 'Eve Editor' });
    await createArticle(
      deps,
      buildArticleInput({
        sectionId: tax.world.id,
        headline: 'Harbour wall gives way',
        slug: 'harbour-wall',
        publishedAt: new Date(Date.now() - 600_000).toISOString(),
        body: paragraphs('The harbour wall gave way this morning.'),
      }),
      { actor: { userId: editor.id, role: editor.role } },
    );

    const reader = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await reader.newPage();
    const watched = await watchPage(page);
    await page.goto(`${origin}/world`);
    assert.equal(await page.locator('.breaking-alert').count(), 0);
    // Marks this page load: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    const desk = await browser.newContext();
    const newsroom = await desk.newPage();
    await signInThroughForm(newsroom, origin, editor.email);
    await newsroom.goto(`${origin}/newsroom/alerts`);
    await assertNoSeriousAxeViolations(newsroom, 'newsroom alert page');
    await newsroom.selectOption('#alert-story', { label: 'Harbour wall gives way' });
    await newsroom.fill('#alert-text', 'Harbour wall gives way: evacuations under way');
    await newsroom.fill('#alert-minutes', '30');
    const raisedAt = Date.now();
    await newsroom.click('button:has-text("Raise alert")');
    await newsroom.waitForURL(`${origin}/newsroom/alerts?done=raised`);

    const link = page.locator('.breaking-alert a.breaking-alert__link');
    await link.waitFor({ timeout: 5000 });
    const delay = Date.now() - raisedAt;
    assert.equal(await link.textContent(), 'Harbour wall gives way: evacuations under way');
    assert.equal(await link.getAttribute('href'), '/world/harbour-wall');
    assert.equal(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'no reload');
    assert.ok(delay < 3000, `the banner arrived in ${delay} ms`);
    await page.screenshot({ path: '/tmp/breaking-alert-reader.png' });
    await assertNoSeriousAxeViolations(page, 'page with the breaking-news banner');
    // A page opened now gets the banner from the server.
    const other = await reader.newPage();
    await other.goto(`${origin}/`);
    assert.equal(await other.locator('.breaking-alert').count(), 1);

    await newsroom.click('button:has-text("Clear now")');
    await newsroom.waitForURL(`${origin}/newsroom/alerts?done=cleared`);
    await eventually(async () => assert.equal(await page.locator('.breaking-alert').count(), 0));
    assert.equal(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'still no reload');
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(watched.problems, []);
    await reader.close();
    await desk.close();
  });
});
