import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { User } from '../../src/domain/accounts/user.ts';
import { createPlanningItem } from '../../src/domain/planning/planning-service.ts';
import { createSection, type Section } from '../../src/domain/sections/section.ts';
import { seedUser } from '../support/account-factories.ts';
import {
  assertNoSeriousAxeViolations,
  browserSkipReason,
  cspViolations,
  eventually,
  launchChromium,
  screenshotPath,
  signInThroughForm,
  startBrowserSite,
  watchPage,
  type BrowserSite,
} from '../support/browser.ts';
import { testDialects } from '../support/test-db.ts';

/*
 * Running the day in headless Chromium: an editor plans and assigns a story on the planning
 * page; the writer's dashboard number moves without a reload when another is assigned; the
 * writer starts writing from the plan; the editor opens the same story and each sees the
 * other, with a warning before they edit the same field; the editor takes over and the
 * writer's editor says so, keeping what they typed. axe audits the planning page and the
 * dashboard. Screenshots go to test-output/screenshots/desk-*.png.
 */

const browserSkip = browserSkipReason();
const { dialect, skip } = (await testDialects())[0]!;

describe(`the desk runs a day: planning, dashboard, presence (${dialect})`, { skip: browserSkip || skip }, () => {
  let site: BrowserSite;
  let browser: Browser;
  let section: Section;
  let editor: User;
  let writer: User;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const today = new Date().toISOString().slice(0, 10);

  before(async () => {
    site = await startBrowserSite(dialect, { seed: async (d) => (section = await createSection(d.db, { name: 'World' }, new Date())) });
    editor = await seedUser(site.deps, 'editor', { name: 'Eda Editor' });
    writer = await seedUser(site.deps, 'author', { name: 'Ari Author' });
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await site?.close();
  });

  async function signedIn(user: User, next = '/newsroom', options: { axe?: boolean } = {}): Promise<Page> {
    // axe is injected through DevTools, which the page's CSP does not govern only with bypassCSP.
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, bypassCSP: options.axe === true });
    contexts.push(context);
    if (!options.axe) await watchPage(context, { label: user.name, problems });
    const page = await context.newPage();
    await signInThroughForm(page, site.origin, user.email, { next });
    return page;
  }

  test('an editor plans and assigns a story on the planning page (axe-clean)', async () => {
    const page = await signedIn(editor, '/newsroom/planning');
    await page.getByRole('link', { name: 'Plan a story' }).click();
    await page.getByLabel('Working headline').fill('Flood defences: who pays');
    await page.getByLabel('Section').selectOption({ label: 'World' });
    await page.getByLabel('Slot').fill('Home lead');
    await page.getByLabel('Copy due at').fill('16:30');
    await page.getByLabel('Assigned to').selectOption({ label: 'Ari Author' });
    await page.getByLabel('Notes for the writer').fill('Ask the council for the 2027 budget line.');
    await page.getByLabel('Photo request').fill('Sandbags on the quay');
    await page.getByRole('button', { name: 'Add to the plan' }).click();
    await page.waitForURL(/\/newsroom\/planning\?day=.*done=created/);
    const row = page.locator('#planning-items tbody tr', { hasText: 'Flood defences: who pays' });
    await row.waitFor();
    assert.match(await row.innerText(), /Home lead[\s\S]*Ari Author/);
    assert.deepEqual(await cspViolations(page), []);
    await page.screenshot({ path: screenshotPath('desk-planning.png'), fullPage: true });

    const audit = await signedIn(editor, `/newsroom/planning?day=${today}`, { axe: true });
    await assertNoSeriousAxeViolations(audit, 'the planning page');
    await audit.getByRole('link', { name: /^Edit/ }).first().click();
    await assertNoSeriousAxeViolations(audit, 'the planning form');
  });

  test('the writer’s dashboard number moves without a reload when another story is assigned (axe-clean)', async () => {
    const page = await signedIn(writer);
    const count = page.locator('.dash-tile [data-dash-count="myAssignments"]');
    assert.equal(await count.innerText(), '1');
    await createPlanningItem(
      site.deps,
      { userId: editor.id, role: 'editor' },
      {
        day: today,
        workingHeadline: 'Late council vote',
        sectionId: section.id,
        assigneeUserId: writer.id,
      },
    );
    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    await eventually(async () => assert.equal(await count.innerText(), '2'), 20_000);
    assert.match(await page.locator('[data-dash-list="myAssignments"]').innerText(), /Late council vote/);
    assert.deepEqual(navigations, [], 'no reload');
    await page.screenshot({ path: screenshotPath('desk-dashboard.png'), fullPage: true });

    const audit = await signedIn(editor, '/newsroom', { axe: true });
    await assertNoSeriousAxeViolations(audit, 'the dashboard');
  });

  test('two people on one story see each other; an editor takes over and the writer keeps their text', async () => {
    const writerPage = await signedIn(writer, `/newsroom/planning?day=${today}`);
    await writerPage.getByRole('button', { name: /^Start writing\s*: Flood defences: who pays$/ }).click();
    await writerPage.waitForURL(/\/newsroom\/stories\/[^/]+$/);
    const storyPath = new URL(writerPage.url()).pathname;
    const headline = writerPage.getByLabel('Headline', { exact: true });
    assert.equal(await headline.inputValue(), 'Flood defences: who pays', 'the plan’s working headline');
    await headline.click();
    await headline.fill('Flood defences: the council’s bill');

    const editorPage = await signedIn(editor, storyPath);
    await eventually(
      async () => assert.match(await editorPage.locator('#presence-list').innerText(), /Ari Author: editing the headline/),
      15_000,
    );
    await eventually(async () => assert.match(await writerPage.locator('#presence-list').innerText(), /Eda Editor: reading/), 15_000);
    assert.match(await editorPage.locator('#presence-lock').innerText(), /Ari Author is editing this story/);

    // Before two people edit one field: the warning is there as soon as the editor enters it.
    await editorPage.getByLabel('Headline', { exact: true }).click();
    const warning = editorPage.locator('.presence-warning');
    await warning.waitFor();
    assert.match(await warning.innerText(), /Ari Author is editing the headline right now/);
    await editorPage.screenshot({ path: screenshotPath('desk-presence-warning.png'), fullPage: true });

    await editorPage.getByRole('button', { name: 'Take over editing' }).click();
    await eventually(async () => assert.match(await editorPage.locator('#presence-lock').innerText(), /You (took over|are editing)/));
    const notice = writerPage.locator('#presence-notice');
    await notice.waitFor({ timeout: 15_000 });
    assert.match(await notice.innerText(), /Eda Editor took over editing this story/);
    assert.match(await writerPage.locator('#presence-kept-text').inputValue(), /Headline: Flood defences: the council’s bill/);
    assert.equal(await headline.inputValue(), 'Flood defences: the council’s bill', 'the typed text is still in the form');
    await writerPage.screenshot({ path: screenshotPath('desk-presence-taken-over.png'), fullPage: true });
    await writerPage.getByRole('button', { name: 'Keep editing anyway' }).click();
    await headline.fill('Flood defences: the council’s bill, revised');
    assert.deepEqual(problems, []);
  });
});
