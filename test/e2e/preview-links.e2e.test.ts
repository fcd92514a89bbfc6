import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import type { User } from '../../src/domain/accounts/user.ts';
import type { Article } from '../../src/domain/articles/article.ts';
import { createArticle } from '../../src/domain/articles/article-service.ts';
import { createSection } from '../../src/domain/sections/section.ts';
import { PREVIEW_GONE_MESSAGE } from '../../src/site/preview-link-route.ts';
import { seedUser } from '../support/account-factories.ts';
import {
  assertNoSeriousAxeViolations,
  browserSkipReason,
  cspViolations,
  screenshotPath,
  signInThroughForm,
  useBrowserSite,
  watchPage,
} from '../support/browser.ts';

/*
 * Sharable previews in Chromium: an editor creates a link from the story editor, someone with
 * no account opens it in a browser of their own and reads the draft (marked as a preview, not
 * indexed, not cached by the page cache or a CDN), the editor revokes it and the link then
 * says so (410 Gone). axe over the newsroom's panel and the public preview page, light and dark.
 * SQLite only: the storage side is tested on both databases in src/site/preview-link-route.test.ts.
 */

const HEADLINE = 'Harbour land sale under review';

/** The headers that keep a page out of every cache and index. */
function assertPrivate(res: Response | null, status: number): void {
  assert.ok(res, 'the page answered');
  assert.equal(res.status(), status);
  const h = res.headers();
  assert.equal(h['cache-control'], 'no-store', 'no browser, proxy or CDN keeps it');
  assert.equal(h['x-robots-tag'], 'noindex, nofollow');
  assert.equal(h['referrer-policy'], 'no-referrer', 'the secret address is not sent on');
  assert.equal(h['x-page-cache'], undefined, 'not answered by the page cache');
  assert.equal(h['surrogate-key'], undefined, 'no CDN tag: nothing for a CDN to keep');
  assert.equal(h['set-cookie'], undefined, 'opening a preview starts no session');
}

describe('sharable previews in Chromium (sqlite)', { skip: browserSkipReason() }, () => {
  let sectionId: string;
  const env = useBrowserSite('sqlite', {
    pageCacheMb: 8,
    seed: async (deps) => void (sectionId = (await createSection(deps.db, { name: 'World' }, new Date())).id),
  });
  let editor: User;
  let draft: Article;

  /** The editor's page of the draft, signed in as the editor, in a context of its own. */
  async function editorPage(browser: Browser, options: { colorScheme?: 'light' | 'dark'; bypassCSP?: boolean } = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const page = await context.newPage();
    await signInThroughForm(page, env.site.origin, editor.email, { next: `/newsroom/stories/${draft.id}` });
    await page.getByRole('heading', { name: 'Share a preview' }).waitFor();
    return { context, page };
  }

  /** The link's address on this test server (the site's configured URL has no port). */
  const onThisServer = (link: string) => env.site.origin + new URL(link).pathname;

  test('an editor shares a draft, an outsider reads it privately, the editor revokes it', async () => {
    const { deps, origin, app } = env.site;
    editor = await seedUser(deps, 'editor', { name: 'Eve Editor' });
    draft = await createArticle(
      deps,
      {
        sectionId,
        headline: HEADLINE,
        standfirst: 'The council met behind closed doors.',
        body: { version: 1, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'The sale price has not been disclosed.' }] }] },
      },
      { actor: { userId: editor.id, role: 'editor' } },
    );
    assert.equal(draft.status, 'draft');

    const { context, page } = await editorPage(env.browser);
    const { problems } = await watchPage(page);
    const outsider = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const outsiderWatch = await watchPage(outsider, { label: 'outsider', allowConsole: /\b(404|410)\b/ });
    try {
      // Create a link from the editor's panel; the next page shows it once.
      const panel = page.locator('section[aria-labelledby="preview-links-h"]');
      await panel.getByLabel('Link works for').selectOption('168');
      await panel.getByRole('button', { name: 'Create link' }).click();
      await page.getByRole('heading', { name: 'Preview link created' }).waitFor();
      const link = await page.getByLabel('Preview link').inputValue();
      assert.match(link, /^http:\/\/127\.0\.0\.1\/preview\/[A-Za-z0-9_-]{43}$/);
      // The whole address sits inside its card, where it can be selected and copied.
      const card = (await page.locator('.nr-card').boundingBox())!;
      const field = (await page.getByLabel('Preview link').boundingBox())!;
      assert.ok(
        field.x + field.width <= card.x + card.width,
        `the link field ends inside its card (${field.x + field.width} > ${card.x + card.width})`,
      );
      await page.screenshot({ path: screenshotPath('preview-link-created.png'), fullPage: true });

      // Someone with no account and no cookies opens it: the draft, marked as a preview.
      const reader = await outsider.newPage();
      const cacheBefore = app.pageCacheStats()?.entries ?? 0;
      const opened = await reader.goto(onThisServer(link));
      assertPrivate(opened, 200);
      assert.equal(await reader.locator('h1').first().textContent(), HEADLINE);
      const notice = reader.getByRole('note');
      assert.match((await notice.textContent()) ?? '', /Preview — not published/);
      assert.ok(await notice.isVisible(), 'the notice is shown');
      const noticeBox = (await notice.boundingBox())!;
      assert.ok(noticeBox.y < 10, `the notice is at the top of the page (y=${noticeBox.y})`);
      assert.equal(await reader.locator('meta[name="robots"]').getAttribute('content'), 'noindex, nofollow');
      assert.deepEqual(await outsider.cookies(), [], 'no cookie was set');
      await reader.screenshot({ path: screenshotPath('preview-link-outsider.png'), fullPage: true });
      // A second open is answered by the app again, never from a cache.
      assertPrivate(await reader.reload(), 200);
      assert.equal(app.pageCacheStats()?.entries ?? 0, cacheBefore, 'nothing entered the page cache');
      assert.deepEqual(await cspViolations(reader), []);
      // The draft is still not public.
      assert.equal((await reader.goto(`${origin}/world/${draft.slug}`))?.status(), 404);

      // The editor sees the link in the panel (opened twice) and revokes it.
      await page.goto(`${origin}/newsroom/stories/${draft.id}`);
      const item = page.locator('.nr-preview-links li');
      await item.getByText('opened 2×').waitFor();
      await item.getByRole('button', { name: 'Revoke' }).click();
      await page.getByText('The preview link has been revoked; it no longer opens the story.').waitFor();
      await page.locator('section[aria-labelledby="preview-links-h"]').getByText('No working links.').waitFor();

      // The same address now says the link is gone, and shows nothing of the draft.
      const gone = await reader.goto(onThisServer(link));
      assertPrivate(gone, 410);
      await reader.getByText(PREVIEW_GONE_MESSAGE).waitFor();
      assert.doesNotMatch(await reader.content(), new RegExp(HEADLINE));
      await reader.screenshot({ path: screenshotPath('preview-link-revoked.png'), fullPage: true });
      assert.deepEqual(problems, []);
      assert.deepEqual(outsiderWatch.problems, []);
    } finally {
      await outsider.close();
      await context.close();
    }
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`the preview-link panel and the public preview page pass axe (${scheme})`, async () => {
      const { context, page } = await editorPage(env.browser, { colorScheme: scheme, bypassCSP: true });
      const outsider = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme, bypassCSP: true });
      try {
        const panel = page.locator('section[aria-labelledby="preview-links-h"]');
        await panel.getByRole('button', { name: 'Create link' }).click();
        await page.getByRole('heading', { name: 'Preview link created' }).waitFor();
        await assertNoSeriousAxeViolations(page, `the new preview link page (${scheme})`);
        const link = await page.getByLabel('Preview link').inputValue();
        await page.goto(`${env.site.origin}/newsroom/stories/${draft.id}`);
        await panel.locator('.nr-preview-links li').first().waitFor();
        await page.waitForLoadState('networkidle');
        await assertNoSeriousAxeViolations(page, `the story editor with its preview links (${scheme})`);
        await panel.screenshot({ path: screenshotPath(`preview-link-panel-${scheme}.png`) });

        const reader: Page = await outsider.newPage();
        assertPrivate(await reader.goto(onThisServer(link)), 200);
        await assertNoSeriousAxeViolations(reader, `the public preview page (${scheme})`);
        await reader.screenshot({ path: screenshotPath(`preview-link-page-${scheme}.png`) });
        const gone = await reader.goto(`${env.site.origin}/preview/${'A'.repeat(43)}`);
        assertPrivate(gone, 410);
        await assertNoSeriousAxeViolations(reader, `the gone preview page (${scheme})`);
      } finally {
        await outsider.close();
        await context.close();
      }
    });
  }
});
