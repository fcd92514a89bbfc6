import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addNote } from '../../src/domain/articles/article-notes.ts';
import { createArticle, updateArticle } from '../../src/domain/articles/article-service.ts';
import { runWorkflowAction } from '../../src/domain/articles/article-workflow-service.ts';
import { seedUser } from '../support/account-factories.ts';
import {
  assertNoSeriousAxeViolations,
  browserSkipReason,
  cspViolations,
  fillSignInForm,
  screenshotPath,
  signInThroughForm,
  useBrowserSite,
  watchPage,
} from '../support/browser.ts';
import { buildArticleInput, paragraphs, seedTaxonomy, type Taxonomy } from '../support/factories.ts';
import { testDialects } from '../support/test-db.ts';

/*
 * The correction journey in headless Chromium: an editor signs in, opens a published story's
 * history page (which carries the workflow panel), publishes a correction, and readers see it
 * on the article page and in its structured data. Needs /usr/bin/chromium (CHROMIUM_PATH);
 * skipped without it locally, a failure under CI=true.
 */

const browserSkip = browserSkipReason();
// One dialect is enough for a browser journey; the HTTP tests cover both databases.
const { dialect, skip } = (await testDialects())[0]!;

describe(`story corrections in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
  let tax: Taxonomy;
  // Plain http on loopback, as on a laptop: cookies must not be marked Secure here.
  const env = useBrowserSite(dialect, { seed: async (deps) => (tax = await seedTaxonomy(deps)) });

  test('an editor adds a correction from the workflow panel and the public page shows it', async () => {
    const {
      site: { deps, origin },
      browser,
    } = env;
    const editor = await seedUser(deps, 'editor', { name: 'Eve Editor' });
    const story = await createArticle(
      deps,
      buildArticleInput({
        sectionId: tax.world.id,
        headline: 'Ferry service resumes after strike',
        slug: 'ferry-service-resumes',
        authorIds: [tax.reporter.id],
        publishedAt: new Date(Date.now() - 3_600_000).toISOString(),
        body: paragraphs('Ferries to the islands run again from Monday.'),
      }),
      { actor: { userId: editor.id, role: 'editor' } },
    );
    const correction = 'An earlier version of this story said ferries resume on Monday. They resume on Tuesday.';

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Paris' });
    const { problems } = await watchPage(context);
    const page = await context.newPage();
    try {
      await page.goto(`${origin}/newsroom/stories/${story.id}/history`);
      assert.equal(new URL(page.url()).pathname, '/newsroom/login', 'signed-out editors sign in first');
      await fillSignInForm(page, editor.email);
      await page.waitForURL(`${origin}/newsroom/stories/${story.id}/history`);

      const panel = page.getByRole('complementary', { name: 'Workflow' });
      await panel.getByText('Published', { exact: true }).first().waitFor({ state: 'visible' });
      assert.ok(await panel.getByRole('button', { name: 'Unpublish' }).isVisible());
      assert.equal(await panel.getByRole('button', { name: 'Publish now' }).count(), 0, 'a published story offers no "publish now"');

      await panel.getByLabel('Correction').check();
      await panel.getByLabel('Note shown to readers').fill(correction);
      await panel.getByRole('button', { name: 'Publish note' }).click();
      await page.waitForURL(`${origin}/newsroom/stories/${story.id}/history`);
      await page.getByText('The correction is published with the story.').waitFor({ state: 'visible' });
      await page.getByRole('cell', { name: 'Added a correction' }).waitFor({ state: 'visible' });
      // The newsroom script shows times in the editor's own zone too.
      await page.locator('.nr-local-time').first().waitFor({ state: 'attached' });
      assert.match((await page.locator('.nr-local-time').first().textContent()) ?? '', /Europe\/Paris/);
      await page.screenshot({ path: screenshotPath(`story-correction-history-${dialect}.png`), fullPage: true });

      await page.goto(`${origin}/world/ferry-service-resumes`);
      const notes = page.getByRole('complementary', { name: 'Correction' });
      await notes.waitFor({ state: 'visible' });
      assert.equal((await notes.locator('.article-note__text').textContent())?.trim(), correction);
      const noteTime = await notes.locator('time').getAttribute('datetime');
      assert.ok(noteTime && !Number.isNaN(Date.parse(noteTime)));
      assert.equal(
        await page.locator('.article__updated time').getAttribute('datetime'),
        noteTime,
        'the byline shows the correction time as updated',
      );
      const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}') as {
        correction?: unknown;
        dateModified?: string;
      };
      assert.deepEqual(ld.correction, [{ '@type': 'CorrectionComment', text: correction, datePublished: noteTime }]);
      assert.equal(ld.dateModified, noteTime);
      await page.getByRole('link', { name: 'See correction' }).click();
      assert.equal(new URL(page.url()).hash, '#article-notes');
      await notes.screenshot({ path: screenshotPath(`story-correction-public-${dialect}.png`) });

      assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the workflow screens and the public notes have no serious axe violations (light and dark)', async () => {
    const {
      site: { deps, origin },
      browser,
    } = env;
    const editor = await seedUser(deps, 'editor', { name: 'Axel Editor' });
    const actor = { userId: editor.id, role: 'editor' as const };
    const section = tax.world.id;
    const story = await createArticle(
      deps,
      buildArticleInput({
        sectionId: section,
        headline: 'Rail strike called off',
        slug: 'rail-strike-called-off',
        publishedAt: new Date(Date.now() - 7_200_000).toISOString(),
      }),
      { actor },
    );
    const saved = await updateArticle(deps, story.id, { ...story, headline: 'Rail strike called off at last minute' }, story.revision, {
      actor,
    });
    await addNote(deps, story.id, { kind: 'update', text: 'Unions confirmed the deal on Friday evening.' }, actor);
    await addNote(deps, story.id, { kind: 'correction', text: 'The strike was planned for Monday, not Sunday.' }, actor);
    const queued = await createArticle(
      deps,
      buildArticleInput({ sectionId: section, headline: 'Queued for review', status: 'draft', publishedAt: undefined }),
      { actor },
    );
    await runWorkflowAction(deps, queued.id, { type: 'submit' }, actor);
    await runWorkflowAction(deps, queued.id, { type: 'schedule', at: new Date(Date.now() + 86_400_000).toISOString() }, actor);

    const pages = [
      `/newsroom/stories/${story.id}/history`,
      `/newsroom/stories/${story.id}/history/diff?from=1&to=${saved.revision}`,
      `/newsroom/stories/${queued.id}/history`,
      '/newsroom/review',
      '/newsroom/scheduled',
      '/newsroom/audit',
      '/world/rail-strike-called-off',
    ];
    for (const scheme of ['light', 'dark'] as const) {
      // axe is injected through the DevTools protocol, which the page's CSP does not govern.
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
      try {
        const page = await context.newPage();
        await signInThroughForm(page, origin, editor.email);
        for (const url of pages) {
          const res = await page.goto(origin + url, { waitUntil: 'load' });
          assert.equal(res?.status(), 200, url);
          await assertNoSeriousAxeViolations(page, `${url} (${scheme})`);
          assert.equal(await page.locator('main h1').count(), 1, `${url}: exactly one h1 in main`);
        }
      } finally {
        await context.close();
      }
    }
  });
});
