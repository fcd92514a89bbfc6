import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Deps } from '../../src/deps.ts';
import { articlePath } from '../../src/domain/articles/article.ts';
import { findArticleById } from '../../src/domain/articles/article-repository.ts';
import type { User } from '../../src/domain/accounts/user.ts';
import { findImagesByIds } from '../../src/domain/media/image.ts';
import { PHOTOS_DIR, photoFixturesSkip } from '../support/photo-test-support.ts';
import { createSection, type Section } from '../../src/domain/sections/section.ts';
import { createScheduler, type Scheduler } from '../../src/jobs/scheduler.ts';
import { seedUser } from '../support/account-factories.ts';
import {
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
 * The whole desk in headless Chromium, as issue #4 tells it: a contributor writes a story
 * with a quotation and a photo uploaded from the editor and submits it, and cannot publish
 * it (no button, and a forged request is refused); an editor finds it in the review queue
 * and schedules it a few seconds ahead; the real scheduler loop publishes it and the public
 * page appears on time; two editors saving the same story get a conflict, not a lost
 * update; a correction shows on the public page. Needs /usr/bin/chromium (CHROMIUM_PATH)
 * and the fixture photos; skipped without them locally, a failure under CI=true.
 */

const browserSkip = browserSkipReason() || photoFixturesSkip();
const { dialect, skip } = (await testDialects())[0]!;

describe(`the newsroom desk, from draft to a scheduled, corrected story (${dialect})`, { skip: browserSkip || skip }, () => {
  let site: BrowserSite;
  let deps: Deps;
  let origin: string;
  let scheduler: Scheduler;
  let browser: Browser;
  let section: Section;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  before(async () => {
    site = await startBrowserSite(dialect, { seed: async (d) => (section = await createSection(d.db, { name: 'World' }, new Date())) });
    ({ deps, origin } = site);
    // The same loop main.ts runs: publishing on time is part of the journey.
    scheduler = createScheduler(deps);
    await scheduler.start();
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await scheduler?.stop();
    await site?.close();
  });

  /** A signed-in browser tab for `user`, recording console errors and CSP violations. */
  async function signedIn(user: User, next = '/newsroom'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    // A refused save (409) and the forged publish (403) are expected network errors.
    await watchPage(context, { allowConsole: /status of (409|403)/, label: user.name, problems });
    const page = await context.newPage();
    await signInThroughForm(page, origin, user.email, { next });
    return page;
  }

  /** A reader's tab: no session, its own HTTP cache. */
  async function anonymousPage(): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  }

  test('contributor writes and submits; editor schedules; it goes live on time; conflict and correction', async () => {
    const contributor = await seedUser(deps, 'contributor', { name: 'Carmen Contributor' });
    const editor = await seedUser(deps, 'editor', { name: 'Edgar Editor' });
    const deputy = await seedUser(deps, 'editor', { name: 'Dora Deputy' });

    // 1. The contributor writes a story with a quotation and a photo uploaded from the editor.
    const writer = await signedIn(contributor, '/newsroom/stories');
    await writer.getByRole('link', { name: 'New story' }).click();
    await writer.getByLabel('Headline').fill('Dockworkers end strike after overnight talks');
    // No section is preselected: the writer must choose one.
    await writer.getByLabel('Section').selectOption({ label: 'World' });
    await writer.getByRole('button', { name: 'Create draft' }).click();
    await writer.waitForURL(/\/newsroom\/stories\/[0-9a-f-]{36}$/);
    const id = new URL(writer.url()).pathname.split('/').pop()!;
    await writer.getByLabel('Standfirst').fill('Ships will be unloaded again from Monday.');
    const body = writer.locator('#story-body .ProseMirror');
    await writer.locator('#se-toolbar').waitFor({ state: 'visible' });
    await body.click();
    await writer.keyboard.type('The port strike ended at dawn after eleven hours of talks.');
    await writer.keyboard.press('Enter');
    await writer.getByRole('button', { name: 'Quote', exact: true }).click();
    await writer.keyboard.type('Nobody won this strike, but everyone can go back to work.');
    await body.locator('figcaption[data-attribution]').click();
    await writer.keyboard.type('Lena Ortiz, union spokeswoman');
    await writer.keyboard.press('Enter');
    await writer.getByRole('button', { name: 'Image', exact: true }).click();
    const picker = writer.getByRole('dialog', { name: 'Add an image to the story' });
    await picker.waitFor({ state: 'visible' });
    await picker.locator('#se-picker-file').setInputFiles(path.join(PHOTOS_DIR, 'cp.jpg'));
    const figure = body.locator('figure[data-image-id]');
    await figure.waitFor({ state: 'visible', timeout: 20_000 });
    const imageId = (await figure.getAttribute('data-image-id'))!;
    const image = (await findImagesByIds(deps.db, [imageId])).get(imageId);
    assert.ok(image, 'the upload from the editor is in the media library');
    assert.ok(image.caption.length > 0 && image.credit.length > 0, 'caption and credit were read from the photo');

    const draft = await eventually(async () => {
      const a = (await findArticleById(deps.db, id))!;
      assert.equal(a.standfirst, 'Ships will be unloaded again from Monday.');
      assert.deepEqual(
        a.body.blocks.map((b) => b.type),
        ['paragraph', 'blockquote', 'figure'],
      );
      return a;
    });
    assert.deepEqual(draft.body.blocks[1], {
      type: 'blockquote',
      content: [[{ type: 'text', text: 'Nobody won this strike, but everyone can go back to work.' }]],
      attribution: 'Lena Ortiz, union spokeswoman',
    });
    await writer.getByText(new RegExp(`Draft saved at .* \\(revision ${draft.revision}\\)`)).waitFor({ state: 'visible', timeout: 10_000 });

    // 2. A contributor is offered no way to publish, and a forged publish is refused on the server.
    assert.equal(await writer.getByRole('button', { name: 'Publish now' }).count(), 0);
    const forged = await writer.evaluate(async (storyId) => {
      const token = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
      const revision = (document.querySelector('input[name="expectedRevision"]') as HTMLInputElement).value;
      const res = await fetch(`/newsroom/stories/${storyId}/workflow`, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: token, action: 'publish', expectedRevision: revision }),
        redirect: 'manual',
      });
      return res.status;
    }, id);
    assert.equal(forged, 403, 'the server refuses a contributor publishing');
    assert.equal((await findArticleById(deps.db, id))!.status, 'draft', 'nothing changed');

    await writer.getByRole('button', { name: 'Submit for review' }).click();
    await writer.getByText('The story has been submitted for review.').waitFor({ state: 'visible' });
    assert.equal((await findArticleById(deps.db, id))!.status, 'in_review');
    assert.deepEqual(await cspViolations(writer), []);

    // 3. The editor finds it in the review queue and schedules it a few seconds ahead.
    const desk = await signedIn(editor, '/newsroom/review');
    await desk.getByRole('link', { name: 'Dockworkers end strike after overnight talks', exact: true }).click();
    await desk.waitForURL(`${origin}/newsroom/stories/${id}`);
    const publicUrl = `${origin}${articlePath(section.slug, (await findArticleById(deps.db, id))!.slug)}`;
    const goLive = new Date(Math.ceil((Date.now() + 4_000) / 1000) * 1000);
    await desk.locator('#wf-schedule-at').fill(goLive.toISOString().slice(0, 19));
    await desk.locator('#wf-schedule-tz').fill('UTC');
    await desk.getByRole('button', { name: 'Schedule', exact: true }).click();
    await desk.getByText(/The story is scheduled/).waitFor({ state: 'visible' });
    const scheduled = (await findArticleById(deps.db, id))!;
    assert.equal(scheduled.status, 'scheduled');
    assert.equal(scheduled.scheduledAt, goLive.toISOString());

    // 4. Not public before its time; public within about a second of it.
    const reader = await anonymousPage();
    if (Date.now() < goLive.getTime() - 500) {
      assert.equal((await reader.goto(publicUrl))!.status(), 404, 'not public before the scheduled time');
    }
    const wentLiveAt = await eventually(async () => {
      const res = await reader.goto(publicUrl);
      assert.equal(res!.status(), 200);
      return Date.now();
    }, 15_000);
    assert.ok(wentLiveAt - goLive.getTime() < 2_500, `public ${wentLiveAt - goLive.getTime()} ms after the scheduled time`);
    await reader.getByRole('heading', { level: 1, name: 'Dockworkers end strike after overnight talks' }).waitFor();
    const quote = reader.locator('figure.quote');
    assert.equal(await quote.locator('blockquote').textContent(), 'Nobody won this strike, but everyone can go back to work.');
    assert.equal(await quote.locator('figcaption cite').textContent(), 'Lena Ortiz, union spokeswoman');
    const photoCaption = await reader.locator('figure:not(.quote) figcaption').last().textContent();
    assert.ok(photoCaption!.includes(image.credit), `the photo credit shows on the page: ${photoCaption}`);
    const live = (await findArticleById(deps.db, id))!;
    assert.equal(live.status, 'published');

    // 5. Two editors save the same story: the second gets a conflict, the first save stands.
    await desk.reload();
    const second = await signedIn(deputy, `/newsroom/stories/${id}`);
    await second.locator('#se-toolbar').waitFor({ state: 'visible' });
    await desk.locator('#se-toolbar').waitFor({ state: 'visible' });
    await desk.getByLabel('Standfirst').fill('Ships will be unloaded again from Monday morning.');
    await desk.getByRole('button', { name: 'Save', exact: true }).click();
    await desk.getByText(/^Saved at .* \(revision \d+\)\.$/).waitFor({ state: 'visible', timeout: 10_000 });
    await second.getByLabel('Headline').fill('Port strike over after all-night talks');
    await second.getByRole('button', { name: 'Save', exact: true }).click();
    await second
      .locator('#se-conflict')
      .getByText(/Someone else saved this story/)
      .waitFor({ state: 'visible', timeout: 10_000 });
    const afterConflict = (await findArticleById(deps.db, id))!;
    assert.equal(afterConflict.standfirst, 'Ships will be unloaded again from Monday morning.', 'the first save stands');
    assert.equal(afterConflict.headline, 'Dockworkers end strike after overnight talks', 'the stale save did not overwrite it');

    // 6. The editor adds a correction; it shows on the public page with its time.
    await desk.reload();
    await desk.getByLabel('Correction').check();
    await desk.getByLabel('Note shown to readers').fill('An earlier version said the talks lasted nine hours. They lasted eleven.');
    await desk.getByRole('button', { name: 'Publish note' }).click();
    await desk.getByText('The correction is published with the story.').waitFor({ state: 'visible' });
    // A new reader: the first one's browser may keep the page for its max-age (30 s).
    const laterReader = await anonymousPage();
    await laterReader.goto(publicUrl);
    await laterReader.getByText('An earlier version said the talks lasted nine hours. They lasted eleven.').waitFor({ state: 'visible' });
    assert.ok((await findArticleById(deps.db, id))!.updatedAt, 'the updated time is set');
    await laterReader.screenshot({ path: screenshotPath(`desk-journey-public-${dialect}.png`), fullPage: true });

    for (const page of [writer, desk, second]) assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
    assert.deepEqual(problems, []);
  });
});
