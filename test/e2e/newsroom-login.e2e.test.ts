import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seedUser } from '../support/account-factories.ts';
import { browserSkipReason, cspViolations, fillSignInForm, screenshotPath, useBrowserSite, watchPage } from '../support/browser.ts';
import { testDialects } from '../support/test-db.ts';

/*
 * The newsroom sign-in journey in headless Chromium: the form, the dashboard, sign-out,
 * with no console error or CSP violation. Needs /usr/bin/chromium (CHROMIUM_PATH); skipped
 * without it locally, a failure under CI=true.
 */

const browserSkip = browserSkipReason();
// One dialect is enough for a browser journey; the HTTP tests cover both databases.
const { dialect, skip } = (await testDialects())[0]!;

describe(`newsroom sign-in in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
  // Plain http on loopback, as on a laptop: cookies must not be marked Secure here.
  const env = useBrowserSite(dialect);

  test('signs in through the form, sees the dashboard, signs out', async () => {
    const {
      site: { origin, deps },
      browser,
    } = env;
    const user = await seedUser(deps, 'editor', { name: 'Eve Editor' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { problems } = await watchPage(context);
    const page = await context.newPage();
    try {
      await page.goto(`${origin}/newsroom`);
      assert.equal(new URL(page.url()).pathname, '/newsroom/login', 'anonymous visitors land on the sign-in form');
      await fillSignInForm(page, user.email);
      await page.waitForURL(`${origin}/newsroom`);
      await page.getByRole('heading', { name: 'Hello, Eve Editor' }).waitFor({ state: 'visible' });
      assert.ok(await page.getByText('Editor', { exact: true }).first().isVisible(), 'role badge shown');
      const cookie = (await context.cookies()).find((c) => c.name === 'masthead_session');
      assert.ok(cookie?.httpOnly && cookie.sameSite === 'Lax' && cookie.path === '/newsroom');
      await page.screenshot({ path: screenshotPath(`newsroom-dashboard-${dialect}.png`) });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${origin}/newsroom/login`);
      await page.getByText('You have signed out.').waitFor({ state: 'visible' });
      assert.ok(!(await context.cookies()).some((c) => c.name === 'masthead_session'), 'session cookie gone');
      await page.goto(`${origin}/newsroom`);
      assert.equal(new URL(page.url()).pathname, '/newsroom/login', 'signed out for real');

      assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
