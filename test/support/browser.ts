import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { DialectName } from '../../src/db/database.ts';
import type { Deps } from '../../src/deps.ts';
import { TEST_PASSWORD } from './account-factories.ts';
import { createTestSite, type TestSite, type TestSiteOptions } from './test-site.ts';

/*
 * What every browser test (test/e2e/*.e2e.test.ts) needs: Debian's Chromium (skipped
 * locally without it, a failure under CI=true), a real server on loopback, a recorder for
 * console errors, page errors and CSP violations, and signing in through the real form.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where tests leave screenshots for people to look at; created on first use. */
export const SCREENSHOT_DIR = path.resolve('test-output/screenshots');

/** A path in SCREENSHOT_DIR for `name` (the directory exists once this returns). */
export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, name);
}

/** Why the browser tests cannot run here (pass it to node:test's `skip`), or false. Throws under CI=true. */
export function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  const reason = `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must run the browser tests`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface BrowserSite {
  deps: Deps;
  app: TestSite['app'];
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/**
 * A complete site listening on a free loopback port. By default its configured URL is plain
 * http on loopback, as on a laptop, so cookies are not marked Secure; `seed` runs before the
 * app is built (as data created before start-up would).
 */
export async function startBrowserSite(dialect: DialectName, options: TestSiteOptions = {}): Promise<BrowserSite> {
  const site = await createTestSite(dialect, { siteUrl: 'http://127.0.0.1', ...options });
  await site.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    deps: site.deps,
    app: site.app,
    origin: `http://127.0.0.1:${(site.app.server.address() as AddressInfo).port}`,
    close: () => site.close(),
  };
}

export interface BrowserSuite {
  readonly site: BrowserSite;
  readonly browser: Browser;
}

/**
 * For a describe block: starts the site (see startBrowserSite) and Chromium before its tests
 * and closes both after them. `site` and `browser` are there once the `before` hook has run.
 */
export function useBrowserSite(dialect: DialectName, options: TestSiteOptions = {}): BrowserSuite {
  const env = {} as { site?: BrowserSite; browser?: Browser };
  before(async () => {
    env.site = await startBrowserSite(dialect, options);
    env.browser = await launchChromium();
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env as BrowserSuite;
}

/** Retries `check` (an assertion that throws until it holds) every 100 ms for up to `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Makes every page (of the context, or this page) record its CSP violations for `cspViolations(page)`. */
export async function installCspRecorder(target: BrowserContext | Page): Promise<void> {
  await target.addInitScript(recordCspViolations);
}

/** Runs before any page script: every CSP violation the page reports lands in `window.__csp`. */
function recordCspViolations(): void {
  const w = window as unknown as { __csp: string[] };
  w.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`));
}

export interface WatchOptions {
  /** Console errors matching this are expected (e.g. a refused request's status) and not collected. */
  allowConsole?: RegExp;
  /** Prefixes each collected problem (whose tab it came from). */
  label?: string;
  /** Collect into this array (shared between several tabs) instead of a new one. */
  problems?: string[];
}

/**
 * Records CSP violations (read them with `cspViolations(page)`) and collects console errors
 * and uncaught page errors. Given a context, covers every page opened in it afterwards; given
 * a page, only that page (its CSP recorder works from its next navigation).
 */
export async function watchPage(target: BrowserContext | Page, options: WatchOptions = {}): Promise<{ problems: string[] }> {
  const problems = options.problems ?? [];
  const prefix = options.label ? `${options.label}: ` : '';
  const listen = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && !options.allowConsole?.test(m.text()) && problems.push(prefix + m.text()));
    page.on('pageerror', (e) => problems.push(prefix + e.message));
  };
  await installCspRecorder(target);
  if ('newPage' in target) target.on('page', listen);
  else listen(target);
  return { problems };
}

/** The CSP violations the page has reported since its last navigation (throws if watchPage's recorder is not there). */
export async function cspViolations(page: Page): Promise<string[]> {
  const recorded = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp);
  assert.ok(Array.isArray(recorded), 'the CSP recorder is installed (watchPage before the page loaded)');
  return recorded;
}

/**
 * Signs in through the newsroom form. With `next`, starts from `/newsroom/login?next=…` and
 * waits to land there; without it, opens the form and waits for the dashboard.
 */
export async function signInThroughForm(
  page: Page,
  origin: string,
  email: string,
  options: { password?: string; next?: string } = {},
): Promise<void> {
  const { next, password = TEST_PASSWORD } = options;
  await page.goto(next ? `${origin}/newsroom/login?next=${encodeURIComponent(next)}` : `${origin}/newsroom/login`);
  await fillSignInForm(page, email, password);
  await page.waitForURL(`${origin}${next ?? '/newsroom'}`);
}

/** Fills and submits the sign-in form the page is showing. */
export async function fillSignInForm(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const AXE_SOURCE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: string | undefined;

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> }>;
}

/**
 * Runs axe-core on the loaded page and fails with axe's own explanation if it finds any
 * serious or critical violation. The context must be created with `bypassCSP: true`: axe is
 * injected through the DevTools protocol, which the page's CSP does not govern.
 */
export async function assertNoSeriousAxeViolations(page: Page, where: string): Promise<void> {
  axeSource ??= fs.readFileSync(AXE_SOURCE_PATH, 'utf8');
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as AxeResult;
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
          .join('\n')}`,
    )
    .join('\n');
  assert.equal(serious.length, 0, `axe found on ${where}:\n${report}`);
}
