import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedUser } from '../support/account-factories.ts';
import { assertNoSeriousAxeViolations, browserSkipReason, screenshotPath, signInThroughForm } from '../support/browser.ts';
import { buildArticleInput, seedTaxonomy } from '../support/factories.ts';
import { testDialects } from '../support/test-db.ts';
import { createArticle } from '../../src/domain/articles/article-service.ts';
import type { Article } from '../../src/domain/articles/article.ts';
import type { User } from '../../src/domain/accounts/user.ts';
import { startCommentsEnv, watchedContext, type CommentsBrowserEnv } from './comments-support.ts';

/*
 * The comment journey in Chromium: a reader signs up, comments, replies (in place, no page
 * load); an editor rejects a comment and bans the reader; the banned reader cannot post.
 * Also the same posting with JavaScript off (plain forms, POST-redirect-GET).
 */

const browserSkip = browserSkipReason();
const { dialect, skip } = (await testDialects())[0]!;

describe(`comments journey in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
  let env: CommentsBrowserEnv;
  let article: Article;
  let editor: User;
  let threadUrl: string;

  before(async () => {
    env = await startCommentsEnv(dialect);
    const tax = await seedTaxonomy(env.deps);
    article = await createArticle(env.deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Council approves new cycle lanes' }));
    editor = await seedUser(env.deps, 'editor', { name: 'Eve Editor' });
    threadUrl = `${env.origin}/world/${article.slug}/comments`;
  });
  after(() => env?.close());

  test('reader signs up, comments and replies in place; editor rejects and bans; banned reader cannot post', async () => {
    const reader = await watchedContext(env.browser);
    const page = await reader.context.newPage();
    await page.goto(`${env.origin}/world/${article.slug}`);
    await page.getByRole('link', { name: 'Write a comment' }).click();
    await page.waitForURL(threadUrl);
    await page.getByText('No comments yet. Start the discussion.').waitFor();
    await page.getByRole('link', { name: 'Write a comment' }).click();
    await page.waitForURL(/\/comments\/signin\?next=/);
    await page.getByRole('link', { name: 'Create a reader account' }).click();
    await page.getByLabel('Display name').fill('Rosa Reader');
    await page.getByLabel('Email').fill('rosa@example.test');
    await page.getByLabel('Password').fill('rosa reader password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/comments\/write\?article=/);
    await page.getByLabel('Your comment').fill('Finally, safer streets for cyclists.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.waitForURL(/\/comments\?posted=published/);
    await page.getByText('Thank you: your comment is published.').waitFor();
    await page.getByText('Finally, safer streets for cyclists.').waitFor();

    // From here on, comments.js works in place: count page loads to prove it.
    let loads = 0;
    page.on('load', () => (loads += 1));
    const compose = page.getByLabel('Your comment (as Rosa Reader)');
    await compose.fill('And the lanes should be protected, not just painted.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.comment__body', { hasText: 'protected, not just painted' }).waitFor();
    await page.locator('.comments-page__count', { hasText: '2 comments' }).waitFor();

    const first = page.locator('article.comment', { hasText: 'Finally, safer streets' });
    await first.getByRole('link', { name: 'Reply' }).click();
    await page.getByLabel('Reply to Rosa Reader').fill('Replying to myself: the vote was 7 to 2.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    const reply = page.locator('[data-replies] article.comment', { hasText: 'the vote was 7 to 2' });
    await reply.waitFor();
    assert.equal(loads, 0, 'posting and replying did not reload the page');
    assert.ok(await reply.getByRole('button', { name: 'Edit' }).isVisible(), 'own comments can be edited for 15 minutes');
    await page.screenshot({ path: screenshotPath(`comments-thread-${dialect}.png`), fullPage: true });

    // The editor rejects the "protected lanes" comment and bans the reader.
    const ed = await watchedContext(env.browser);
    const edPage = await ed.context.newPage();
    await signInThroughForm(edPage, env.origin, editor.email);
    await edPage.getByRole('link', { name: 'Comments' }).first().click();
    await edPage.getByRole('link', { name: /^Published/ }).click();
    const row = edPage.locator('tr', { hasText: 'protected, not just painted' });
    await row.getByRole('button', { name: /^Reject/ }).click();
    await edPage.getByText('The comment was rejected.').waitFor();
    await edPage.getByRole('link', { name: /^All/ }).click();
    await edPage
      .locator('tr', { hasText: 'Finally, safer streets' })
      .getByRole('link', { name: /^Ban reader/ })
      .click();
    await edPage.getByLabel('Reason (for the audit log)').fill('Testing the ban');
    await edPage.getByRole('button', { name: 'Ban reader' }).click();
    await edPage.getByText('The reader is banned.').waitFor();
    await edPage.screenshot({ path: screenshotPath(`comments-moderation-${dialect}.png`), fullPage: true });

    // The banned reader: no compose form, the write page refuses, and a direct post is refused.
    await page.reload();
    await page.getByText('Your account has been banned from commenting on this site.').waitFor();
    assert.equal(await page.getByText('protected, not just painted').count(), 0, 'the rejected comment is gone');
    assert.equal(await page.getByLabel(/^Your comment/).count(), 0);
    const status = await page.evaluate(async (articleId) => {
      const s = await (await fetch(`/comments/session?article=${articleId}`)).json();
      const res = await fetch('/comments', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': s.csrfToken },
        body: JSON.stringify({ articleId, body: 'Am I still here?' }),
      });
      return res.status;
    }, article.id);
    assert.equal(status, 403);
    const write = await page.goto(`${env.origin}/comments/write?article=${article.id}`);
    assert.equal(write?.status(), 403);

    for (const w of [reader, ed]) {
      assert.deepEqual(await w.cspViolations(), [], 'no CSP violations');
      assert.deepEqual(w.dialogs, []);
    }
    // The refused post above logs a 403 resource error in the console; nothing else may.
    assert.deepEqual(
      reader.problems.filter((p) => !/403/.test(p)),
      [],
    );
    assert.deepEqual(ed.problems, []);
    await reader.context.close();
    await ed.context.close();
  });

  test('works with JavaScript off: sign in, comment and reply with plain forms', async () => {
    const w = await watchedContext(env.browser, { javaScriptEnabled: false });
    const page = await w.context.newPage();
    await page.goto(`${env.origin}/comments/signup?next=${encodeURIComponent(`/world/${article.slug}/comments`)}`);
    await page.getByLabel('Display name').fill('Noah NoScript');
    await page.getByLabel('Email').fill('noah@example.test');
    await page.getByLabel('Password').fill('noah reader password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(threadUrl);
    await page.getByRole('link', { name: 'Write a comment' }).click();
    await page.getByLabel('Your comment').fill('Posted without JavaScript.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByText('Thank you: your comment is published.').waitFor();
    const mine = page.locator('article.comment', { hasText: 'Posted without JavaScript.' });
    await mine.getByRole('link', { name: 'Reply' }).click();
    await page.getByLabel('Your comment').fill('A reply, also without JavaScript.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.locator('[data-replies] .comment__body', { hasText: 'A reply, also without JavaScript.' }).waitFor();
    assert.deepEqual(w.problems, []);
    await w.context.close();
  });

  test('thread and reader pages have no serious or critical axe violations (light and dark)', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      // axe is injected through the DevTools protocol, which the page's CSP does not govern.
      const context = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
      try {
        const page = await context.newPage();
        for (const url of [threadUrl, `${env.origin}/comments/signup`, `${env.origin}/comments/signin`]) {
          await page.goto(url, { waitUntil: 'load' });
          await assertNoSeriousAxeViolations(page, `${url} (${scheme})`);
        }
      } finally {
        await context.close();
      }
    }
  });
});
