import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertNoSeriousAxeViolations, browserSkipReason, useBrowserSite } from '../support/browser.ts';
import { TEST_SITE_URL } from '../support/test-site.ts';

/*
 * Automated accessibility audit with axe-core in real Chromium, light and dark colour
 * schemes, on every kind of public page. Serious and critical findings (contrast, missing
 * names, landmark and heading problems…) fail the test with axe's own explanation.
 * Runs on SQLite only: the markup does not depend on the database.
 */

const PAGES = [
  ['article', '/world/russia-executing-soldiers-not-following-orders-says-us'],
  ['home', '/'],
  ['section front', '/world'],
  ['tag page', '/tags/russia'],
  ['author page', '/authors/sudesh-baniya'],
  ['404 page', '/no-such-page'],
] as const;

describe('accessibility (axe-core in Chromium)', { skip: browserSkipReason() }, () => {
  const env = useBrowserSite('sqlite', { demo: true, generated: 8, siteUrl: TEST_SITE_URL });

  for (const scheme of ['light', 'dark'] as const) {
    for (const [name, url] of PAGES) {
      test(`${name} has no serious or critical violations (${scheme})`, async () => {
        // axe is injected through the DevTools protocol, which the page's CSP does not govern.
        const context = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
        try {
          const page = await context.newPage();
          await page.goto(env.site.origin + url, { waitUntil: 'load' });
          await assertNoSeriousAxeViolations(page, url);
          // The audit must have looked at a real page, not an empty one.
          assert.ok((await page.locator('main h1').count()) === 1, 'exactly one h1 in main');
        } finally {
          await context.close();
        }
      });
    }
  }
});
