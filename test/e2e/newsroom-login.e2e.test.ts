import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import type { FastifyInstance } from 'fastify';
import { seedUser, TEST_PASSWORD } from '../support/account-factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../support/test-db.ts';

/*
 * The newsroom sign-in journey in headless Chromium: the form, the dashboard, sign-out,
 * with no console error or CSP violation. Needs /usr/bin/chromium (CHROMIUM_PATH); skipped
 * without it locally, a failure under CI=true.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = path.resolve('test-output/screenshots');

function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  const reason = `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must run the browser tests`);
  return reason;
}

const browserSkip = browserSkipReason();
// One dialect is enough for a browser journey; the HTTP tests cover both databases.
const { dialect, skip } = (await testDialects())[0]!;

describe(`newsroom sign-in in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
  let db: TestDatabase;
  let deps: Deps;
  let app: FastifyInstance;
  let browser: Browser;
  let origin: string;
  let mediaDir: string;

  before(async () => {
    db = await createTestDatabase(dialect);
    mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-media-'));
    // Plain http on loopback, as on a laptop: cookies must not be marked Secure here.
    deps = await createDeps(loadConfig({ MASTHEAD_MEDIA_DIR: mediaDir, MASTHEAD_SITE_URL: 'http://127.0.0.1', LOG_LEVEL: 'silent' }), { handle: db.handle });
    app = await buildApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.destroy();
    if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true });
  });

  test('signs in through the form, sees the dashboard, signs out', async () => {
    const user = await seedUser(deps, 'editor', { name: 'Eve Editor' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(e.violatedDirective));
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await page.goto(`${origin}/newsroom`);
      assert.equal(new URL(page.url()).pathname, '/newsroom/login', 'anonymous visitors land on the sign-in form');
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${origin}/newsroom`);
      await page.getByRole('heading', { name: 'Hello, Eve Editor' }).waitFor({ state: 'visible' });
      assert.ok(await page.getByText('Editor', { exact: true }).first().isVisible(), 'role badge shown');
      const cookie = (await context.cookies()).find((c) => c.name === 'masthead_session');
      assert.ok(cookie?.httpOnly && cookie.sameSite === 'Lax' && cookie.path === '/newsroom');
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `newsroom-dashboard-${dialect}.png`) });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${origin}/newsroom/login`);
      await page.getByText('You have signed out.').waitFor({ state: 'visible' });
      assert.ok(!(await context.cookies()).some((c) => c.name === 'masthead_session'), 'session cookie gone');
      await page.goto(`${origin}/newsroom`);
      assert.equal(new URL(page.url()).pathname, '/newsroom/login', 'signed out for real');

      assert.deepEqual(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), [], 'no CSP violations');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
