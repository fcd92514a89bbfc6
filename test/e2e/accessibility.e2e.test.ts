import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createTestSite, type TestSite } from '../support/test-site.ts';

/*
 * Automated accessibility audit with axe-core in real Chromium, light and dark colour
 * schemes, on every kind of public page. Serious and critical findings (contrast, missing
 * names, landmark and heading problems…) fail the test with axe's own explanation.
 * Runs on SQLite only: the markup does not depend on the database.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function skipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  const reason = `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must run the browser tests`);
  return reason;
}

const PAGES = [
  ['article', '/world/russia-executing-soldiers-not-following-orders-says-us'],
  ['home', '/'],
  ['section front', '/world'],
  ['tag page', '/tags/russia'],
  ['author page', '/authors/sudesh-baniya'],
  ['404 page', '/no-such-page'],
] as const;

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> }>;
}

describe('accessibility (axe-core in Chromium)', { skip: skipReason() }, () => {
  let site: TestSite;
  let browser: Browser;
  let origin: string;

  before(async () => {
    site = await createTestSite('sqlite', { demo: true, generated: 8 });
    await site.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(site.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const [name, url] of PAGES) {
      test(`${name} has no serious or critical violations (${scheme})`, async () => {
        // axe is injected through the DevTools protocol, which the page's CSP does not govern.
        const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
        try {
          const page = await context.newPage();
          await page.goto(origin + url, { waitUntil: 'load' });
          await page.evaluate(AXE_SOURCE);
          const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as AxeResult;
          const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          const report = serious
            .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`)
            .join('\n');
          assert.equal(serious.length, 0, `axe found on ${url}:\n${report}`);
          // The audit must have looked at a real page, not an empty one.
          assert.ok((await page.locator('main h1').count()) === 1, 'exactly one h1 in main');
        } finally {
          await context.close();
        }
      });
    }
  }
});
