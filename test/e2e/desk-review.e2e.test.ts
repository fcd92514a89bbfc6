import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { findPendingChange } from '../../src/domain/articles/article-pending-change.ts';
import { findArticleById } from '../../src/domain/articles/article-repository.ts';
import { createArticle } from '../../src/domain/articles/article-service.ts';
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
 * The desk in Chromium: an author's edit of their live story waits as a pending change (the
 * public page unchanged) until an editor reviews the diff from the review queue and publishes
 * it; and a note left on a selected passage of a draft, marked in the text, replied to and
 * resolved. axe over the editor with a pending change and notes, and over the review page.
 */

const browserSkip = browserSkipReason();
const { dialect, skip } = (await testDialects())[0]!;

async function axeOn(browser: Browser, origin: string, email: string, path: string, where: string, shot: string): Promise<void> {
  // axe is injected through DevTools, which the page's CSP does not govern: a context of its own.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  try {
    const page = await context.newPage();
    await signInThroughForm(page, origin, email, { next: path });
    await page.waitForLoadState('networkidle');
    await assertNoSeriousAxeViolations(page, where);
    await page.screenshot({ path: screenshotPath(shot), fullPage: true });
  } finally {
    await context.close();
  }
}

describe(`the desk in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
  let sectionId: string;
  const env = useBrowserSite(dialect, {
    seed: async (deps) => (sectionId = (await createSection(deps.db, { name: 'World' }, new Date())).id),
  });

  test('an author’s change to a live story waits for an editor, who reviews the diff and publishes it', async () => {
    const {
      site: { deps, origin },
      browser,
    } = env;
    const author = await seedUser(deps, 'author', { name: 'Aida Author' });
    const editor = await seedUser(deps, 'editor', { name: 'Eli Editor' });
    const live = await createArticle(
      deps,
      {
        sectionId,
        headline: 'Ferry service resumes',
        status: 'published',
        body: { version: 1, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'Boats sail again from Monday.' }] }] },
      },
      { actor: { userId: author.id, role: 'author' } },
    );
    const publicUrl = `${origin}/world/${live.slug}`;

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { problems } = await watchPage(context);
    try {
      const page = await context.newPage();
      await signInThroughForm(page, origin, author.email, { next: `/newsroom/stories/${live.id}` });
      await page.getByText('This story is live: your changes are saved for an editor to review').waitFor();
      const body = page.locator('#story-body .ProseMirror');
      await body.waitFor({ state: 'visible' });
      await page.getByLabel('Headline').fill('Ferry service resumes after storm');
      await body.click();
      await page.keyboard.press('End');
      await page.keyboard.type(' Tickets are half price this week.');
      // Autosave keeps it as the pending change; the live page does not move.
      await page.getByText(/Change saved for review at/).waitFor({ timeout: 10_000 });
      await eventually(async () => {
        const change = await findPendingChange(deps.db, live.id);
        assert.equal(change?.input.headline, 'Ferry service resumes after storm');
        assert.match(JSON.stringify(change?.input.body), /half price/);
      });
      assert.equal((await findArticleById(deps.db, live.id))!.revision, live.revision);
      const reader = await context.newPage();
      await reader.goto(publicUrl);
      assert.equal(await reader.locator('h1').first().textContent(), 'Ferry service resumes');
      assert.doesNotMatch(await reader.content(), /half price/);
      await page.locator('#se-pending-review').waitFor({ state: 'visible' });
      await page.screenshot({ path: screenshotPath(`desk-pending-author-${dialect}.png`), fullPage: true });
      assert.deepEqual(await cspViolations(page), []);

      const editorPage: Page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await watchPage(editorPage, { problems, label: 'editor' });
      await signInThroughForm(editorPage, origin, editor.email, { next: '/newsroom/review' });
      await editorPage.getByRole('heading', { name: 'Changes to live stories' }).waitFor();
      await editorPage.getByRole('link', { name: /Ferry service resumes\s*: review the change/ }).click();
      await editorPage.getByRole('heading', { name: 'Pending change to a live story' }).waitFor();
      assert.match(
        await editorPage
          .locator('ins')
          .allTextContents()
          .then((t) => t.join(' ')),
        /after storm/,
      );
      assert.match(
        await editorPage
          .locator('ins')
          .allTextContents()
          .then((t) => t.join(' ')),
        /half price/,
      );
      await editorPage.screenshot({ path: screenshotPath(`desk-pending-review-${dialect}.png`), fullPage: true });
      await editorPage.getByRole('button', { name: 'Publish this change' }).click();
      await editorPage.getByText('The change is published').waitFor();
      assert.equal(await findPendingChange(deps.db, live.id), null);

      // Reloaded, so the tab asks the server again rather than its own HTTP cache.
      await reader.reload();
      assert.equal(await reader.locator('h1').first().textContent(), 'Ferry service resumes after storm');
      assert.match(await reader.content(), /half price/);
      await editorPage.context().close();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    // axe on the review page (a fresh change) and on the author's editor with it open.
    const again = await createArticle(
      deps,
      {
        sectionId,
        headline: 'Bridge repairs finish early',
        status: 'published',
        body: { version: 1, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'Work ended on Friday.' }] }] },
      },
      { actor: { userId: author.id, role: 'author' } },
    );
    const { stageStoryEdit } = await import('../../src/domain/desk/article-editor.ts');
    await stageStoryEdit(
      deps,
      { userId: author.id, role: 'author' },
      again.id,
      { headline: 'Bridge repairs finish a week early', sectionId, body: { type: 'doc', content: [] } },
      { liveRevision: again.revision, pendingRevision: null },
    );
    await axeOn(
      browser,
      origin,
      editor.email,
      `/newsroom/stories/${again.id}/change`,
      'the pending change review',
      `desk-review-axe-${dialect}.png`,
    );
    await axeOn(
      browser,
      origin,
      author.email,
      `/newsroom/stories/${again.id}`,
      'the editor with a pending change',
      `desk-pending-axe-${dialect}.png`,
    );
  });

  test('a note on a selected passage: marked in the text, replied to, resolved; the page stays accessible', async () => {
    const {
      site: { deps, origin },
      browser,
    } = env;
    const writer = await seedUser(deps, 'contributor', { name: 'Cato Contributor' });
    const editor = await seedUser(deps, 'editor', { name: 'Esme Editor' });
    const draft = await createArticle(
      deps,
      {
        sectionId,
        headline: 'Council weighs new tram line',
        body: {
          version: 1,
          blocks: [
            { type: 'paragraph', content: [{ type: 'text', text: 'The line would cost 40 million euros.' }] },
            { type: 'paragraph', content: [{ type: 'text', text: 'A vote is expected in March.' }] },
          ],
        },
      },
      { actor: { userId: writer.id, role: 'contributor' } },
    );
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { problems } = await watchPage(context);
    try {
      const page = await context.newPage();
      await signInThroughForm(page, origin, editor.email, { next: `/newsroom/stories/${draft.id}` });
      const body = page.locator('#story-body .ProseMirror');
      await body.waitFor({ state: 'visible' });
      const addNote = page.getByRole('button', { name: 'Add note', exact: true }).first();
      await page.locator('#se-add-note').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#se-add-note').isDisabled(), true, 'nothing selected yet');

      // Select "40 million euros" with the keyboard: end of the first paragraph, back over the words.
      await body.locator('p').first().click();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft'); // before the full stop
      for (let i = 0; i < '40 million euros'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
      await page.locator('#se-add-note').click();
      await page.locator('#note-add-quote').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#note-add-quote').textContent(), '40 million euros');
      await page.getByLabel('New note').fill('Is this figure from the council report? Need the page.');
      await page.locator('#note-add-form').getByRole('button', { name: 'Add note' }).click();
      await page.getByText('Is this figure from the council report?').waitFor();
      await body.locator('.se-note-mark').waitFor();
      assert.equal(await body.locator('.se-note-mark').textContent(), '40 million euros');
      void addNote;

      const thread = page.locator('.nr-note').first();
      await thread.getByLabel('Reply').fill('Page 12 of the report.');
      await thread.getByRole('button', { name: 'Reply' }).click();
      await page.getByText('Page 12 of the report.').waitFor();
      await page.screenshot({ path: screenshotPath(`desk-notes-${dialect}.png`), fullPage: true });
      assert.equal(page.url(), `${origin}/newsroom/stories/${draft.id}`, 'the editor never left the page');

      await page.locator('.nr-note').first().getByRole('button', { name: 'Resolve' }).click();
      await page.getByText('1 resolved').waitFor();
      await eventually(async () => assert.equal(await body.locator('.se-note-mark').count(), 0, 'a resolved thread is no longer marked'));
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    await axeOn(browser, origin, writer.email, `/newsroom/stories/${draft.id}`, 'the editor with notes', `desk-notes-axe-${dialect}.png`);
  });
});
