import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { User } from '../../src/domain/accounts/user.ts';
import { PHOTOS_DIR, photoFixturesSkip, readPhoto } from '../support/photo-test-support.ts';
import { seedUser } from '../support/account-factories.ts';
import { browserSkipReason, cspViolations, screenshotPath, signInThroughForm, useBrowserSite, watchPage } from '../support/browser.ts';
import { testDialects } from '../support/test-db.ts';

/*
 * The media library in headless Chromium: a photo uploaded through the plain form (with
 * JavaScript off, the path every browser has) and photos dropped on the drop zone (our
 * script: one request per file, progress, errors per file). The caption and credit from
 * the photos' IPTC/XMP must appear in the edit form. No console errors or CSP violations.
 */

const browserSkip = browserSkipReason();
const fixturesSkip = photoFixturesSkip();
// One dialect is enough for a browser journey; the HTTP tests cover both databases.
const { dialect, skip } = (await testDialects())[0]!;

describe(`media library in Chromium (${dialect})`, { skip: browserSkip || fixturesSkip || skip }, () => {
  const env = useBrowserSite(dialect);
  let browser: Browser;
  let origin: string;
  let user: User;

  before(async () => {
    ({
      browser,
      site: { origin },
    } = env);
    user = await seedUser(env.site.deps, 'contributor', { name: 'Cleo Contributor' });
  });

  /** A signed-in page that records console errors and CSP violations. */
  async function signedIn(
    javaScriptEnabled: boolean,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[]; csp: () => Promise<string[]> }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
    const { problems } = await watchPage(context);
    const page = await context.newPage();
    await signInThroughForm(page, origin, user.email);
    // The init script cannot run with JavaScript off; there is nothing to violate then either.
    const csp = async () => (javaScriptEnabled ? cspViolations(page) : []);
    return { context, page, problems, csp };
  }

  /** Drops files on the drop zone the way a browser does: a drop event carrying a DataTransfer. */
  async function dropFiles(page: Page, files: Array<{ name: string; type: string; data: Buffer }>) {
    const dataTransfer = await page.evaluateHandle(
      (list) => {
        const dt = new DataTransfer();
        for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
        return dt;
      },
      files.map((f) => ({ name: f.name, type: f.type, bytes: [...f.data] })),
    );
    await page.dispatchEvent('[data-media-dropzone]', 'dragenter', { dataTransfer });
    await page.dispatchEvent('[data-media-dropzone]', 'drop', { dataTransfer });
  }

  test('plain form upload (JavaScript off) opens the edit form filled from the photo’s IPTC/XMP', async () => {
    const { context, page, problems } = await signedIn(false);
    try {
      await page.goto(`${origin}/newsroom/media`);
      assert.equal(await page.locator('[data-media-dropzone]').isVisible(), false, 'no drop zone without the script');
      await page.setInputFiles('#media-file', path.join(PHOTOS_DIR, 'cp.jpg'));
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForURL(/\/newsroom\/media\/[0-9a-f-]{36}$/);
      await page.getByText('The photo has been uploaded.').waitFor();
      assert.match(await page.getByLabel('Caption').inputValue(), /^The Montreal Police logo is seen on a police car in Montreal/);
      assert.equal(await page.getByLabel('Credit line').inputValue(), 'The Canadian Press');
      assert.equal(await page.getByLabel('Photographer').inputValue(), 'Paul Chiasson');

      await page.getByLabel('Alt text').fill('A Montreal police car with the force’s logo on its door');
      await page.getByRole('button', { name: 'Save description' }).click();
      await page.getByText('The image description has been saved.').waitFor();
      assert.equal(await page.getByLabel('Alt text').inputValue(), 'A Montreal police car with the force’s logo on its door');
      await page.screenshot({ path: screenshotPath(`media-edit-${dialect}.png`), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('drag and drop: one photo goes to its edit form; several show progress and errors per file', async () => {
    const { context, page, problems, csp } = await signedIn(true);
    try {
      await page.goto(`${origin}/newsroom/media`);
      const zone = page.locator('[data-media-dropzone]');
      await zone.waitFor({ state: 'visible' });

      await dropFiles(page, [{ name: 'IPTC.jpg', type: 'image/jpeg', data: readPhoto('IPTC.jpg') }]);
      await page.waitForURL(/\/newsroom\/media\/[0-9a-f-]{36}$/);
      assert.equal(await page.getByLabel('Caption').inputValue(), 'A witty caption');
      assert.equal(await page.getByLabel('Credit line').inputValue(), 'My Credit');
      assert.equal(await page.getByLabel('Copyright notice').inputValue(), 'Copyright 2004 Phil Harvey');

      await page.goto(`${origin}/newsroom/media`);
      await zone.waitFor({ state: 'visible' });
      await dropFiles(page, [
        { name: 'letter.jpg', type: 'image/jpeg', data: Buffer.from('Not a photo at all.\n') },
        { name: 'XMP.jpg', type: 'image/jpeg', data: readPhoto('XMP.jpg') },
        { name: 'notes.txt', type: 'text/plain', data: Buffer.from('notes') },
      ]);
      const rows = page.locator('[data-media-progress] li');
      await page.locator('[data-media-progress] li.nr-upload--done').waitFor();
      await page.locator('[data-media-progress] li.nr-upload--failed').nth(1).waitFor();
      assert.equal(await rows.count(), 3);
      assert.match(await rows.nth(0).innerText(), /letter\.jpg[\s\S]*This file is not an image we can read/);
      assert.match(await rows.nth(1).innerText(), /XMP\.jpg[\s\S]*Uploaded: check the description/);
      assert.match(await rows.nth(2).innerText(), /notes\.txt[\s\S]*Not a JPEG, PNG, WebP or AVIF image/);
      await page.screenshot({ path: screenshotPath(`media-library-uploads-${dialect}.png`), fullPage: true });

      await rows.nth(1).getByRole('link').click();
      await page.waitForURL(/\/newsroom\/media\/[0-9a-f-]{36}$/);
      assert.equal(await page.getByLabel('Credit line').inputValue(), 'My Credit');
      assert.equal(await page.getByLabel('Photographer').inputValue(), 'Phil Harvey');

      await page.goto(`${origin}/newsroom/media`);
      assert.equal(await page.locator('.nr-media-grid > li').count(), 3, 'three photos in the library');
      await page.screenshot({ path: screenshotPath(`media-library-grid-${dialect}.png`), fullPage: true });

      assert.deepEqual(await csp(), [], 'no CSP violations');
      // The refused file's request is the only error the browser may log.
      assert.deepEqual(
        problems.filter((p) => !/status of 415/.test(p)),
        [],
      );
    } finally {
      await context.close();
    }
  });
});
