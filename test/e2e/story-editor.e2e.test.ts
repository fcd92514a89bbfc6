import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Response } from 'playwright-core';
import sharp from 'sharp';
import { createArticle, updateArticle } from '../../src/domain/articles/article-service.ts';
import type { EditConflictError } from '../../src/domain/errors.ts';
import { saveStory } from '../../src/domain/desk/article-editor.ts';
import { findArticleById } from '../../src/domain/articles/article-repository.ts';
import { uploadLibraryImage } from '../../src/domain/media/media-library.ts';
import { createSection } from '../../src/domain/sections/section.ts';
import { seedUser } from '../support/account-factories.ts';
import {
  assertNoSeriousAxeViolations,
  browserSkipReason,
  cspViolations,
  eventually,
  screenshotPath,
  signInThroughForm,
  useBrowserSite,
  watchPage,
} from '../support/browser.ts';
import { testDialects } from '../support/test-db.ts';

/*
 * Writing a story in headless Chromium: sign in, create a draft, type in the TipTap editor,
 * make words bold, add a quotation with its speaker, let autosave run, save, and check the
 * stored document, with no console error or CSP violation. Needs /usr/bin/chromium
 * (CHROMIUM_PATH); skipped without it locally, a failure under CI=true.
 */

const browserSkip = browserSkipReason();
// One dialect is enough for a browser journey; the HTTP tests cover both databases.
const { dialect, skip } = (await testDialects())[0]!;

describe(`story editor in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
  let sectionId: string;
  const env = useBrowserSite(dialect, {
    seed: async (deps) => (sectionId = (await createSection(deps.db, { name: 'World' }, new Date())).id),
  });

  test('creates a story, types, bolds, quotes with attribution; autosave and save store the document', async () => {
    const {
      site: { deps, origin },
      browser,
    } = env;
    const user = await seedUser(deps, 'contributor', { name: 'Carla Contributor' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { problems } = await watchPage(context);
    const page = await context.newPage();
    const saves: Array<{ baseRevision: number; status?: number }> = [];
    // Recorded when the answer's headers arrive, before the page can show "Saved".
    page.on('response', (res: Response) => {
      if (!res.url().endsWith('/autosave')) return;
      const body = JSON.parse(res.request().postData() ?? '{}') as { baseRevision: number };
      saves.push({ baseRevision: body.baseRevision, status: res.status() });
    });
    try {
      await signInThroughForm(page, origin, user.email);

      await page.goto(`${origin}/newsroom/stories`);
      await page.getByRole('link', { name: 'New story' }).click();
      await page.getByLabel('Headline').fill('Bridge reopens after repairs');
      // No section is preselected: the writer must choose one.
      await page.getByLabel('Section').selectOption({ label: 'World' });
      await page.getByRole('button', { name: 'Create draft' }).click();
      await page.waitForURL(/\/newsroom\/stories\/[0-9a-f-]{36}$/);
      const id = new URL(page.url()).pathname.split('/').pop()!;

      const body = page.locator('#story-body .ProseMirror');
      await body.waitFor({ state: 'visible' });
      await page.locator('#se-toolbar').waitFor({ state: 'visible' }); // shown once the script runs
      await body.click();
      await page.keyboard.type('The old bridge opened again on Monday. ');
      await page.getByRole('button', { name: 'Bold' }).click();
      await page.locator('button[data-cmd="bold"][aria-pressed="true"]').waitFor();
      await page.keyboard.type('Traffic is back');
      await page.getByRole('button', { name: 'Bold' }).click();
      await page.keyboard.type('.');
      assert.equal(await page.getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed'), 'false');

      // A draft saves itself a moment after the typing stops (perhaps more than once on a slow machine).
      const typed = {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'The old bridge opened again on Monday. ' },
          { type: 'text', text: 'Traffic is back', marks: ['bold'] },
          { type: 'text', text: '.' },
        ],
      };
      await page.getByText(/Draft saved at .* \(revision \d+\)/).waitFor({ state: 'visible', timeout: 10_000 });
      const autosaved = await eventually(async () => {
        const a = (await findArticleById(deps.db, id))!;
        assert.deepEqual(a.body.blocks[0], typed);
        return a;
      });
      assert.ok(autosaved.revision >= 2, 'autosave wrote a new revision without pressing Save');
      await page
        .getByText(new RegExp(`Draft saved at .* \\(revision ${autosaved.revision}\\)`))
        .waitFor({ state: 'visible', timeout: 10_000 });

      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Quote', exact: true }).click();
      await page.keyboard.type('We are relieved it is open.');
      await body.locator('figcaption[data-attribution]').click();
      await page.keyboard.type('Mayor Ana Lima');
      // Enter on the speaker line leaves the quotation; then a link on the last words typed.
      await page.keyboard.press('Enter');
      await page.keyboard.type('Read the council notice');
      for (let i = 0; i < 'council notice'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
      await page.getByRole('button', { name: 'Link', exact: true }).click();
      const linkDialog = page.getByRole('dialog', { name: 'Link' });
      await linkDialog.getByLabel('Address').fill('javascript:alert(1)');
      await linkDialog.getByRole('button', { name: 'Apply' }).click();
      await linkDialog.getByText(/Use a web address/).waitFor({ state: 'visible' });
      await linkDialog.getByLabel('Address').fill('council.example/notices/bridge');
      await linkDialog.getByRole('button', { name: 'Apply' }).click();
      await body.locator('a[href="https://council.example/notices/bridge"]').waitFor({ state: 'visible' });
      await page.getByLabel('Standfirst').fill('Drivers can cross again.');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText(/^Saved at .* \(revision \d+\)\.$/).waitFor({ state: 'visible', timeout: 10_000 });

      const stored = (await findArticleById(deps.db, id))!;
      assert.equal(stored.standfirst, 'Drivers can cross again.');
      assert.deepEqual(stored.body, {
        version: 1,
        blocks: [
          autosaved.body.blocks[0],
          { type: 'blockquote', content: [[{ type: 'text', text: 'We are relieved it is open.' }]], attribution: 'Mayor Ana Lima' },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'Read the ' },
              { type: 'link', href: 'https://council.example/notices/bridge', content: [{ type: 'text', text: 'council notice' }] },
            ],
          },
        ],
      });
      assert.ok(saves.length >= 2, `autosave and save both went through the JSON endpoint (${JSON.stringify(saves)})`);
      assert.ok(
        saves.every((s) => s.status === 200),
        JSON.stringify(saves),
      );
      assert.deepEqual(
        saves.map((s) => s.baseRevision),
        saves.map((_, i) => 1 + i),
        'each save carries the revision the previous one returned',
      );
      await page.screenshot({ path: screenshotPath(`story-editor-${dialect}.png`), fullPage: true });

      // Reloading shows what was stored, in the editor.
      await page.reload();
      await page.locator('#story-body .ProseMirror blockquote').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#story-body .ProseMirror strong').textContent(), 'Traffic is back');
      assert.equal(await page.locator('#story-body figcaption[data-attribution]').textContent(), 'Mayor Ana Lima');

      assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
  test('adds a library image as a figure, and a save over newer work is refused, kept and taken over the latest', async () => {
    const {
      site: { deps, origin },
      browser,
    } = env;
    const user = await seedUser(deps, 'contributor', { name: 'Cody Contributor' });
    const editor = await seedUser(deps, 'editor', { name: 'Edna Editor' });
    const actor = { userId: user.id, role: 'contributor' as const };
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#7a8b99' } })
      .jpeg()
      .toBuffer();
    const image = await uploadLibraryImage(deps, actor, photo, { filename: 'harbour.jpg', maxUploadMb: 25 });
    const draft = await createArticle(
      deps,
      {
        sectionId,
        headline: 'Harbour gets a new crane',
        body: { version: 1, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'First words.' }] }] },
      },
      { actor },
    );

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { problems } = await watchPage(context, { allowConsole: /409 \(Conflict\)/ });
    const page = await context.newPage();
    // The editor's scripts the page asked for: the entry first, each chunk when it is needed.
    const scripts: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname.startsWith('/static/build/')) scripts.push(url.pathname.replace(/-[A-Z0-9]+\.js$/, '.js'));
    });
    try {
      await signInThroughForm(page, origin, user.email, { next: `/newsroom/stories/${draft.id}` });
      const body = page.locator('#story-body .ProseMirror');
      await body.waitFor({ state: 'visible' });
      assert.deepEqual(
        scripts,
        ['/static/build/story-editor.js', '/static/build/chunks/story-body-editor.js'],
        'the form script, then the body editor; the media picker is not loaded before it is used',
      );
      await body.locator('p').first().click();
      await page.keyboard.press('End');

      await page.getByRole('button', { name: 'Image', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Add an image to the story' });
      await dialog.waitFor({ state: 'visible' });
      assert.ok(scripts.includes('/static/build/chunks/media-picker.js'), 'the picker chunk is loaded on first use');
      await dialog.locator('.se-picker__item').first().click();
      const figure = body.locator(`figure[data-image-id="${image.id}"]`);
      await figure.waitFor({ state: 'visible' });
      assert.equal(await figure.locator('img').count(), 1, 'the figure shows the photo');
      await figure.getByLabel('Caption').fill('The crane arrives by barge.');
      await eventually(async () => {
        const a = (await findArticleById(deps.db, draft.id))!;
        assert.deepEqual(a.body.blocks[1], { type: 'figure', imageId: image.id, caption: 'The crane arrives by barge.' });
      });
      // The main image comes from the same picker.
      await page.getByRole('button', { name: 'Choose image' }).click();
      const heroDialog = page.getByRole('dialog', { name: 'Choose the main image' });
      await heroDialog.locator('.se-picker__item').first().click();
      await page.locator('#story-hero-preview img').waitFor({ state: 'visible' });
      // A pull quote from words selected in the text.
      await body.locator('p').first().click();
      await page.keyboard.press('End');
      for (let i = 0; i < 'words.'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
      await page.getByRole('button', { name: 'Pull quote' }).click();
      await page.keyboard.press('Enter');
      await page.keyboard.type('Harbour master');
      const withFigure = await eventually(async () => {
        const a = (await findArticleById(deps.db, draft.id))!;
        assert.equal(a.heroImageId, image.id);
        assert.deepEqual(a.body.blocks[1], { type: 'pullquote', text: 'words.', attribution: 'Harbour master' }, JSON.stringify(a.body));
        return a;
      });
      // The page knows that revision too: nothing is left to save.
      await page
        .getByText(new RegExp(`Draft saved at .* \\(revision ${withFigure.revision}\\)`))
        .waitFor({ state: 'visible', timeout: 10_000 });

      // Meanwhile an editor saves the story elsewhere.
      const theirs = await updateArticle(
        deps,
        draft.id,
        { ...withFigure, headline: 'Editor: harbour crane arrives', tagIds: [] },
        withFigure.revision,
        { actor: { userId: editor.id, role: 'editor' } },
      );
      await body.locator('p').first().click();
      await page.keyboard.press('End');
      await page.keyboard.type(' My late addition.');
      const conflict = page.locator('#se-conflict');
      await conflict.getByText(/Someone else saved this story/).waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal((await findArticleById(deps.db, draft.id))!.headline, 'Editor: harbour crane arrives', 'their save stands');
      await conflict.getByRole('link', { name: 'Compare their version with yours' }).click();
      await page.waitForURL(/\/conflicts\/[0-9a-f-]{36}$/);
      await page.getByRole('cell', { name: 'Editor: harbour crane arrives' }).waitFor();
      await page.getByRole('cell', { name: 'Harbour gets a new crane' }).waitFor();
      await page.getByRole('button', { name: 'Save my version over the latest' }).click();
      await page.waitForURL(`${origin}/newsroom/stories/${draft.id}?saved=1`);
      const final = (await findArticleById(deps.db, draft.id))!;
      assert.equal(final.revision, theirs.revision + 1);
      assert.equal(final.headline, 'Harbour gets a new crane');
      assert.deepEqual(final.body.blocks[0], { type: 'paragraph', content: [{ type: 'text', text: 'First words. My late addition.' }] });
      assert.deepEqual(
        final.body.blocks.map((b) => b.type),
        ['paragraph', 'pullquote', 'figure'],
      );

      assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
  test('the story list, editor and comparison pass an axe audit in light and dark', async () => {
    const {
      site: { deps, origin },
      browser,
    } = env;
    const user = await seedUser(deps, 'editor', { name: 'Axel Editor' });
    const actor = { userId: user.id, role: 'editor' as const };
    const draft = await createArticle(
      deps,
      {
        sectionId,
        headline: 'Audit me',
        body: {
          version: 1,
          blocks: [
            { type: 'blockquote', content: [[{ type: 'text', text: 'Quoted.' }]], attribution: 'Someone' },
            { type: 'pullquote', text: 'Pulled' },
          ],
        },
      },
      { actor },
    );
    const edit = {
      headline: 'Audit me too',
      sectionId,
      body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Mine.' }] }] },
    };
    await saveStory(deps, actor, draft.id, edit, draft.revision);
    const copyId = await saveStory(deps, actor, draft.id, { ...edit, headline: 'A stale edit' }, draft.revision).then(
      () => assert.fail('a stale save must be refused'),
      (err: unknown) => (err as EditConflictError).conflictCopyId,
    );
    for (const scheme of ['light', 'dark'] as const) {
      // axe is injected through the DevTools protocol, which the page's CSP does not govern.
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
      try {
        const page = await context.newPage();
        await signInThroughForm(page, origin, user.email);
        for (const url of [
          '/newsroom/stories',
          '/newsroom/stories/new',
          `/newsroom/stories/${draft.id}`,
          `/newsroom/stories/${draft.id}/conflicts/${copyId}`,
        ]) {
          await page.goto(origin + url, { waitUntil: 'load' });
          if (url.endsWith(draft.id)) await page.locator('#story-body .ProseMirror').waitFor({ state: 'visible' });
          await assertNoSeriousAxeViolations(page, `${url} (${scheme})`);
        }
      } finally {
        await context.close();
      }
    }
  });
});
